// What the workbench benches share: the staged extension in a fresh code-server (extra env and settings allowed),
// headless Chromium on the workbench with the Flotilla view open, and the flags they take.
import * as os from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, Workbench } from '../test/harness/browser';
import { makeServerDirs, printLogs, serverLogFiles, startCodeServer } from '../test/harness/codeServer';
import type { CodeServer } from '../test/harness/codeServer';
import { installStagedExtension } from '../test/harness/e2eSession';
import { prepare } from '../test/harness/prepare';
import type { Toolchain } from '../test/harness/prepare';
import { installTeardownHandlers } from '../test/harness/proc';
import { buildExtension, stageExtension } from '../test/harness/stageExtension';
import type { StagedExtension } from '../test/harness/stageExtension';
import { createWorkspace } from '../test/harness/workspace';

export interface BenchWorkbench {
  readonly toolchain: Toolchain;
  readonly server: CodeServer;
  readonly workspace: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly workbench: Workbench;
  /** Closes the browser and stops code-server; prints the server, host and Flotilla logs when asked. */
  stop(printLogsToo?: boolean): Promise<void>;
}

/** The value of `--name N` on the command line, or `fallback`. */
export function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number, got ${process.argv[at + 1]}`);
  return value;
}

export const loadLine = (): string => `${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;

/** Built and staged as the e2e tier does ($FLOTILLA_STAGED_EXTENSION: that folder as is; --no-build: dist as is). */
async function staged(toolchain: Toolchain): Promise<StagedExtension> {
  if (process.env.FLOTILLA_STAGED_EXTENSION) return { dir: process.env.FLOTILLA_STAGED_EXTENSION, nativeModule: 'node24' };
  if (!process.argv.includes('--no-build')) await buildExtension();
  return stageExtension({ nativeModulesDir: toolchain.nativeModulesDir });
}

/** A fresh code-server with the extension installed, the workbench open in Chromium and the Agents view showing. */
export async function startBenchWorkbench(options: { settings?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<BenchWorkbench> {
  installTeardownHandlers();
  const toolchain = await prepare();
  const extension = await staged(toolchain);
  const dirs = makeServerDirs(options.settings ?? {});
  installStagedExtension(extension, dirs.extensionsDir);
  const server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, ...(options.env ? { env: options.env } : {}) });
  let context: BrowserContext | undefined;
  const stop = async (printLogsToo = false): Promise<void> => {
    await context?.close().catch(() => undefined);
    await server.stop();
    if (printLogsToo) printLogs(serverLogFiles(server));
  };
  try {
    const workspace = createWorkspace();
    context = await launchBrowser(toolchain.chromium);
    const page = context.pages()[0] ?? (await context.newPage());
    await openWorkbench(page, server.workbenchUrl(workspace));
    const workbench = new Workbench(page);
    await workbench.openViewContainer('Flotilla');
    await workbench.viewPane('Agents').waitFor({ state: 'visible' });
    return { toolchain, server, workspace, context, page, workbench, stop };
  } catch (err) {
    await stop(true);
    throw err;
  }
}
