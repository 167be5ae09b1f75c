// The live remote agent connections: one session per connection, at most one accepted (post-hello) session per
// agent (the newest wins), the control frames pushed to an agent's session, and what outlives a connection (counted
// spans, what we sent that is not acked yet, which approval requests are journaled).
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import type { AgentSocketConnection, AgentSocketEndpoint } from '../../core/bridge/agentSocketServer';
import { DEFAULT_FRAME_RATE } from '../../core/bridge/frameRateLimiter';
import type { FrameRate } from '../../core/bridge/frameRateLimiter';
import { Emitter } from '../../core/events';
import type { Disposable, Event } from '../../core/events';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import type { ControlAction } from '../../shared/protocol/control';
import type { EventFrame } from '../../shared/protocol/event';
import { HELLO_TIMEOUT_MS, MAX_PENDING_APPROVALS } from '../../shared/protocol/limits';
import type { SpanFrame } from '../../shared/protocol/span';
import { CLOSE_CODES } from './remoteClose';
import { heartbeatIntervalFor } from './remoteHandshake';
import { JournalFlusher } from './journalFlusher';
import { JournaledRequests, MemoryJournal } from './remoteJournal';
import type { RemoteJournal } from './remoteJournal';
import { RemoteSession } from './remoteSession';
import { CountedSpans } from './spanFacts';
import { SupervisorOutbox } from './supervisorOutbox';

export interface RemoteSessionsOptions {
  readonly sink: AgentSignalSink;
  readonly agentByToken: (token: string) => AgentSnapshot | undefined;
  readonly log: Logger;
  /** The stall threshold: the welcome asks for a heartbeat every third of it (clamped to 1 s..10 min). Read per connection. */
  readonly stallTimeoutMs: () => number;
  /** A connection that has not said hello by then is closed (default HELLO_TIMEOUT_MS). */
  readonly helloTimeoutMs?: number;
  /** Every span frame, after its facts were reported (for the trace view or the store). */
  readonly onSpan?: (agentId: string, span: SpanFrame) => void;
  readonly onEvent?: (agentId: string, event: EventFrame) => void;
  readonly now?: () => number;
  /** Flood control per connection (default: docs/protocol.md, Limits). */
  readonly frameRate?: FrameRate;
  /** Approval requests of one connection waiting at once (default MAX_PENDING_APPROVALS). */
  readonly maxPendingApprovals?: number;
  /** Where frames are stored before they are acked (the store's remote frame journal); default: marks in memory. */
  readonly journal?: RemoteJournal;
}

export interface RemoteConnectionChange {
  readonly agentId: string;
  readonly connected: boolean;
}

export class RemoteSessions implements Disposable {
  /** Sessions whose hello was accepted, by agent id: at most one per agent. */
  private readonly byAgent = new Map<string, RemoteSession>();
  /** Every live connection, including those still before their hello. */
  private readonly sessions = new Set<RemoteSession>();
  private readonly _onDidChangeConnection = new Emitter<RemoteConnectionChange>();
  /** An agent's connection became ready (after the welcome) or went away. */
  readonly onDidChangeConnection: Event<RemoteConnectionChange> = this._onDidChangeConnection.event;
  private disposed = false;
  private readonly counted = new Map<string, CountedSpans>();
  /** What we send each agent, across its connections (numbering, frames to send again after a resume). */
  private readonly outboxes = new Map<string, SupervisorOutbox>();
  private readonly journal: RemoteJournal;
  private readonly flusher: JournalFlusher;
  private readonly journaledRequests: JournaledRequests;

  constructor(private readonly options: RemoteSessionsOptions) {
    this.journal = options.journal ?? new MemoryJournal();
    this.flusher = new JournalFlusher(this.journal);
    this.journaledRequests = new JournaledRequests(this.journal);
  }

  /**
   * Takes a connection from the transport (AgentSocketServer.handle), or one Flotilla dialled itself (a runner):
   * then `agentByToken` is that connection's own check (the agent it dialled).
   */
  readonly accept = (connection: AgentSocketConnection, agentByToken?: (token: string) => AgentSnapshot | undefined): AgentSocketEndpoint => {
    const { options } = this;
    const session = new RemoteSession(connection.ws, connection.remote, {
      sink: options.sink,
      agentByToken: agentByToken ?? options.agentByToken,
      log: options.log,
      heartbeatIntervalMs: heartbeatIntervalFor(options.stallTimeoutMs()),
      helloTimeoutMs: options.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
      onSpan: options.onSpan,
      onEvent: options.onEvent,
      now: options.now ?? Date.now,
      frameRate: options.frameRate ?? DEFAULT_FRAME_RATE,
      maxPendingApprovals: options.maxPendingApprovals ?? MAX_PENDING_APPROVALS,
      onOpen: (opened) => {
        connection.trust(opened.agentId!);
        this.onSessionOpen(opened);
      },
      onReady: (ready) => this._onDidChangeConnection.fire({ agentId: ready.agentId!, connected: true }),
      onClose: (closed) => this.onSessionClose(closed),
      countedSpans: (agentId) => this.countedSpansOf(agentId),
      journal: this.journal,
      flusher: this.flusher,
      outboxOf: (agentId) => this.outboxOf(agentId),
      journaledRequests: this.journaledRequests,
    });
    this.sessions.add(session);
    if (this.disposed) session.end(CLOSE_CODES.goingAway, 'Flotilla is shutting down');
    return session;
  };

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

  /** Closes the agent's connection from our side (it was removed, or Flotilla let go of it). */
  end(agentId: string, code: number, reason: string): void {
    this.byAgent.get(agentId)?.end(code, reason);
  }

  /** Ends every connection as going away; each agent is reported disconnected at once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of [...this.sessions]) session.end(CLOSE_CODES.goingAway, 'Flotilla is shutting down');
    this._onDidChangeConnection.dispose();
  }

  /** An agent's counted spans outlive its connections: a span resent after a reconnect adds its usage once. */
  private countedSpansOf(agentId: string): CountedSpans {
    let counted = this.counted.get(agentId);
    if (!counted) {
      counted = new CountedSpans();
      this.counted.set(agentId, counted);
    }
    return counted;
  }

  private outboxOf(agentId: string): SupervisorOutbox {
    let outbox = this.outboxes.get(agentId);
    if (!outbox) {
      outbox = new SupervisorOutbox();
      this.outboxes.set(agentId, outbox);
    }
    return outbox;
  }

  private onSessionOpen(session: RemoteSession): void {
    const agentId = session.agentId!;
    const older = this.byAgent.get(agentId);
    this.byAgent.set(agentId, session);
    // The newest connection wins: the older one is most likely a dead socket the agent already gave up on.
    if (older && older !== session) older.end(CLOSE_CODES.replaced, 'replaced by a newer connection of this agent');
  }

  private onSessionClose(session: RemoteSession): void {
    this.sessions.delete(session);
    const agentId = session.agentId;
    if (agentId === undefined || this.byAgent.get(agentId) !== session) return;
    this.byAgent.delete(agentId);
    if (!this.disposed) this._onDidChangeConnection.fire({ agentId, connected: false });
  }
}
