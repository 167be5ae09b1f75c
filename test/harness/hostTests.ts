// The in-host tier: bundles test/host (index + every suite) with esbuild, starts code-server with the smoke-test
// driver, and has the workbench load the staged extension in development mode and run the suites in its real
// extension host (the mechanism VS Code uses for its own browser integration tests).
import { build } from 'esbuild';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { REPORTER_LINE_PREFIX } from './hostProtocol';
import { launchBrowser, openWorkbench } from './browser';
import { keepLogs, printLogs, serverLogFiles, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { repoRoot } from './paths';
import type { Toolchain } from './prepare';
import type { StagedExtension } from './stageExtension';
import { readReportCounts } from './testCounts';
import type { TestCounts } from './testCounts';
import { createWorkspace } from './workspace';

export const hostOutDir = join(repoRoot, 'out', 'test', 'host');

/** Bundles test/host/index.ts and every test/host/suites/*.test.ts into out/test/host/ (vscode and mocha external). */
export async function bundleHostTests(): Promise<string> {
  const suitesDir = join(repoRoot, 'test', 'host', 'suites');
  const suites = existsSync(suitesDir) ? readdirSync(suitesDir).filter((name) => name.endsWith('.test.ts')) : [];
  rmSync(hostOutDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(repoRoot, 'test', 'host', 'index.ts'), ...suites.map((name) => join(suitesDir, name))],
    outbase: join(repoRoot, 'test', 'host'),
    outdir: hostOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // mocha stays a plain require: out/ is inside the repo, so the host resolves it from node_modules.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return hostOutDir;
}

export interface HostRunOptions {
  label: string;
  staged: StagedExtension;
  expectStoreDriver: 'better-sqlite3' | 'node:sqlite';
  /** Extra environment for the extension host (merged into its process.env). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs the bundled suites in a real extension host; resolves with the counts from the suite's JSON report. */
export async function runHostTests(toolchain: Toolchain, options: HostRunOptions): Promise<TestCounts> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const workspace = createWorkspace();
  let server: CodeServer | undefined;
  let failedHard = false;
  const context = { close: async () => undefined } as { close(): Promise<unknown> };
  // The suites open terminals and close them within a second or two. A login shell killed inside the machine's own
  // rc files can leave their locks behind (pyenv's rehash lock made every later shell on a machine wait 60 s), so the
  // suites' shells start from an empty home of their own.
  const shellHome = mkdtempSync(join(tmpdir(), 'flotilla-host-shell-home-'));
  writeFileSync(join(shellHome, '.bashrc'), '# the in-host tier: an empty rc, so a test may close a terminal at any moment\n');
  try {
    server = await startCodeServer(toolchain, { smokeTestDriver: true, settings: { 'terminal.integrated.env.linux': { HOME: shellHome } } });
    const reportPath = join(server.runDir, 'host-report.json');
    const consoleLog = createWriteStream(join(server.runDir, 'host-console.log'));
    const browser = await launchBrowser(toolchain.chromium);
    context.close = () => browser.close();
    const page = browser.pages()[0] ?? (await browser.newPage());

    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      consoleLog.write(`[${_type}] ${line}\n`);
      // Echo the suite's reporter; the workbench's own output stays in host-console.log.
      if (line.startsWith(REPORTER_LINE_PREFIX)) console.log(`  ${line.slice(REPORTER_LINE_PREFIX.length).replace(/\n/g, '\n  ')}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));

    const env = {
      FLOTILLA_TEST_REPORT: reportPath,
      FLOTILLA_EXPECT_STORE_DRIVER: options.expectStoreDriver,
      FLOTILLA_TEST_LOGS_DIR: join(server.userDataDir, 'logs'),
      FLOTILLA_TEST_WORKSPACE: workspace,
      ...options.env,
    };
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', server.remoteUri(options.staged.dir)],
      ['extensionTestsPath', server.remoteUri(join(hostOutDir, 'index.js'))],
      ['extensionEnvironment', JSON.stringify(env)],
      ['skipWelcome', 'true'],
    ];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    await openWorkbench(page, server.workbenchUrl(workspace, payload));
    const outcome = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    consoleLog.end();

    if (outcome === 'timeout') {
      failedHard = true;
      return failure(`${options.label}: no result within ${timeoutMs / 1000} s (the suite hung or never started)`);
    }
    if (!existsSync(reportPath)) {
      failedHard = true;
      return failure(`${options.label}: the host exited with code ${outcome} and wrote no report (the tests module failed to load?)`);
    }
    const counts = readReportCounts(reportPath);
    if (outcome !== 0 && counts.failed === 0) {
      counts.failed = 1;
      counts.failures.push({ title: `${options.label}: host exit`, error: `run() rejected (exit code ${outcome}) although no test failed` });
    }
    if (counts.failed > 0) failedHard = true;
    return counts;
  } catch (err) {
    failedHard = true;
    return failure(`${options.label}: ${(err as Error).message}`);
  } finally {
    rmSync(shellHome, { recursive: true, force: true });
    await context.close().catch(() => undefined);
    if (server) {
      await server.stop().catch((err: Error) => console.error(`  could not stop code-server: ${err.message}`));
      if (failedHard) printLogs(serverLogFiles(server));
      console.log(`  logs: ${keepLogs(server, options.label)}`);
    }
  }
}

function failure(error: string): TestCounts {
  return { passed: 0, failed: 1, skipped: 0, failures: [{ title: 'in-host run', error }] };
}
