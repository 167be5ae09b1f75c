// Test kit for the bridge's defences: a real BridgeServer with the Claude hook route (token checked before the body)
// and the agent socket on 127.0.0.1:0, a real fleet and approval queue, and clients that misbehave on purpose
// (headers only, a raw socket writing whatever it is given). Waits are for events, never for time.
import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { startRemoteCore } from '../remote/remoteKit';
import type { RemoteCore, RemoteCoreOptions } from '../remote/remoteKit';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import type { BridgeServerOptions } from '../../../src/core/bridge/bridgeServer';
import { claudeStack, CLAUDE_HOOK_PATH } from '../../kit/claudeStack';
import type { ActionPolicy } from '../../../src/core/approvals/policyGate';
import type { Fleet } from '../../../src/core/fleet/fleet';
import { HOOK_SAMPLES } from '../claudeCode/hookSamples';
import { newFleet } from '../core/fleetKit';

/** Every PreToolUse and approval request goes to a human (so requests stay open until decided). */
export const ASK_HUMAN: ActionPolicy = () => ({ kind: 'approve', tier: 'approve', rule: 'test.ask' });

export interface HardenedBridge {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly bridge: BridgeServer;
  readonly sockets: RemoteCore;
  readonly port: number;
  readonly wsUrl: string;
  readonly log: ReturnType<typeof newFleet>['log'];
  /** A Claude Code agent and its token. */
  addAgent(name?: string): { id: string; token: string };
  dispose(): Promise<void>;
}

export async function startHardenedBridge(
  options: { bridge?: BridgeServerOptions; socket?: Partial<RemoteCoreOptions>; policy?: ActionPolicy } = {},
): Promise<HardenedBridge> {
  const { fleet, log } = newFleet();
  const approvals = new ApprovalQueue(() => ({ timeoutMs: 600_000, escalateAfterMs: 600_000 }));
  const bridge = new BridgeServer(log, options.bridge);
  const claude = claudeStack({ fleet, approvals, log, bridge, policy: options.policy ?? ASK_HUMAN });
  const sockets = startRemoteCore(bridge.httpServer, { fleet, approvals, log, stallMs: 600_000, policy: options.policy ?? ASK_HUMAN, ...options.socket });
  const { port } = await bridge.listen(0);
  let n = 0;
  return {
    fleet,
    approvals,
    bridge,
    sockets,
    port,
    log,
    wsUrl: `ws://127.0.0.1:${port}/v1/agents`,
    addAgent: (name = `agent-${++n}`) => {
      const created = fleet.create({ name, kind: 'claude-code', cwd: '/tmp/repo' });
      return { id: created.agent.id, token: created.token };
    },
    dispose: async () => {
      sockets.dispose();
      claude.dispose();
      approvals.dispose();
      bridge.dispose();
      fleet.dispose();
      if (bridge.httpServer.listening) await once(bridge.httpServer, 'close');
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  /** The server asked to close the connection after this reply. */
  readonly closes: boolean;
}

export interface PostOptions {
  readonly token?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly agent?: http.Agent;
  readonly path?: string;
}

function readReply(res: http.IncomingMessage): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let data = '';
    res.on('data', (c: Buffer) => (data += c.toString()));
    res.on('error', reject);
    res.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        // not JSON: kept as text
      }
      resolve({ status: res.statusCode ?? 0, body, closes: res.headers.connection === 'close' });
    });
  });
}

function requestOptions(port: number, options: PostOptions, extra: http.OutgoingHttpHeaders): http.RequestOptions {
  return {
    host: '127.0.0.1',
    port,
    path: options.path ?? CLAUDE_HOOK_PATH,
    method: 'POST',
    agent: options.agent ?? false,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...extra, ...options.headers },
  };
}

/** POSTs a hook payload (object or raw text) and reads the JSON reply. */
export function post(port: number, body: unknown, options: PostOptions = {}): Promise<Reply> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(requestOptions(port, options, { 'content-length': Buffer.byteLength(text) }), (res) => void readReply(res).then(resolve, reject));
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Sends the headers of a POST announcing `contentLength` bytes and nothing more; resolves with the reply, which a
 * bridge that judges the headers alone sends without waiting for the body. `sendBody` writes the body afterwards.
 */
export function postHeadersOnly(port: number, contentLength: number, options: PostOptions = {}): { reply: Promise<Reply>; request: http.ClientRequest } {
  const req = http.request(requestOptions(port, options, { 'content-length': contentLength }));
  const reply = new Promise<Reply>((resolve, reject) => {
    req.on('response', (res) => void readReply(res).then(resolve, reject));
    req.on('error', reject);
  });
  req.flushHeaders();
  return { reply, request: req };
}

export interface RawConnection {
  readonly socket: net.Socket;
  /** Everything the server wrote, once it closed the connection. */
  readonly closed: Promise<string>;
}

/** A raw TCP connection that writes `text` (possibly an incomplete request) and then waits. */
export async function rawConnection(port: number, text = ''): Promise<RawConnection> {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(data)));
  await once(socket, 'connect');
  if (text) socket.write(text);
  return { socket, closed };
}

/** A PreToolUse whose tool input is nested `depth` arrays deep (about 2 bytes a level). */
export function deepPreToolUse(depth: number): string {
  const payload = JSON.stringify({ ...HOOK_SAMPLES.PreToolUse, tool_input: { command: '@' } });
  return payload.replace('"@"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
}

/** Resolves when the approval queue holds `count` requests. */
export function pendingCount(approvals: ApprovalQueue, count: number): Promise<void> {
  if (approvals.pending().length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = approvals.onDidAdd(() => {
      if (approvals.pending().length >= count) {
        listener.dispose();
        resolve();
      }
    });
  });
}
