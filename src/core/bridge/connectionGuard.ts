// The bridge's cap on open connections. A connection is "trusted" once it carried a request (or a WebSocket hello)
// with a valid agent token; until then it may be evicted. At the cap, a new connection evicts the oldest untrusted
// one, so clients without a token can fill the slots but never keep a real agent out. Each agent keeps at most
// `maxTrustedPerPrincipal` trusted connections (more stay evictable), so one agent cannot lock out the others either.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Disposable } from '../events';

export interface ConnectionGuardOptions {
  readonly maxConnections: number;
  readonly maxTrustedPerPrincipal: number;
}

export interface ConnectionCounts {
  readonly open: number;
  readonly trusted: number;
  /** Connections closed to make room, and connections refused because every slot was trusted. */
  readonly evicted: number;
  readonly refused: number;
}

/** Tracked sockets, in arrival order (a Map keeps insertion order: the first untrusted one is the oldest). */
type Tracked = Map<Duplex, { principal: string | undefined }>;

/** The guard that tracks a socket, so the WebSocket side can mark a connection trusted after its hello. */
const guards = new WeakMap<Duplex, ConnectionGuard>();

/** Marks the socket's connection as belonging to an authenticated agent; false when the agent has its quota. */
export function trustConnection(socket: Duplex, principal: string): boolean {
  return guards.get(socket)?.trust(socket, principal) ?? false;
}

export class ConnectionGuard implements Disposable {
  private readonly sockets: Tracked = new Map();
  private readonly trustedBy = new Map<string, number>();
  private evicted = 0;
  private refused = 0;

  constructor(
    private readonly server: Server,
    private readonly options: ConnectionGuardOptions,
  ) {
    server.on('connection', this.onConnection);
  }

  get counts(): ConnectionCounts {
    let trusted = 0;
    for (const n of this.trustedBy.values()) trusted += n;
    return { open: this.sockets.size, trusted, evicted: this.evicted, refused: this.refused };
  }

  trust(socket: Duplex, principal: string): boolean {
    const entry = this.sockets.get(socket);
    if (!entry) return false;
    if (entry.principal !== undefined) return entry.principal === principal;
    const held = this.trustedBy.get(principal) ?? 0;
    if (held >= this.options.maxTrustedPerPrincipal) return false;
    entry.principal = principal;
    this.trustedBy.set(principal, held + 1);
    return true;
  }

  dispose(): void {
    this.server.off('connection', this.onConnection);
  }

  private readonly onConnection = (socket: Socket): void => {
    if (this.sockets.size >= this.options.maxConnections && !this.evictOne()) {
      this.refused++;
      socket.destroy();
      return;
    }
    this.sockets.set(socket, { principal: undefined });
    guards.set(socket, this);
    socket.once('close', () => this.forget(socket));
  };

  private evictOne(): boolean {
    for (const [socket, entry] of this.sockets) {
      if (entry.principal !== undefined) continue;
      this.evicted++;
      this.forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  }

  private forget(socket: Duplex): void {
    const entry = this.sockets.get(socket);
    if (!entry) return;
    this.sockets.delete(socket);
    if (entry.principal === undefined) return;
    const held = (this.trustedBy.get(entry.principal) ?? 1) - 1;
    if (held <= 0) this.trustedBy.delete(entry.principal);
    else this.trustedBy.set(entry.principal, held);
  }
}
