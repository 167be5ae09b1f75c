// Starts code-server (a real VS Code workbench and extension host) for one run: its own process group, a free
// port on 127.0.0.1, fresh user-data and extensions dirs with quiet settings; stops it by signalling the group.
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Toolchain } from './prepare';
import { artifactPath, freshDir } from './paths';
import { cleanEnv, run, spawnGroup, stopGroup, tail } from './proc';

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  pid: number;
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout+stderr. */
  outputFile: string;
  /** The workbench URL for a folder, with an optional smoke-test payload. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** A path on this machine as the workbench's vscode-remote:// URI. */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Needed for extensionDevelopmentPath/extensionTestsPath payloads; hides notification toasts. */
  smokeTestDriver?: boolean;
  /** Extra user settings on top of the quiet ones. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server (and so the extension host). */
  env?: Record<string, string>;
  /** Use these dirs instead of fresh ones (e.g. after installExtension). */
  userDataDir?: string;
  extensionsDir?: string;
}

/** Settings that keep an offline workbench quiet (see recipes/vscode-test-host.md). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
  // An empty secondary side bar would take a third of every screenshot.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Fresh run dirs with the quiet user settings in place. */
export function makeServerDirs(settings: Record<string, unknown> = {}): { runDir: string; userDataDir: string; extensionsDir: string } {
  const runDir = freshDir('code-server');
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  // In a remote window (code-server is one) settings of scope `machine` (flotilla.claudeCode.path) are read from the
  // server's Machine settings only; a user-level value is ignored.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  return { runDir, userDataDir, extensionsDir };
}

function serverEnv(runDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // XDG_CONFIG_HOME keeps code-server from writing ~/.config/code-server/config.yaml.
  return cleanEnv({ XDG_CONFIG_HOME: join(runDir, 'config'), XDG_DATA_HOME: join(runDir, 'data'), ...extra });
}

/** Installs a VSIX into an extensions dir, as a user would (`code-server --install-extension`). */
export async function installExtension(toolchain: Toolchain, vsix: string, dirs: { runDir: string; userDataDir: string; extensionsDir: string }): Promise<void> {
  const result = await run(
    toolchain.node24,
    [toolchain.codeServerEntry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix, '--force'],
    { env: serverEnv(dirs.runDir), timeoutMs: 60_000 },
  );
  if (result.code !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.code}):\n${tail(result.output, 20)}`);
}

const READY = 'HTTP server listening on';

export async function startCodeServer(toolchain: Toolchain, options: CodeServerOptions = {}): Promise<CodeServer> {
  const fresh = options.userDataDir && options.extensionsDir ? undefined : makeServerDirs(options.settings);
  const userDataDir = options.userDataDir ?? fresh!.userDataDir;
  const extensionsDir = options.extensionsDir ?? fresh!.extensionsDir;
  const runDir = fresh?.runDir ?? join(userDataDir, '..');
  const port = await freePort();
  const args = [
    toolchain.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
  ];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const outputFile = join(runDir, 'code-server.log');
  const out = createWriteStream(outputFile);
  const child = spawnGroup(toolchain.node24, args, { env: serverEnv(runDir, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start (no pid)');

  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`code-server did not say "${READY}" within 60 s`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stopGroup(pid).catch(() => undefined);
      reject(new Error(`${err.message}\n${tail(output, 20)}`));
    };
    const onData = (data: Buffer) => {
      out.write(data);
      output += data.toString();
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`code-server exited before it was ready (${signal ?? `exit ${code}`})`)));
  });

  const origin = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    port,
    origin,
    pid,
    runDir,
    userDataDir,
    extensionsDir,
    outputFile,
    remoteUri: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    workbenchUrl(folder, payload) {
      let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopGroup(pid);
      out.end();
    },
  };
}

/** Every file under `dir` whose path matches `test`, newest first. */
export function findFiles(dir: string, test: (path: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    if (!existsSync(at)) return;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (test(path)) found.push(path);
    }
  };
  walk(dir);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/** The logs a failing run should show: server (remoteagent), extension host, and the Flotilla output channel. */
export function serverLogFiles(server: Pick<CodeServer, 'userDataDir' | 'outputFile'>): { label: string; path: string }[] {
  const logs = join(server.userDataDir, 'logs');
  const files = [{ label: 'code-server output', path: server.outputFile }];
  for (const path of findFiles(logs, (p) => p.endsWith('remoteagent.log'))) files.push({ label: 'server log', path });
  for (const path of findFiles(logs, (p) => /exthost\d*[/\\]remoteexthost\.log$/.test(p))) files.push({ label: 'extension host log', path });
  for (const path of flotillaLogFiles(logs)) files.push({ label: 'Flotilla output channel', path });
  return files;
}

/** The Flotilla output channel's log file(s) under a logs dir: exthostN/output_logging_TS/N-Flotilla.log, or a log channel's own file. */
export function flotillaLogFiles(logsDir: string): string[] {
  return findFiles(logsDir, (p) => /exthost\d*[/\\]/.test(p) && /Flotilla[^/\\]*\.log$/.test(p));
}

/** Prints the tail of each log, for a failed or timed-out run. */
export function printLogs(files: { label: string; path: string }[], lines = 60): void {
  for (const { label, path } of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    console.log(`\n----- ${label}: ${path} (last ${lines} lines) -----\n${tail(text.trimEnd(), lines)}`);
  }
}

/** Copies a run's logs (code-server output, host console, server/exthost/Flotilla logs) to artifacts/logs/<label>/. */
export function keepLogs(server: Pick<CodeServer, 'runDir' | 'userDataDir'>, label: string): string {
  const target = artifactPath('logs', label);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(server.runDir)) {
    if (name.endsWith('.log') || name.endsWith('.json')) cpSync(join(server.runDir, name), join(target, name));
  }
  const logs = join(server.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(target, 'logs'), { recursive: true });
  return target;
}
