// The endpoint the supervisor dials (`serve --listen`): WebSocket only, HTTP or, with a certificate, HTTPS. Every
// upgrade needs the serve token as a bearer (compared in constant time, failures rate-limited per address); a browser
// (Origin header) is refused. /v1/runner is the index of agents, /v1/agents/<id> one agent's protocol v1 session;
// /v1/agents/<id>/pty attaches to its terminal, GET /v1/agents/<id>/changes and /file serve its worktree's diff
// (the same token, Origin and throttle checks; src/runner/ptyAttachment.ts, src/runner/worktreeDiff.ts).
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Disposable } from '../core/events';
import { MAX_FRAME_BYTES } from '../shared/protocol/limits';
import { IdSchema } from '../shared/protocol/fields';
import { RUNNER_AGENT_PATH_PREFIX, RUNNER_INDEX_PATH, SUPERVISOR_AGENT_ID_HEADER } from '../shared/protocol/runner';
import type { RunnerIndexMessage } from '../shared/protocol/runner';
import { MAX_PTY_INPUT_BYTES, RUNNER_CHANGES_SUFFIX, RUNNER_FILE_SUFFIX, RUNNER_PTY_SUFFIX } from '../shared/protocol/runnerAttach';
import type { WorktreeInfo } from '../shared/agent';
import type { AgentProcess } from './agentProcess';
import { attachPty } from './ptyAttachment';
import { serveDiffRequest } from './diffRoutes';
import { AuthThrottle } from './authThrottle';
import { bearerOf } from './runnerToken';
import type { RunnerToken } from './runnerToken';

export interface PublicServerDeps {
  readonly token: RunnerToken;
  readonly index: () => RunnerIndexMessage;
  /** Subscribes to changes of the index. */
  readonly onIndexChange: (listener: () => void) => Disposable;
  /** Hands an agent's session socket over; false when there is no such agent. */
  readonly attach: (agentId: string, socket: WebSocket, supervisorAgentId: string) => boolean;
  readonly hasAgent: (agentId: string) => boolean;
  readonly log: (line: string) => void;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** The agent's process, for Attach (undefined: no such agent, or not started). */
  readonly agentProcess?: (agentId: string) => AgentProcess | undefined;
  /** The agent's worktree, for Open Diff: null when it runs outside one, undefined when there is no such agent. */
  readonly agentWorktree?: (agentId: string) => WorktreeInfo | null | undefined;
  /** A message the supervisor sent on the index socket (a `start`): resolves with the answer to send back. */
  readonly onIndexMessage?: (text: string) => Promise<unknown>;
}

/** `/v1/agents/<id>` and what follows the id (`''`, `/pty`, `/changes`, `/file`); the id is decoded. */
function agentRoute(path: string): { agentId: string; rest: string } | undefined {
  if (!path.startsWith(RUNNER_AGENT_PATH_PREFIX)) return undefined;
  const tail = path.slice(RUNNER_AGENT_PATH_PREFIX.length);
  const slash = tail.indexOf('/');
  try {
    return slash < 0 ? { agentId: decodeURIComponent(tail), rest: '' } : { agentId: decodeURIComponent(tail.slice(0, slash)), rest: tail.slice(slash) };
  } catch {
    return undefined;
  }
}

export class PublicServer implements Disposable {
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  /** Attached terminals: input frames are keystrokes and pastes, at most MAX_PTY_INPUT_BYTES (larger: closed, 1009). */
  private readonly ptyWss = new WebSocketServer({ noServer: true, maxPayload: MAX_PTY_INPUT_BYTES });
  private readonly throttle = new AuthThrottle();
  private readonly indexSockets = new Set<WebSocket>();
  private readonly subscription: Disposable;

  constructor(private readonly deps: PublicServerDeps) {
    const plain = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const route = agentRoute((req.url ?? '/').split('?')[0]!);
      if (route && (route.rest === RUNNER_CHANGES_SUFFIX || route.rest === RUNNER_FILE_SUFFIX)) return this.onDiffRequest(req, res, route.agentId, route.rest);
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('flotilla-agent: WebSocket only (add it as a connection in Flotilla)\n');
    };
    this.server = deps.tls ? https.createServer({ cert: deps.tls.cert, key: deps.tls.key }, plain) : http.createServer(plain);
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.subscription = deps.onIndexChange(() => this.broadcastIndex());
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const client of this.wss.clients) client.close(1001, 'the runner is shutting down');
    for (const client of this.ptyWss.clients) client.close(1001, 'the runner is shutting down');
    this.wss.close();
    this.ptyWss.close();
    this.server.close();
    this.server.closeAllConnections();
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const peer = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const denied = this.denied(req, peer);
    if (denied) return refuse(denied.status, denied.text);
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === RUNNER_INDEX_PATH) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onIndexSocket(ws, peer));
      return;
    }
    const route = agentRoute(path);
    if (route?.rest === RUNNER_PTY_SUFFIX) {
      const proc = this.deps.agentProcess?.(route.agentId);
      if (!proc) return refuse(404, 'Not Found');
      this.ptyWss.handleUpgrade(req, socket, head, (ws) => {
        this.deps.log(`a terminal attached to agent ${route.agentId} from ${peer}`);
        attachPty(ws, proc, { log: (line) => this.deps.log(`agent ${route.agentId}: ${line}`) });
        ws.on('close', () => this.deps.log(`a terminal detached from agent ${route.agentId}`));
      });
      return;
    }
    if (route && route.rest === '') {
      const agentId = route.agentId;
      const header = req.headers[SUPERVISOR_AGENT_ID_HEADER];
      const supervisorId = IdSchema.safeParse(Array.isArray(header) ? header[0] : header);
      if (!supervisorId.success) return refuse(400, 'Bad Request');
      if (!this.deps.hasAgent(agentId)) return refuse(404, 'Not Found');
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (!this.deps.attach(agentId, ws, supervisorId.data)) ws.close(1008, 'no such agent');
      });
      return;
    }
    refuse(404, 'Not Found');
  }

  /** Why a request is refused (a browser, too many failures, a wrong token), or undefined when it may go on. */
  private denied(req: http.IncomingMessage, peer: string): { status: number; text: string } | undefined {
    if (req.headers.origin !== undefined) return { status: 403, text: 'Forbidden' };
    if (this.throttle.blocked(peer)) return { status: 429, text: 'Too Many Requests' };
    if (!this.deps.token.matches(bearerOf(req.headers.authorization))) {
      this.throttle.failed(peer);
      this.deps.log(`refused a connection from ${peer}: wrong or missing token`);
      return { status: 401, text: 'Unauthorized' };
    }
    return undefined;
  }

  private onDiffRequest(req: http.IncomingMessage, res: http.ServerResponse, agentId: string, rest: string): void {
    const denied = this.denied(req, req.socket.remoteAddress ?? 'unknown');
    if (denied) {
      res.writeHead(denied.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: denied.text }));
      return;
    }
    const worktree = this.deps.agentWorktree?.(agentId);
    void serveDiffRequest(req, res, { agentId, rest, worktree, log: this.deps.log });
  }

  private onIndexSocket(ws: WebSocket, peer: string): void {
    this.deps.log(`Flotilla connected from ${peer}`);
    this.indexSockets.add(ws);
    ws.on('close', () => {
      this.indexSockets.delete(ws);
      this.deps.log(`Flotilla at ${peer} disconnected`);
    });
    ws.on('error', () => undefined);
    // The supervisor's requests (`start`, src/runner/startRequests.ts), each answered on this socket.
    ws.on('message', (data) => {
      const handle = this.deps.onIndexMessage;
      if (!handle) return;
      handle(String(data)).then(
        (answer) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(answer)),
        (err: unknown) => this.deps.log(`an index request failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
    ws.send(JSON.stringify(this.deps.index()));
  }

  private broadcastIndex(): void {
    if (this.indexSockets.size === 0) return;
    const text = JSON.stringify(this.deps.index());
    for (const ws of this.indexSockets) if (ws.readyState === ws.OPEN) ws.send(text);
  }
}
