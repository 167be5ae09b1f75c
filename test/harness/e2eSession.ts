// One workbench for the end-to-end tests: the staged extension installed into a fresh code-server (installed
// mode, so notifications show as real toasts), a fresh git workspace, and Chromium on the workbench.
// test/e2e/setup.ts starts it before the first test and stops it after the last; useFreshWorkbench() gives a
// describe block a pristine one.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, Workbench } from './browser';
import { keepLogs, makeServerDirs, printLogs, serverLogFiles, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { artifactsDir } from './paths';
import { prepare } from './prepare';
import { installTeardownHandlers } from './proc';
import type { Toolchain } from './prepare';
import { buildExtension, stageExtension } from './stageExtension';
import type { StagedExtension } from './stageExtension';
import { createWorkspace } from './workspace';

export interface E2eSession {
  toolchain: Toolchain;
  staged: StagedExtension;
  server: CodeServer;
  workspace: string;
  context: BrowserContext;
  page: Page;
  workbench: Workbench;
}

/**
 * Installs a staged extension the way a VSIX install lays it out: <extensions dir>/<publisher>.<name>-<version>.
 * (vsce with --no-dependencies leaves node_modules out of a VSIX, so the staged folder is copied instead.)
 */
export function installStagedExtension(staged: StagedExtension, extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(staged.dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const target = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  cpSync(staged.dir, target, { recursive: true });
  return target;
}

const screenshotsDir = join(artifactsDir, 'screenshots');

let current: E2eSession | undefined;

/** The running session; e2e tests call this inside their tests and hooks. */
export function e2eSession(): E2eSession {
  if (!current) throw new Error('no e2e session: run the e2e tests with --require test/e2e/setup.ts (npx tsx test/harness/main.ts e2e)');
  return current;
}

let sessionCount = 0;
/** Whether a test has run against the current session (a pristine one need not be replaced). */
let sessionUsed = false;
let lastSettings: Record<string, unknown> = {};
/** The settings one describe block added for its own fresh workbench (useFreshWorkbench(extra)). */
let currentExtra = '{}';
let stagedOnce: StagedExtension | undefined;

/**
 * Starts the session; $FLOTILLA_STAGED_EXTENSION (set by main.ts) skips the build and staging.
 * `settings` are user settings the workbench starts with (fixtures' addresses, test-friendly timings).
 */
export async function startE2eSession(settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<E2eSession> {
  // This runs in mocha's process: a SIGTERM from main.ts (or Ctrl-C) must still stop code-server's group.
  installTeardownHandlers();
  const toolchain = await prepare();
  lastSettings = settings;
  if (!stagedOnce) {
    if (process.env.FLOTILLA_STAGED_EXTENSION) {
      stagedOnce = { dir: process.env.FLOTILLA_STAGED_EXTENSION, nativeModule: 'node24' };
    } else {
      await buildExtension();
      stagedOnce = stageExtension({ nativeModulesDir: toolchain.nativeModulesDir });
    }
  }
  const staged = stagedOnce;
  if (sessionCount === 0) {
    // Screenshots of failures from an earlier run would mislead.
    for (const name of existsSync(screenshotsDir) ? readdirSync(screenshotsDir) : []) {
      if (name.startsWith('failed-')) rmSync(join(screenshotsDir, name), { force: true });
    }
  }
  sessionCount += 1;
  sessionUsed = false;
  currentExtra = JSON.stringify(extra);
  const dirs = makeServerDirs({ ...settings, ...extra });
  installStagedExtension(staged, dirs.extensionsDir);
  const server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
  let context: BrowserContext | undefined;
  try {
    const workspace = createWorkspace();
    context = await launchBrowser(toolchain.chromium);
    const page = context.pages()[0] ?? (await context.newPage());
    await openWorkbench(page, server.workbenchUrl(workspace));
    current = { toolchain, staged, server, workspace, context, page, workbench: new Workbench(page) };
    return current;
  } catch (err) {
    await context?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/** Closes the browser and stops code-server; prints the server, host and Flotilla logs when asked (on failure). */
export async function stopE2eSession(options: { printLogs?: boolean } = {}): Promise<void> {
  const session = current;
  current = undefined;
  if (!session) return;
  await session.context.close().catch(() => undefined);
  await session.server.stop();
  if (options.printLogs) printLogs(serverLogFiles(session.server));
  console.log(`  logs: ${keepLogs(session.server, `e2e-${sessionCount}`)}`);
}

/** Called after each test (test/e2e/setup.ts): the session is no longer pristine. */
export function markE2eSessionUsed(): void {
  sessionUsed = true;
}

/** Replaces the running session with a fresh one (new user data, workspace and browser), same settings. */
export async function restartE2eSession(extra: Record<string, unknown> = {}): Promise<E2eSession> {
  if (current && !sessionUsed && currentExtra === JSON.stringify(extra)) return current;
  await stopE2eSession();
  return startE2eSession(lastSettings, extra);
}

/**
 * For a describe block whose tests need Flotilla's first-run state (no agents, empty approvals): gives it a
 * fresh workbench, whatever earlier files did to the shared one. Call it at the top of the describe. `extraSettings`
 * are user settings for this block only (e.g. a short flotilla.stallSeconds); a later fresh workbench has none of them.
 */
export function useFreshWorkbench(extraSettings: Record<string, unknown> = {}): void {
  before(async function () {
    this.timeout(5 * 60_000);
    await restartE2eSession(extraSettings);
  });
}
