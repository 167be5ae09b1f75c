// Runs mocha as a child process (its own process group, killed on timeout) with the spec+JSON reporter, and
// turns the JSON summary into counts. A run that wrote no summary counts as a failure, never as zero tests passed.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, repoRoot } from './paths';
import { cleanEnv, run } from './proc';
import { readReportCounts } from './testCounts';
import type { TestCounts } from './testCounts';

export const mochaBin = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const reporter = join(repoRoot, 'test', 'harness', 'mochaJsonSpecReporter.cjs');

/** The per-test timeout from .mocharc.json, for runs that bypass the config file (--no-config). */
export function configuredTimeout(): string {
  try {
    const config = JSON.parse(readFileSync(join(repoRoot, '.mocharc.json'), 'utf8')) as { timeout?: number | string };
    return String(config.timeout ?? 20000);
  } catch {
    return '20000';
  }
}

export interface MochaRunOptions {
  label: string;
  /** The node executable (Node 20 by default). */
  node?: string;
  /** Arguments for node before mocha.js (e.g. --import tsx). */
  nodeArgs?: string[];
  /** Arguments for mocha (specs, --no-config, --require ...). */
  mochaArgs: string[];
  env?: Record<string, string>;
  timeoutMs: number;
}

export async function runMocha(options: MochaRunOptions): Promise<TestCounts> {
  const dir = freshDir('mocha');
  const output = join(dir, 'report.json');
  const args = [...(options.nodeArgs ?? []), mochaBin, ...options.mochaArgs, '--reporter', reporter, '--reporter-option', `output=${output}`];
  const result = await run(options.node ?? process.execPath, args, {
    cwd: repoRoot,
    env: cleanEnv({ FORCE_COLOR: process.stdout.isTTY ? '1' : '0', ...options.env }),
    echo: true,
    timeoutMs: options.timeoutMs,
  });
  try {
    if (!existsSync(output)) {
      const why = result.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : `exited with ${result.signal ?? `code ${result.code}`}`;
      return { passed: 0, failed: 1, skipped: 0, failures: [{ title: options.label, error: `mocha ${why} without a result` }] };
    }
    const counts = readReportCounts(output);
    if (result.timedOut) {
      counts.failed += 1;
      counts.failures.push({ title: options.label, error: `mocha did not exit within ${options.timeoutMs / 1000} s (a handle left open?)` });
    } else if (result.code !== 0 && counts.failed === 0) {
      counts.failed += 1;
      counts.failures.push({ title: options.label, error: `mocha exited with code ${result.code} although no test failed` });
    }
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
