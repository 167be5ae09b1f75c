// What every tier reports back to main.ts: how many tests passed, failed and were skipped, and why each failed.

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  failures: { title: string; error: string }[];
}

export function emptyCounts(): TestCounts {
  return { passed: 0, failed: 0, skipped: 0, failures: [] };
}

export function addCounts(into: TestCounts, more: TestCounts): TestCounts {
  into.passed += more.passed;
  into.failed += more.failed;
  into.skipped += more.skipped;
  into.failures.push(...more.failures);
  return into;
}
