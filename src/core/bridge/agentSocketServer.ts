// The supervisor's WebSocket endpoint for remote agents (protocol v1, docs/protocol.md): upgrades requests for
// /v1/agents on the bridge's HTTP server, keeps one session per connected agent, and pushes control frames to them.
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import { DisposableStore, Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import type { Usage } from '../../shared/agent';
import type { ControlAction } from '../../shared/protocol/control';
import type { EventFrame } from '../../shared/protocol/event';
import { MAX_FRAME_BYTES, MAX_PENDING_APPROVALS } from '../../shared/protocol/limits';
import type { SpanFrame } from '../../shared/protocol/span';
import { heartbeatIntervalFor } from './agentSocketHandshake';
import { CLOSE_CODES } from './agentSocketClose';
import { AgentSocketSession } from './agentSocketSession';
import { trustConnection } from './connectionGuard';
import { DEFAULT_FRAME_RATE } from './frameRateLimiter';
import type { FrameRate } from './frameRateLimiter';
import { RefusalLog } from './refusalLog';
import { refuseForeignRequest } from './requestGuard';
import type { ActionPolicy } from '../supervisor/policyGate';

export const AGENT_SOCKET_PATH = '/v1/agents';
export const DEFAULT_HELLO_TIMEOUT_MS = 5_000;

export interface AgentSocketServerOptions {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  /** No frame from a connected agent for this long marks it stalled. */
  readonly heartbeatTimeoutMs: number;
  /** Heartbeat pace asked for in the welcome; defaults to a third of heartbeatTimeoutMs (clamped to 1 s..10 min). */
  readonly heartbeatIntervalMs?: number;
  /** A connection that has not said hello by then is closed. */
  readonly helloTimeoutMs?: number;
  /** Every span frame, after its usage was added to the fleet (for the trace view or the store). */
  readonly onSpan?: (agentId: string, span: SpanFrame) => void;
  readonly onEvent?: (agentId: string, event: EventFrame) => void;
  /** Prices a span that carries tokens but no cost_usd; without it such a model is reported unpriced. */
  readonly priceUsage?: (model: string, usage: Usage) => number | undefined;
  /** The approval policy: allows or denies a request on the spot, or sends it to a human with its tier and rule. */
  readonly policy?: ActionPolicy;
  readonly now?: () => number;
  /** Flood control per connection (default: docs/protocol.md, Limits). */
  readonly frameRate?: FrameRate;
  /** Approval requests of one connection waiting at once (default MAX_PENDING_APPROVALS). */
  readonly maxPendingApprovals?: number;
}

export interface AgentConnectionChange {
  readonly agentId: string;
  readonly connected: boolean;
}

export class AgentSocketServer implements Disposable {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  /** Sessions whose hello was accepted, by agent id: at most one per agent. */
  private readonly byAgent = new Map<string, AgentSocketSession>();
  /** Every live connection, including those still before their hello. */
  private readonly sessions = new Set<AgentSocketSession>();
  private readonly disposables = new DisposableStore();
  private readonly _onDidChangeConnection = new Emitter<AgentConnectionChange>();
  readonly onDidChangeConnection: Event<AgentConnectionChange> = this._onDidChangeConnection.event;
  private disposed = false;
  private readonly refusals: RefusalLog;

  constructor(
    private readonly httpServer: http.Server,
    private readonly options: AgentSocketServerOptions,
  ) {
    this.refusals = new RefusalLog(options.log);
    httpServer.on('upgrade', this.onUpgrade);
    this.disposables.add({ dispose: () => httpServer.off('upgrade', this.onUpgrade) });
    this.disposables.add(
      options.fleet.onDidRemoveAgent((agentId) => this.byAgent.get(agentId)?.end(CLOSE_CODES.policyViolation, 'agent removed from the fleet')),
    );
  }

  isConnected(agentId: string): boolean {
    return this.byAgent.get(agentId)?.isOpen ?? false;
  }

  connectedAgentIds(): string[] {
    return [...this.byAgent].filter(([, session]) => session.isOpen).map(([agentId]) => agentId);
  }

  /**
   * Sends a control frame to a connected agent; false when it is not connected. Throws FrameEncodeError when the
   * frame is invalid (a 'message' needs non-empty text of at most 16 384 characters, other actions take none).
   */
  sendControl(agentId: string, action: ControlAction, text?: string): boolean {
    const session = this.byAgent.get(agentId);
    return session ? session.sendControl(action, text) : false;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposables.dispose();
    for (const session of [...this.sessions]) session.end(CLOSE_CODES.goingAway, 'Flotilla is shutting down');
    this.wss.close();
    this._onDidChangeConnection.dispose();
  }

  private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== AGENT_SOCKET_PATH) {
      // Other upgrade listeners may own other paths; when there are none, answer instead of leaving the socket hanging.
      if (this.httpServer.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.disposed) {
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
    const { options } = this;
    const session = new AgentSocketSession(ws, remote, {
      fleet: options.fleet,
      approvals: options.approvals,
      log: options.log,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? heartbeatIntervalFor(options.heartbeatTimeoutMs),
      helloTimeoutMs: options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS,
      onSpan: options.onSpan,
      onEvent: options.onEvent,
      priceUsage: options.priceUsage,
      policy: options.policy,
      now: options.now ?? Date.now,
      frameRate: options.frameRate ?? DEFAULT_FRAME_RATE,
      maxPendingApprovals: options.maxPendingApprovals ?? MAX_PENDING_APPROVALS,
      onOpen: (opened) => {
        // An agent's connection is no longer one the bridge may evict to make room (see ConnectionGuard).
        trustConnection(socket, opened.agentId!);
        this.onSessionOpen(opened);
      },
      onReady: (ready) => this._onDidChangeConnection.fire({ agentId: ready.agentId!, connected: true }),
      onClose: (closed) => this.onSessionClose(closed),
    });
    this.sessions.add(session);
  }

  private onSessionOpen(session: AgentSocketSession): void {
    const agentId = session.agentId!;
    const older = this.byAgent.get(agentId);
    this.byAgent.set(agentId, session);
    // The newest connection wins: the older one is most likely a dead socket the agent already gave up on.
    if (older && older !== session) older.end(CLOSE_CODES.replaced, 'replaced by a newer connection of this agent');
  }

  private onSessionClose(session: AgentSocketSession): void {
    this.sessions.delete(session);
    const agentId = session.agentId;
    if (agentId === undefined || this.byAgent.get(agentId) !== session) return;
    this.byAgent.delete(agentId);
    if (!this.disposed) this._onDidChangeConnection.fire({ agentId, connected: false });
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.on('error', () => socket.destroy());
}
