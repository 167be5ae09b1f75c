// The one test command: `npx tsx test/harness/main.ts <tier...>` (or `all`). Runs the tiers in order, goes on
// after a failed tier, prints each tier's time and counts, and ends with `N passed, N failed[, N skipped]`.
// Exits non-zero if anything failed or any tier ran no test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHostTests, runHostTests } from './hostTests';
import { configuredTimeout, runMocha } from './mochaRun';
import { repoRoot } from './paths';
import { ensureNode24, prepare } from './prepare';
import { cleanEnv, installTeardownHandlers, run, stopAllTracked } from './proc';
import { buildExtension, stageExtension } from './stageExtension';
import type { StagedExtension } from './stageExtension';
import { addCounts, emptyCounts } from './testCounts';
import type { TestCounts } from './testCounts';

const TIERS = ['static', 'unit', 'unit-node24', 'host', 'host-fallback', 'vsix', 'e2e'] as const;
type Tier = (typeof TIERS)[number];

const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
};

const built = once(buildExtension);
const hostBundle = once(bundleHostTests);
const stagedNode24 = once(async (): Promise<StagedExtension> => {
  const toolchain = await prepare();
  await built();
  return stageExtension({ nativeModulesDir: toolchain.nativeModulesDir });
});

/** The fallback run proves something only if the repo's better-sqlite3 really cannot load in Node 24. */
function assertRepoSqliteFailsIn(node24: string): void {
  const probe = `new (require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))}))(':memory:')`;
  const result = spawnSync(node24, ['-e', probe], { encoding: 'utf8' });
  if (result.status === 0) {
    throw new Error(
      "the repo's node_modules/better-sqlite3 loads in Node 24, so the fallback cannot be exercised: " +
        'it should be the Node 20 build from `npm ci` (run `npm rebuild better-sqlite3` with Node 20)',
    );
  }
  if (!/NODE_MODULE_VERSION/.test(result.stderr)) {
    throw new Error(`the repo's better-sqlite3 fails in Node 24 for another reason than its ABI:\n${result.stderr.trim()}`);
  }
}

async function check(title: string, command: string, args: string[]): Promise<TestCounts> {
  const started = Date.now();
  // Output is buffered and printed whole, so checks running side by side do not interleave.
  const result = await run(command, args, { cwd: repoRoot, env: cleanEnv(), timeoutMs: 10 * 60_000 });
  if (result.output.trim()) process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  console.log(`  ${result.code === 0 ? 'ok  ' : 'FAIL'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (result.code === 0) return { passed: 1, failed: 0, skipped: 0, failures: [] };
  return { passed: 0, failed: 1, skipped: 0, failures: [{ title, error: result.timedOut ? 'timed out' : `exit ${result.code}` }] };
}

const tiers: Record<Tier, () => Promise<TestCounts>> = {
  static: async () => {
    // tsc and eslint are single-threaded: side by side they take the time of the slower one on two cores.
    const [typecheck, lint] = await Promise.all([check('npm run typecheck', 'npm', ['run', '-s', 'typecheck']), check('npm run lint', 'npm', ['run', '-s', 'lint'])]);
    return addCounts(typecheck, lint);
  },

  unit: () => runMocha({ label: 'unit', mochaArgs: [], timeoutMs: 15 * 60_000 }),

  'unit-node24': async () => {
    // The store suite again under Node 24, where better-sqlite3 (built for Node 20) cannot load: node:sqlite is tested.
    const { node24 } = await ensureNode24();
    return runMocha({
      label: 'unit-node24',
      node: node24,
      nodeArgs: ['--import', 'tsx'],
      mochaArgs: ['--no-config', '--timeout', configuredTimeout(), 'test/unit/store/**/*.test.ts'],
      timeoutMs: 10 * 60_000,
    });
  },

  host: async () => {
    const toolchain = await prepare();
    const [staged] = await Promise.all([stagedNode24(), hostBundle()]);
    return runHostTests(toolchain, { label: 'host', staged, expectStoreDriver: 'better-sqlite3' });
  },

  'host-fallback': async () => {
    // The repo's better-sqlite3 is built for Node 20 (ABI 115) and cannot load in code-server's Node 24.
    const toolchain = await prepare();
    assertRepoSqliteFailsIn(toolchain.node24);
    await Promise.all([built(), hostBundle()]);
    return runHostTests(toolchain, { label: 'host-fallback', staged: stageExtension(), expectStoreDriver: 'node:sqlite' });
  },

  vsix: async () => {
    // `npm run package` as a user runs it, then each VSIX is unpacked, checked and installed into code-server.
    await prepare();
    const packaged = await check('npm run package', 'npm', ['run', '-s', 'package']);
    if (packaged.failed > 0) return packaged;
    const installed = await runMocha({
      label: 'vsix',
      nodeArgs: ['--import', 'tsx'],
      mochaArgs: ['--no-config', '--timeout', '60000', 'test/unit/package/vsix.tier.ts'],
      env: { FLOTILLA_VSIX_DIR: join(repoRoot, 'dist') },
      timeoutMs: 15 * 60_000,
    });
    return addCounts(packaged, installed);
  },

  e2e: async () => {
    const staged = await stagedNode24();
    return runMocha({
      label: 'e2e',
      nodeArgs: ['--import', 'tsx'],
      // FLOTILLA_E2E_SPEC narrows the run to some files while working on them (the default is every e2e file).
      mochaArgs: ['--no-config', '--require', 'test/e2e/setup.ts', '--timeout', '60000', process.env.FLOTILLA_E2E_SPEC || 'test/e2e/**/*.test.ts'],
      env: { FLOTILLA_STAGED_EXTENSION: staged.dir },
      timeoutMs: 15 * 60_000,
    });
  },
};

interface Outcome {
  tier: Tier;
  counts: TestCounts;
  seconds: number;
}

function parseTiers(args: string[]): Tier[] {
  if (args.length === 0 || args.includes('all')) return [...TIERS];
  const unknown = args.filter((arg) => !(TIERS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    console.error(`unknown tier(s): ${unknown.join(', ')}; choose from: all, ${TIERS.join(', ')}`);
    process.exit(2);
  }
  return TIERS.filter((tier) => args.includes(tier));
}

function countsLine(counts: TestCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}

async function main(): Promise<number> {
  installTeardownHandlers();
  const selected = parseTiers(process.argv.slice(2));
  const outcomes: Outcome[] = [];
  for (const tier of selected) {
    console.log(`\n=== ${tier} ===`);
    const started = Date.now();
    let counts: TestCounts;
    try {
      counts = await tiers[tier]();
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      console.error(`\n${tier} could not run: ${error}`);
      counts = { passed: 0, failed: 1, skipped: 0, failures: [{ title: `${tier}: setup`, error }] };
    }
    const seconds = (Date.now() - started) / 1000;
    outcomes.push({ tier, counts, seconds });
    console.log(`--- ${tier}: ${countsLine(counts)} in ${seconds.toFixed(1)} s`);
  }
  await stopAllTracked();

  if (selected.includes('host') || selected.includes('host-fallback')) {
    const config = existsSync(join(repoRoot, '.vscode-test.mjs')) ? '.vscode-test.mjs' : 'a .vscode-test.mjs';
    console.log(
      `\nnote: the VS Code desktop run (${config}, @vscode/test-cli) is skipped here: it downloads VS Code, which this machine ` +
        'cannot reach. The host tiers ran the same suites in code-server. On a laptop: npx vscode-test',
    );
  }

  const total = emptyCounts();
  console.log('\nSummary');
  for (const { tier, counts, seconds } of outcomes) {
    addCounts(total, counts);
    const empty = counts.passed + counts.failed === 0 ? '  <- ran no test' : '';
    console.log(`  ${tier.padEnd(14)} ${seconds.toFixed(1).padStart(6)} s  ${countsLine(counts)}${empty}`);
  }
  if (total.failures.length > 0) {
    console.log('\nFailures');
    for (const failure of total.failures) console.log(`  x ${failure.title}\n      ${failure.error.split('\n').join('\n      ')}`);
  }
  const emptyTiers = outcomes.filter(({ counts }) => counts.passed + counts.failed === 0).map(({ tier }) => tier);
  if (emptyTiers.length > 0) console.log(`\nThese tiers ran no test, which counts as a failure: ${emptyTiers.join(', ')}`);
  console.log(`\n${countsLine(total)}`);
  return total.failed > 0 || emptyTiers.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
