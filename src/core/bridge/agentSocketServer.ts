// The WebSocket transport for remote agents (protocol v1, docs/protocol.md): upgrades requests for /v1/agents on the
// bridge's HTTP server after the Host/Origin checks, and hands each connection to the handler the remote adapter
// installed. What a connection says (hello, frames, facts) is the adapter's business, not the bridge's.
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import { MAX_FRAME_BYTES } from '../../shared/protocol/limits';
import { trustConnection } from './connectionGuard';
import { RefusalLog } from './refusalLog';
import { refuseForeignRequest } from './requestGuard';

export const AGENT_SOCKET_PATH = '/v1/agents';
/** WebSocket close code of a connection the supervisor ends because it shuts down. */
export const GOING_AWAY = 1001;

/** One accepted WebSocket connection, before anyone knows which agent it is. */
export interface AgentSocketConnection {
  readonly ws: WebSocket;
  /** "address:port" of the peer, for logs. */
  readonly remote: string;
  /** The agent proved who it is: its connection is no longer one the bridge may evict to make room (ConnectionGuard). */
  trust(agentId: string): void;
}

/** What the handler keeps per connection: the transport ends it on shutdown. */
export interface AgentSocketEndpoint {
  end(code: number, reason: string): void;
}

export type AgentSocketHandler = (connection: AgentSocketConnection) => AgentSocketEndpoint;

export class AgentSocketServer implements Disposable {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly endpoints = new Set<AgentSocketEndpoint>();
  private handler: AgentSocketHandler | undefined;
  private disposed = false;
  private readonly refusals: RefusalLog;

  constructor(
    private readonly httpServer: http.Server,
    log: Logger,
  ) {
    this.refusals = new RefusalLog(log);
    httpServer.on('upgrade', this.onUpgrade);
  }

  /** Installs the one handler of agent connections (the remote adapter); until then upgrades get 503. */
  handle(handler: AgentSocketHandler): Disposable {
    if (this.handler) throw new Error('agent socket: a connection handler is installed already');
    this.handler = handler;
    return {
      dispose: () => {
        if (this.handler === handler) this.handler = undefined;
      },
    };
  }

  /** Ends every connection as going away (each handler reports its agent at once) and refuses new ones. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.httpServer.off('upgrade', this.onUpgrade);
    for (const endpoint of [...this.endpoints]) endpoint.end(GOING_AWAY, 'Flotilla is shutting down');
    this.endpoints.clear();
    this.wss.close();
  }

  private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== AGENT_SOCKET_PATH) {
      // Other upgrade listeners may own other paths; when there are none, answer instead of leaving the socket hanging.
      if (this.httpServer.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.disposed || !this.handler) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    // Web pages must not reach agents' endpoint (a browser sends Origin with every WebSocket), nor a DNS-rebound name.
    const address = this.httpServer.address();
    const foreign = refuseForeignRequest(req.headers, address && typeof address === 'object' ? address.port : undefined);
    if (foreign) {
      this.refusals.note(foreign.status, `agent socket: refused an upgrade from ${req.socket.remoteAddress ?? '?'}: ${foreign.error}`);
      rejectUpgrade(socket, foreign.status, foreign.status === 403 ? 'Forbidden' : 'Misdirected Request');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`));
  };

  private accept(ws: WebSocket, socket: Duplex, remote: string): void {
    const handler = this.handler;
    if (this.disposed || !handler) {
      ws.close(GOING_AWAY, 'Flotilla is shutting down');
      return;
    }
    const endpoint = handler({ ws, remote, trust: (agentId) => trustConnection(socket, agentId) });
    this.endpoints.add(endpoint);
    ws.on('close', () => this.endpoints.delete(endpoint));
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.on('error', () => socket.destroy());
}
