// The runner as a real process for tests: dist/runner.js bundled the way esbuild.mjs does into a temp folder, a
// `serve` child (its state folder, environment, output), and the `run / ls / stop` command lines against it.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { RunnerConnection } from '../../../src/adapters/remote/runnerConnection';
import { runnerFleetAgent } from '../../../src/adapters/remote/runnerFleetAgents';
import type { Supervisor } from '../remote/remoteKit';

export async function bundleRunner(): Promise<{ dir: string; script: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-runner-'));
  const script = join(dir, 'runner.js');
  await build({
    entryPoints: ['src/runner/runnerMain.ts'],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'better-sqlite3', 'node-pty'],
    alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'silent',
  });
  return { dir, script, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Mocha hooks for a describe block of real-runner tests: the runner bundled once (`script`), and the cleanups each
 * test pushes run after it, last first.
 */
export function useRunnerBundle(): { readonly script: string; readonly cleanups: (() => unknown)[] } {
  let bundle: Awaited<ReturnType<typeof bundleRunner>> | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    bundle = await bundleRunner();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  after(() => bundle?.dispose());
  return {
    get script() {
      return bundle!.script;
    },
    cleanups,
  };
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly stateDir: string;
  readonly port: number;
  readonly url: string;
  readonly token: string;
  output(): string;
  /** `flotilla-agent <args>` against this serve process: exit code and output. */
  cli(args: readonly string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  readonly script: string;
  readonly env?: Record<string, string>;
  /** Let the runner find node-pty in this checkout (else it runs agents with pipes). */
  readonly withPty?: boolean;
  readonly cwd?: string;
  readonly extraArgs?: readonly string[];
}

export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'flotilla-runner-state-'));
  const env: Record<string, string> = {
    PATH: `${resolve('node_modules/.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: stateDir,
    ...(options.withPty ? { NODE_PATH: resolve('node_modules') } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [options.script, 'serve', '--state-dir', stateDir, '--listen', '127.0.0.1:0', ...(options.extraArgs ?? [])], {
    cwd: options.cwd ?? stateDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 15_000);
    const check = (): void => {
      const match = /listening on wss?:\/\/[^:]+:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}`)));
  });
  // How to connect is printed once the token file exists.
  await new Promise((r) => setTimeout(r, 50));
  const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
  const cli = (args: readonly string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolveRun) => {
      execFile(process.execPath, [options.script, ...args.slice(0, 1), '--state-dir', stateDir, ...args.slice(1)], { cwd: cwd ?? stateDir, env }, (err, stdout, stderr) =>
        resolveRun({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  return {
    child,
    stateDir,
    port,
    url: `${/listening on wss:/.test(out) ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    token,
    output: () => out,
    cli,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Flotilla dialling `serve` as the connection "box" with a short backoff (the supervisor's side of a runner). */
export function dial(sup: Supervisor, serve: ServeProcess, token = serve.token): RunnerConnection {
  return new RunnerConnection({
    name: 'box',
    url: serve.url,
    token,
    accept: (socket, remote, id) => sup.adapter.acceptDialed(socket, remote, id),
    resolveAgent: (connection, agent, host) => runnerFleetAgent(sup.fleet, connection, agent, host),
    log: sup.log,
    initialDelayMs: 100,
    maxDelayMs: 500,
  });
}
