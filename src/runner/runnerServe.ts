// `flotilla-agent serve`: the token, the loopback port (hooks, local API), the public endpoint the supervisor dials,
// the agents, and the Claude Code adapter activated on the runner's own host (frame sink, loopback routes).
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaudeCodeAdapter } from '../adapters/claudeCode/claudeCodeAdapter';
import type { Logger } from '../core/log';
import type { Disposable } from '../core/events';
import { LocalServer } from './localServer';
import { PublicServer } from './publicServer';
import { parseRunRequest } from './runRequest';
import { RunnerAgents } from './runnerAgents';
import { StartRequests } from './startRequests';
import { FrameSink } from './frameSink';
import { loadOrCreateToken } from './runnerToken';
import { loadPty } from './agentProcess';

export interface ServeOptions {
  readonly stateDir: string;
  readonly tokenFile: string;
  readonly listenHost: string;
  readonly listenPort: number;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Listening beyond loopback without TLS (an SSH tunnel is the better way). */
  readonly insecure?: boolean;
  readonly pipesOnly?: boolean;
  /** This program (dist/runner.js): Claude Code's command hook for events without http hooks. */
  readonly selfScript: string;
  readonly out: (line: string) => void;
  readonly maxFramesPerAgent?: number;
}

export interface ServeState {
  readonly localPort: number;
  readonly publicPort: number;
  readonly pid: number;
}

export const SERVE_STATE_FILE = 'serve.json';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function serve(options: ServeOptions): Promise<Disposable & ServeState> {
  if (!isLoopback(options.listenHost) && !options.tls && !options.insecure) {
    throw new Error(`--listen ${options.listenHost}: beyond loopback only with TLS (--tls-cert and --tls-key), or reach 127.0.0.1 through an SSH tunnel`);
  }
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const token = loadOrCreateToken(options.tokenFile);
  const line = (text: string): void => options.out(`${new Date().toISOString()} ${text}`);
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => line(m), warn: (m) => line(`warning: ${m}`), error: (m) => line(`error: ${m instanceof Error ? m.message : m}`) };
  const host = os.hostname();
  // The agents are made below; the sink looks them up when facts come.
  const sink = new FrameSink((id) => agents.get(id)?.outbox, line);
  const claude = new ClaudeCodeAdapter({ claudePath: () => 'claude', log });
  const local = new LocalServer(
    token,
    (t) => agents.byToken(t)?.snapshot,
    {
      list: () => ({ host, agents: agents.list() }),
      run: async (body) => {
        const parsed = parseRunRequest(body);
        if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
        try {
          const entry = await agents.start(parsed.request);
          return { status: 200, body: { name: entry.snapshot.name, pid: entry.process?.pid, mode: entry.process?.mode, cwd: entry.snapshot.cwd } };
        } catch (err) {
          return { status: 409, body: { error: err instanceof Error ? err.message : String(err) } };
        }
      },
      stop: (name) => (agents.stop(name, 'flotilla-agent stop') ? { status: 200, body: { stopped: name } } : { status: 404, body: { error: `no running agent named '${name}'` } }),
    },
    line,
  );
  const localPort = await local.listen();
  const agents: RunnerAgents = new RunnerAgents({
    host,
    stateDir: options.stateDir,
    hookBaseUrl: `http://127.0.0.1:${localPort}`,
    hookProgram: options.selfScript,
    claude,
    sink: () => sink,
    log: line,
    maxFramesPerAgent: options.maxFramesPerAgent ?? 10_000,
    ...(options.pipesOnly ? { pipesOnly: true } : {}),
  });
  const claudeActivation = claude.activate({
    sink,
    log,
    agentByToken: (t) => agents.byToken(t)?.snapshot,
    agent: (id) => agents.get(id)?.snapshot,
    route: (p, handler) => local.route(p, handler),
  });
  const starts = new StartRequests({
    start: async (request) => {
      const entry = await agents.start(request);
      return { pid: entry.process?.pid, mode: entry.process?.mode ?? 'pipes', cwd: entry.snapshot.cwd };
    },
    cwd: process.cwd(),
    log: line,
  });
  const pub = new PublicServer({
    token,
    index: () => ({ type: 'runner_agents', host, agents: agents.list() }),
    onIndexChange: (listener) => agents.onDidChange(listener),
    hasAgent: (id) => agents.get(id) !== undefined,
    attach: (id, socket, supervisorId) => {
      const entry = agents.get(id);
      if (!entry) return false;
      entry.outbox.attach(socket, supervisorId);
      return true;
    },
    log: line,
    // New Agent on this runner: a supervisor's `start`, made exactly as `flotilla-agent run` (src/runner/startRequests.ts).
    onIndexMessage: (text) => starts.handle(text),
    // Attach and Open Diff (src/runner/ptyAttachment.ts, src/runner/diffRoutes.ts).
    agentProcess: (id) => agents.get(id)?.process,
    agentWorktree: (id) => {
      const entry = agents.get(id);
      return entry === undefined ? undefined : (entry.snapshot.worktree ?? null);
    },
    ...(options.tls ? { tls: { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } } : {}),
  });
  const publicPort = await pub.listen(options.listenHost, options.listenPort);
  const stateFile = path.join(options.stateDir, SERVE_STATE_FILE);
  const state: ServeState = { localPort, publicPort, pid: process.pid };
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  const scheme = options.tls ? 'wss' : 'ws';
  line(`flotilla-agent serve: listening on ${scheme}://${options.listenHost}:${publicPort} (agents: ${loadPty() ? 'pseudo-terminals' : 'pipes, node-pty is not available'})`);
  if (token.created) line(`a new token was written to ${token.file} (only you can read it)`);
  options.out(
    [
      'To connect from VS Code: run "Flotilla: Add Remote Connection..." with',
      `  URL   ${scheme}://${isLoopback(options.listenHost) ? '127.0.0.1' : options.listenHost}:${publicPort}` +
        (isLoopback(options.listenHost) ? `   (from your laptop: ssh -L ${publicPort}:127.0.0.1:${publicPort} ${host})` : ''),
      `  token the contents of ${token.file} (cat it on this machine; it is never printed here)`,
    ].join('\n'),
  );
  return {
    ...state,
    dispose: () => {
      pub.dispose();
      agents.dispose();
      claudeActivation.dispose();
      local.dispose();
      rmSync(stateFile, { force: true });
    },
  };
}
