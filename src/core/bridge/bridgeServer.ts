// The local bridge: one HTTP server on 127.0.0.1 that agents report to (Claude Code http hooks, and the WebSocket
// endpoint for remote agents). It keeps its port across window reloads so running sessions keep reporting.
// Untrusted clients get little: Host and Origin are checked and the token looked up before the body is read,
// headers and body have short deadlines, and connections and open requests per agent are capped.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import { MAX_HOOK_PAYLOAD_BYTES } from '../../shared/claudeCode/hookPayloads';
import { ConnectionGuard } from './connectionGuard';
import type { ConnectionCounts } from './connectionGuard';
import { RefusalLog } from './refusalLog';
import { BodyError, readBody } from './requestBody';
import { refuseForeignRequest } from './requestGuard';

/** One body limit for every route: the largest Claude Code hook payload the schema accepts. */
export const MAX_BODY_BYTES = MAX_HOOK_PAYLOAD_BYTES;

export interface BridgeServerOptions {
  /** Time to receive a request's headers (default 10 s); the connection is closed with 408 after it. */
  readonly headersTimeoutMs?: number;
  /** Time to receive the body once it is wanted (default 10 s); waiting for the reply afterwards is not timed. */
  readonly bodyTimeoutMs?: number;
  /** Open connections, HTTP and WebSocket alike (default 2048); see ConnectionGuard for who gets evicted. */
  readonly maxConnections?: number;
  /** Connections one agent keeps trusted (default 64). */
  readonly maxConnectionsPerAgent?: number;
  /** Requests of one agent being read or waiting for their reply (default 32); one more gets 429 rate_limited. */
  readonly maxPendingPerAgent?: number;
}

export const BRIDGE_DEFAULTS = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxConnections: 2048,
  maxConnectionsPerAgent: 64,
  maxPendingPerAgent: 32,
} as const satisfies Required<BridgeServerOptions>;

export interface BridgeRequest {
  readonly body: unknown;
  /** The bearer token from the Authorization header, if any. */
  readonly token: string | undefined;
  /** The agent the route's `authenticate` found for the token (routes with access only). */
  readonly agentId?: string;
}

export interface BridgeResponse {
  readonly status: number;
  readonly body: unknown;
}

export type BridgeHandler = (request: BridgeRequest, signal: AbortSignal) => Promise<BridgeResponse>;

/** How a route authenticates: checked from the headers alone, before a byte of the body is read. */
export interface RouteAccess {
  /** The id of the agent this bearer token belongs to, or undefined (401, the body is never read). */
  authenticate(token: string): string | undefined;
}

interface Route {
  readonly handler: BridgeHandler;
  /** Without access the route is open to anyone who reaches the port (tests and benches only). */
  readonly access: RouteAccess | undefined;
}

export interface ListenResult {
  readonly port: number;
  /** False when the preferred port was taken and another one had to be used. */
  readonly gotPreferredPort: boolean;
  readonly preferredPortError?: string;
}

export class BridgeServer implements Disposable {
  private readonly routes = new Map<string, Route>();
  private readonly server: http.Server;
  private readonly connections: ConnectionGuard;
  private readonly options: Required<BridgeServerOptions>;
  /** Requests being read or waiting for their reply, by agent id. */
  private readonly pending = new Map<string, number>();
  private readonly refusals: RefusalLog;

  constructor(
    private readonly log: Logger,
    options: BridgeServerOptions = {},
  ) {
    this.options = { ...BRIDGE_DEFAULTS, ...options };
    const { headersTimeoutMs } = this.options;
    // Node checks header deadlines on this interval; a quarter of the timeout keeps the real deadline close.
    const connectionsCheckingInterval = Math.max(10, Math.min(1_000, Math.floor(headersTimeoutMs / 4)));
    this.server = http.createServer({ connectionsCheckingInterval }, (req, res) => void this.onRequest(req, res));
    // Claude Code keeps its hook connection alive between events; a long idle timeout saves a handshake each time.
    // Idle connections are not what headersTimeout times: Node starts that clock at a request's first byte.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = headersTimeoutMs;
    // Approval replies may wait minutes for a human: the body's own deadline is bodyTimeoutMs (see readBody).
    this.server.requestTimeout = 0;
    this.connections = new ConnectionGuard(this.server, {
      maxConnections: this.options.maxConnections,
      maxTrustedPerPrincipal: this.options.maxConnectionsPerAgent,
    });
    this.refusals = new RefusalLog(log);
  }

  get httpServer(): http.Server {
    return this.server;
  }

  /** Open, trusted, evicted and refused connections so far (for benches and tests). */
  get connectionCounts(): ConnectionCounts {
    return this.connections.counts;
  }

  /** Serves POSTs to `path`. With `access`, a request without a valid bearer token gets 401 before its body is read. */
  route(path: string, handler: BridgeHandler, access?: RouteAccess): Disposable {
    const route: Route = { handler, access };
    this.routes.set(path, route);
    return { dispose: () => this.routes.get(path) === route && this.routes.delete(path) };
  }

  /** Listens on the preferred port when it is free, otherwise on a new free port (reported to the caller). */
  async listen(preferredPort: number): Promise<ListenResult> {
    if (preferredPort > 0) {
      try {
        return { port: await this.listenOn(preferredPort), gotPreferredPort: true };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        this.log.warn(`bridge could not listen on 127.0.0.1:${preferredPort} (${reason}); using a new port`);
        return { port: await this.listenOn(0), gotPreferredPort: false, preferredPortError: reason };
      }
    }
    return { port: await this.listenOn(0), gotPreferredPort: true };
  }

  get port(): number | undefined {
    const address = this.server.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  dispose(): void {
    this.connections.dispose();
    this.server.closeAllConnections();
    this.server.close();
  }

  private listenOn(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const foreign = refuseForeignRequest(req.headers, this.port);
    if (foreign) return this.refuse(req, res, foreign.status, { error: foreign.error }, `${foreign.error} (Host ${clipHeader(req.headers.host)})`);
    const route = this.routes.get(path);
    if (req.method !== 'POST' || !route) return this.refuse(req, res, 404, { error: `no route for ${req.method} ${clipHeader(path)}` });
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    let agentId: string | undefined;
    if (route.access) {
      if (!token) return this.refuse(req, res, 401, { error: 'missing bearer token' });
      agentId = route.access.authenticate(token);
      if (agentId === undefined) return this.refuse(req, res, 401, { error: 'unknown agent token' });
      this.connections.trust(req.socket, agentId);
      const open = this.pending.get(agentId) ?? 0;
      if (open >= this.options.maxPendingPerAgent) {
        const message = `more than ${this.options.maxPendingPerAgent} requests of this agent are open; retry when one is answered`;
        return this.refuse(req, res, 429, { error: 'rate_limited', message }, `agent ${agentId}: ${message}`);
      }
      this.pending.set(agentId, open + 1);
      res.once('close', () => this.release(agentId!));
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES, this.options.bodyTimeoutMs);
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      const message = err instanceof Error ? err.message : String(err);
      return this.refuse(req, res, status, { error: message });
    }
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : JSON.parse(raw);
    } catch (err) {
      this.log.warn(`bridge ${path}: body is not JSON (${err instanceof Error ? err.message : String(err)})`);
      send(res, 400, { error: 'body is not valid JSON' });
      return;
    }
    try {
      const reply = await route.handler({ body, token, ...(agentId === undefined ? {} : { agentId }) }, abort.signal);
      send(res, reply.status, reply.body);
    } catch (err) {
      this.log.error(`bridge ${path}: handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      send(res, 500, { error: 'internal error in Flotilla' });
    }
  }

  private release(agentId: string): void {
    const open = (this.pending.get(agentId) ?? 1) - 1;
    if (open <= 0) this.pending.delete(agentId);
    else this.pending.set(agentId, open);
  }

  /**
   * Answers and closes the connection without reading (the rest of) the body: Node ends the socket once the reply
   * is out, so a client still sending gets no more of our time or memory.
   */
  private refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: { error: string; message?: string }, detail = body.error): void {
    this.refusals.note(status, `bridge refused ${req.method ?? '?'} from ${req.socket.remoteAddress ?? '?'}: ${status} ${detail}`);
    send(res, status, body, true);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function clipHeader(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
}
