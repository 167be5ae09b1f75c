// The endpoint the supervisor dials (`serve --listen`): WebSocket only, HTTP or, with a certificate, HTTPS. Every
// upgrade needs the serve token as a bearer (compared in constant time, failures rate-limited per address); a browser
// (Origin header) is refused. /v1/runner is the index of agents, /v1/agents/<id> one agent's protocol v1 session.
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
}

export class PublicServer implements Disposable {
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly throttle = new AuthThrottle();
  private readonly indexSockets = new Set<WebSocket>();
  private readonly subscription: Disposable;

  constructor(private readonly deps: PublicServerDeps) {
    const plain = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
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
    this.wss.close();
    this.server.close();
    this.server.closeAllConnections();
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const peer = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (req.headers.origin !== undefined) return refuse(403, 'Forbidden');
    if (this.throttle.blocked(peer)) return refuse(429, 'Too Many Requests');
    if (!this.deps.token.matches(bearerOf(req.headers.authorization))) {
      this.throttle.failed(peer);
      this.deps.log(`refused a connection from ${peer}: wrong or missing token`);
      return refuse(401, 'Unauthorized');
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === RUNNER_INDEX_PATH) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onIndexSocket(ws, peer));
      return;
    }
    if (path.startsWith(RUNNER_AGENT_PATH_PREFIX)) {
      const agentId = decodeURIComponent(path.slice(RUNNER_AGENT_PATH_PREFIX.length));
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

  private onIndexSocket(ws: WebSocket, peer: string): void {
    this.deps.log(`Flotilla connected from ${peer}`);
    this.indexSockets.add(ws);
    ws.on('close', () => {
      this.indexSockets.delete(ws);
      this.deps.log(`Flotilla at ${peer} disconnected`);
    });
    ws.on('error', () => undefined);
    // The supervisor sends nothing on the index; anything it sends is ignored.
    ws.send(JSON.stringify(this.deps.index()));
  }

  private broadcastIndex(): void {
    if (this.indexSockets.size === 0) return;
    const text = JSON.stringify(this.deps.index());
    for (const ws of this.indexSockets) if (ws.readyState === ws.OPEN) ws.send(text);
  }
}
