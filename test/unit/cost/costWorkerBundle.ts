// The Costs report worker bundled the way esbuild.mjs bundles dist/costReportWorker.js, once per test run, into a
// folder under node_modules/.cache (so its run-time require of better-sqlite3 resolves as it does beside dist/).
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

let built: Promise<string> | undefined;

export function costWorkerBundle(): Promise<string> {
  built ??= (async () => {
    const dir = path.resolve('node_modules/.cache');
    fs.mkdirSync(dir, { recursive: true });
    const out = path.join(fs.mkdtempSync(path.join(dir, 'flotilla-cost-worker-')), 'costReportWorker.js');
    await build({ entryPoints: ['src/core/cost/costReportWorker.ts'], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'better-sqlite3'], logLevel: 'silent' });
    process.once('exit', () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
    return out;
  })();
  return built;
}
