// @vscode/test-cli configuration: runs the in-host suites (test/host/suites) in VS Code desktop, for machines
// that can download VS Code (`npx vscode-test`). CI and this project's machines cannot, so there the same suites
// run in code-server through `npx tsx test/harness/main.ts host host-fallback` instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = import.meta.dirname;

// The extension and the suites, built the way the harness builds them (test/harness/hostTests.ts).
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const suites = readdirSync(join(root, 'test/host/suites')).filter((name) => name.endsWith('.test.ts'));
await build({
  entryPoints: suites.map((name) => join(root, 'test/host/suites', name)),
  outbase: join(root, 'test/host'),
  outdir: join(root, 'out/test/host'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

const logsDir = mkdtempSync(join(tmpdir(), 'flotilla-vscode-logs-'));

export default {
  label: 'in-host',
  files: 'out/test/host/suites/**/*.test.js',
  workspaceFolder: join(root, 'test/fixtures/workspace'),
  // Logs go where the fallback check can find the Flotilla output channel.
  launchArgs: ['--disable-extensions', '--logsPath', logsDir],
  env: {
    // The repo's better-sqlite3 is built for Node, not for VS Code's Electron: expect the node:sqlite fallback
    // unless told otherwise (after `npx @electron/rebuild`, set FLOTILLA_EXPECT_STORE_DRIVER=better-sqlite3).
    FLOTILLA_EXPECT_STORE_DRIVER: process.env.FLOTILLA_EXPECT_STORE_DRIVER ?? 'node:sqlite',
    FLOTILLA_TEST_LOGS_DIR: logsDir,
  },
  mocha: { ui: 'bdd', timeout: 60_000 },
};
