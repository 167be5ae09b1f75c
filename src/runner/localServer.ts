// The serve process's loopback HTTP port: Claude Code's hooks (routes the adapters register, authenticated by the
// agent's own token, like the extension's bridge) and the local API of `flotilla-agent run / ls / stop`
// (authenticated by the serve token). Only 127.0.0.1; requests from a browser (an Origin header) are refused.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterRoute } from '../core/agents/agentAdapter';
import { BodyError, readBody } from '../core/bridge/requestBody';
import type { Disposable } from '../core/events';
import type { AgentSnapshot } from '../shared/agent';
import { MAX_BODY_BYTES } from '../core/bridge/bridgeServer';
import { bearerOf } from './runnerToken';
import type { RunnerToken } from './runnerToken';

export interface LocalApi {
  list(): unknown;
  run(body: unknown): Promise<{ status: number; body: unknown }>;
  stop(name: string): { status: number; body: unknown };
}

export class LocalServer implements Disposable {
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));
  private readonly routes = new Map<string, AdapterRoute>();

  constructor(
    private readonly token: RunnerToken,
    private readonly agentByToken: (token: string) => AgentSnapshot | undefined,
    private readonly api: LocalApi,
    private readonly log: (line: string) => void,
  ) {
    this.server.requestTimeout = 0;
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** AdapterHost.route: an adapter's hook endpoint, authenticated by agent token before the body is read. */
  route(path: string, handler: AdapterRoute): Disposable {
    this.routes.set(path, handler);
    return { dispose: () => this.routes.get(path) === handler && this.routes.delete(path) };
  }

  dispose(): void {
    this.server.close();
    this.server.closeAllConnections();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.origin !== undefined) return reply(403, { error: 'requests from web pages are refused' });
      const url = (req.url ?? '/').split('?')[0]!;
      const bearer = bearerOf(req.headers.authorization);
      const route = this.routes.get(url);
      if (route) {
        if (req.method !== 'POST') return reply(405, { error: 'POST only' });
        const agent = bearer === undefined ? undefined : this.agentByToken(bearer);
        if (!agent) return reply(401, { error: 'unknown agent token' });
        const abort = new AbortController();
        res.on('close', () => abort.abort());
        const body = JSON.parse(await readBody(req, MAX_BODY_BYTES, 30_000)) as unknown;
        const result = await route({ agent, body }, abort.signal);
        return reply(result.status, result.body);
      }
      if (!url.startsWith('/local/')) return reply(404, { error: `no route for ${req.method} ${url.slice(0, 100)}` });
      if (!this.token.matches(bearer)) return reply(401, { error: 'the serve token is required (read from the token file)' });
      if (url === '/local/agents' && req.method === 'GET') return reply(200, this.api.list());
      if (url === '/local/agents' && req.method === 'POST') {
        const result = await this.api.run(JSON.parse(await readBody(req, MAX_BODY_BYTES, 30_000)) as unknown);
        return reply(result.status, result.body);
      }
      const stop = /^\/local\/agents\/([^/]+)\/stop$/.exec(url);
      if (stop && req.method === 'POST') {
        const result = this.api.stop(decodeURIComponent(stop[1]!));
        return reply(result.status, result.body);
      }
      return reply(404, { error: `no route for ${req.method} ${url.slice(0, 100)}` });
    } catch (err) {
      if (err instanceof SyntaxError) return reply(400, { error: 'the body is not JSON' });
      if (err instanceof BodyError) return reply(413, { error: err.message });
      this.log(`local request failed: ${err instanceof Error ? err.message : String(err)}`);
      return reply(500, { error: 'the runner failed on this request' });
    }
  }
}
