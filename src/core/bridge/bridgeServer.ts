// The local bridge: one HTTP server on 127.0.0.1 that agents report to (Claude Code http hooks today,
// WebSocket agents later). It keeps its port across window reloads so running sessions keep reporting.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Disposable } from '../events';
import type { Logger } from '../log';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface BridgeRequest {
  readonly body: unknown;
  /** The bearer token from the Authorization header, if any. */
  readonly token: string | undefined;
}

export interface BridgeResponse {
  readonly status: number;
  readonly body: unknown;
}

export type BridgeHandler = (request: BridgeRequest, signal: AbortSignal) => Promise<BridgeResponse>;

export interface ListenResult {
  readonly port: number;
  /** False when the preferred port was taken and another one had to be used. */
  readonly gotPreferredPort: boolean;
  readonly preferredPortError?: string;
}

export class BridgeServer implements Disposable {
  private readonly routes = new Map<string, BridgeHandler>();
  private readonly server: http.Server;

  constructor(private readonly log: Logger) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    // Claude Code keeps its hook connection alive between events; a long idle timeout saves a handshake each time.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
    // Approval replies may wait minutes for a human.
    this.server.requestTimeout = 0;
  }

  get httpServer(): http.Server {
    return this.server;
  }

  route(path: string, handler: BridgeHandler): Disposable {
    this.routes.set(path, handler);
    return { dispose: () => this.routes.delete(path) };
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
    const send = (status: number, body: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = this.routes.get(path);
    if (req.method !== 'POST' || !handler) {
      send(404, { error: `no route for ${req.method} ${path}` });
      return;
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      send(413, { error: err instanceof Error ? err.message : String(err) });
      return;
    }
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : JSON.parse(raw);
    } catch (err) {
      this.log.warn(`bridge ${path}: body is not JSON (${err instanceof Error ? err.message : String(err)})`);
      send(400, { error: 'body is not valid JSON' });
      return;
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    try {
      const reply = await handler({ body, token }, abort.signal);
      send(reply.status, reply.body);
    } catch (err) {
      this.log.error(`bridge ${path}: handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      send(500, { error: 'internal error in Flotilla' });
    }
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
