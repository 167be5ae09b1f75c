// What every tier reports back to main.ts: how many tests passed, failed and were skipped, and why each failed.
import { readFileSync } from 'node:fs';
import type { HostReport } from './hostProtocol';

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

/** Reads the JSON report a mocha run wrote (the host's reporter or the JSON spec reporter) as counts. */
export function readReportCounts(file: string): TestCounts {
  const report = JSON.parse(readFileSync(file, 'utf8')) as HostReport;
  return {
    passed: report.passes.length,
    failed: report.failures.length,
    skipped: report.pending.length,
    failures: report.failures.map((f) => ({ title: f.title, error: f.error })),
  };
}
