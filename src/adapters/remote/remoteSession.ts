// One remote agent connection (protocol v1): the hello handshake (and resume), frame numbering and acks, flood and
// unread limits, and what each agent frame means, reported as facts to the sink (session, turns, tools, usage,
// connection) and as approval requests to the sink's approve() (remoteDispatch.ts). Frames of one tick are written to
// the journal first, then reported, then acked: an ack means stored (exactly-once in the store, docs/protocol.md). Our
// own decisions and control frames are numbered across the session and sent again after a resume (supervisorOutbox.ts).
// Everything it reads is parsed at the boundary; it decides no status.
import { randomUUID } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import type { AgentSignal } from '../../core/agents/agentSignal';
import { FrameRateLimiter } from '../../core/bridge/frameRateLimiter';
import type { FrameRate } from '../../core/bridge/frameRateLimiter';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import type { ControlAction } from '../../shared/protocol/control';
import { FATAL_ERROR_CODES } from '../../shared/protocol/error';
import type { EventFrame } from '../../shared/protocol/event';
import type { Frame, FrameDraft, SupervisorFrame } from '../../shared/protocol/frames';
import type { HelloFrame } from '../../shared/protocol/hello';
import { MAX_FRAME_BYTES, MAX_UNREAD_BYTES } from '../../shared/protocol/limits';
import { encodeFrame, parseFrameText, toErrorFrame } from '../../shared/protocol/parse';
import type { FrameError } from '../../shared/protocol/parse';
import type { SpanFrame } from '../../shared/protocol/span';
import { CLOSE_CODES, closeCodeFor, describeClose } from './remoteClose';
import { handshakeStep, welcomeFor } from './remoteHandshake';
import { helloTimeoutError, outOfOrderError, rateLimitedError, seqOf } from './remoteRefusals';
import type { Flushable, JournalFlusher } from './journalFlusher';
import { JOURNALED_FRAME_TYPES } from './remoteJournal';
import type { JournalCommit, JournalFrame, JournaledRequests, RemoteJournal } from './remoteJournal';
import { RemoteDispatch } from './remoteDispatch';
import { CountedSpans } from './spanFacts';
import { SupervisorOutbox } from './supervisorOutbox';

export interface RemoteSessionDeps {
  readonly sink: AgentSignalSink;
  /** The core's token lookup (AdapterHost.agentByToken). */
  readonly agentByToken: (token: string) => AgentSnapshot | undefined;
  readonly log: Logger;
  readonly heartbeatIntervalMs: number;
  readonly helloTimeoutMs: number;
  readonly onSpan?: (agentId: string, span: SpanFrame) => void;
  readonly onEvent?: (agentId: string, event: EventFrame) => void;
  readonly now: () => number;
  readonly frameRate: FrameRate;
  readonly maxPendingApprovals: number;
  /** The hello was accepted: this becomes the agent's connection (before the welcome goes out). */
  readonly onOpen: (session: RemoteSession) => void;
  /** The welcome went out and the sink knows: frames may be pushed to the agent now. */
  readonly onReady: (session: RemoteSession) => void;
  readonly onClose: (session: RemoteSession) => void;
  /** The agent's counted spans, kept across its connections (default: per connection). */
  readonly countedSpans?: (agentId: string) => CountedSpans;
  /** Frames are made durable here before they are acked; its marks decide what a resumed session continues from. */
  readonly journal: RemoteJournal;
  /** Writes the frames of every connection once per tick (one transaction), then calls back. */
  readonly flusher: JournalFlusher;
  /** What we send the agent, kept across its connections (default: per connection, nothing resent). */
  readonly outboxOf?: (agentId: string) => SupervisorOutbox;
  /** Approval requests already journaled (a request asked again after a reconnect is stored once). */
  readonly journaledRequests?: JournaledRequests;
}

type State = 'hello' | 'open' | 'ending' | 'closed';

/** Heartbeat intervals without any frame after which the connection counts as dead (the stall threshold is 3). */
export const SILENT_AFTER_HEARTBEATS = 4;

export class RemoteSession implements Flushable {
  private _sessionId = `s_${randomUUID()}`;
  private state: State = 'hello';
  private agent: { readonly id: string; readonly name: string } | undefined;
  /** What the agent's stored frames mean (after its hello). */
  private handler: RemoteDispatch | undefined;
  /** Our seq numbering and unacked frames: this connection's until the hello, then the agent's (across connections). */
  private out = new SupervisorOutbox();
  /** The agent's highest seq seen / stored in the journal / acked. */
  private lastAgentSeq = -1;
  private committedSeq = -1;
  private ackedSeq = -1;
  private flushScheduled = false;
  /** An ack is owed even if nothing new was stored (the agent resent a frame we had). */
  private ackOwed = false;
  /** Frames of this tick, not yet stored nor reported; then those being stored, and up to which seq. */
  private inbox: Frame[] = [];
  private batch: Frame[] = [];
  private batchTarget = -1;
  /** The batch's approval requests that are new to the journal. */
  private batchRequests: { isNew(requestId: string): boolean; stored(): void } | undefined;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  /** Checks that the agent is heard from (any frame) at least every SILENT_AFTER_HEARTBEATS heartbeat intervals. */
  private silenceTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private silent = false;
  /** The peer broke the WebSocket protocol (e.g. an oversized frame): it is reachable, it misbehaved. */
  private peerViolation = false;
  /** Why the connection broke, when we know better than the close code (e.g. an oversized frame). */
  private failure: string | undefined;
  private readonly rate: FrameRateLimiter;

  constructor(
    private readonly socket: WebSocket,
    private readonly remote: string,
    private readonly deps: RemoteSessionDeps,
  ) {
    this.rate = new FrameRateLimiter(deps.frameRate, deps.now);
    socket.on('message', (data) => this.onMessage(data));
    socket.on('close', (code, reason) => this.onClosed(code, reason.toString('utf8')));
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code?.startsWith('WS_ERR_')) this.peerViolation = true;
      this.failure = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? `a frame was larger than ${MAX_FRAME_BYTES} bytes` : err.message;
      deps.log.warn(`agent socket ${this.label}: ${err.message}`);
    });
    this.helloTimer = setTimeout(() => {
      if (this.state !== 'hello') return;
      this.refuse(helloTimeoutError(deps.helloTimeoutMs));
      this.end(CLOSE_CODES.policyViolation, 'no hello in time');
    }, deps.helloTimeoutMs);
  }

  /** This connection's session; after a resumed hello, the earlier session it continues. */
  get sessionId(): string {
    return this._sessionId;
  }

  /** The agent's id once its hello was accepted. */
  get agentId(): string | undefined {
    return this.agent?.id;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  sendControl(action: ControlAction, text?: string): boolean {
    if (this.state !== 'open') return false;
    return this.send({ type: 'control', action, ...(text === undefined ? {} : { text }) });
  }

  /**
   * Closes the connection from our side. The sink hears of it now (with `reason`), not when the peer
   * answers the close, so a newer connection of the same agent or a shutdown is not undone later.
   */
  end(code: number, reason: string): void {
    if (this.state === 'ending' || this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'ending';
    clearTimeout(this.helloTimer);
    clearInterval(this.silenceTimer);
    this.handler?.approvals.dispose();
    if (wasOpen) this.report({ type: 'connection', phase: 'lost', detail: `connection closed by Flotilla: ${reason}` });
    // A close reason is at most 123 bytes.
    this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''));
  }

  private get label(): string {
    return this.agent ? `${this.agent.name} (${this.remote})` : this.remote;
  }

  private onMessage(data: RawData): void {
    if (this.state === 'ending' || this.state === 'closed') return;
    this.lastHeard = this.deps.now();
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    if (this.socket.bufferedAmount > MAX_UNREAD_BYTES) {
      // Our answers pile up unread (e.g. error frames for a flood): stop before they fill our memory.
      this.failure = `the agent left more than ${MAX_UNREAD_BYTES} bytes of our frames unread`;
      this.end(CLOSE_CODES.policyViolation, 'not reading its frames');
      return;
    }
    const admission = this.rate.admit();
    if (admission !== 'ok') {
      this.onRateLimited(bytes, admission === 'flood');
      return;
    }
    const result = parseFrameText(bytes, { from: 'agent' });
    if (this.state === 'hello') {
      const step = handshakeStep(result, this.deps.agentByToken);
      if (step.ok) return this.open(step.hello, step.agent.id, step.agent.name);
      if (step.warn) this.deps.log.warn(`agent socket ${this.remote}: ${step.warn}`);
      this.refuse(step.error);
      if (step.close) this.end(step.close.code, step.close.reason);
      return;
    }
    if (!result.ok) {
      this.refuse(result.error);
      if (FATAL_ERROR_CODES.includes(result.error.code)) {
        this.end(closeCodeFor(result.error.code), result.error.code);
        return;
      }
      if (result.error.ref_seq !== undefined && result.error.ref_seq > this.lastAgentSeq) {
        // Refusing is processing: ack it, or the agent would keep it to resend after a reconnect.
        this.lastAgentSeq = result.error.ref_seq;
        this.scheduleFlush();
      }
      return;
    }
    const frame = result.frame;
    if (frame.seq <= this.lastAgentSeq) {
      // A repeat (e.g. resent while our ack was in flight): not processed again, and the ack says so.
      this.refuse(outOfOrderError(frame, this.lastAgentSeq));
      if (frame.type !== 'ack') {
        this.ackOwed = true;
        this.scheduleFlush();
      }
      return;
    }
    this.lastAgentSeq = frame.seq;
    this.inbox.push(frame);
    this.scheduleFlush();
  }

  /** Refuses a frame over the rate without processing it; it is acked like every refused frame (see docs). */
  private onRateLimited(bytes: Uint8Array, flood: boolean): void {
    const seq = seqOf(bytes);
    this.refuse(rateLimitedError(this.rate.rate, seq));
    if (flood) {
      this.failure = `more than ${this.rate.rate.maxRefused} frames over the rate limit without slowing down`;
      this.end(CLOSE_CODES.policyViolation, 'rate_limited');
      return;
    }
    if (this.state === 'open' && seq !== undefined && seq > this.lastAgentSeq) {
      this.lastAgentSeq = seq;
      this.scheduleFlush();
    }
  }

  private open(hello: HelloFrame, agentId: string, agentName: string): void {
    const { log, journal } = this.deps;
    clearTimeout(this.helloTimer);
    this.agent = { id: agentId, name: agentName };
    let stored: ReturnType<RemoteJournal['session']>;
    try {
      stored = journal.session(agentId);
      if (hello.resume === undefined || stored?.sessionId !== hello.resume.session_id) {
        stored = undefined;
        journal.commit(agentId, this._sessionId, hello.seq, []);
      }
    } catch (err) {
      this.storeFailed(err, hello.seq);
      return;
    }
    if (stored) this._sessionId = stored.sessionId;
    // A resumed agent's seq continues; a seq the store has already is never taken again.
    this.lastAgentSeq = Math.max(hello.seq, stored?.lastSeq ?? -1);
    this.committedSeq = stored ? stored.lastSeq : hello.seq;
    const floor = this.out.nextSeq;
    this.out = this.deps.outboxOf?.(agentId) ?? this.out;
    // Ours the agent had not processed when the connection dropped (docs/protocol.md: after resume.last_seq).
    const again = this.out.begin(this._sessionId, stored ? hello.resume?.last_seq : undefined, floor);
    this.handler = new RemoteDispatch({
      ...this.deps,
      agent: this.agent,
      spans: this.deps.countedSpans?.(agentId) ?? new CountedSpans(),
      outbox: this.out,
      report: (fact) => this.report(fact),
      refuse: (error) => this.refuse(error),
      sendDecision: (frame) => void this.send(frame),
    });
    this.deps.onOpen(this);
    this.send(welcomeFor(hello, this._sessionId, this.deps.heartbeatIntervalMs, this.deps.now(), stored?.lastSeq));
    // Only now: nothing (a control frame pushed from a listener) may overtake the welcome.
    this.state = 'open';
    for (const frame of again) this.send(frame);
    if (again.length > 0) log.info(`agent ${agentName}: ${again.length} of our frames sent again after the resume`);
    this.watchSilence();
    // A hello means any earlier connection of this agent is over, even if we never saw it close.
    this.report({ type: 'connection', phase: 'connected' });
    this.report({ type: 'session', phase: 'started', sessionId: this._sessionId });
    log.info(`agent ${agentName} connected from ${this.remote} (${hello.kind}${hello.host ? ` on ${hello.host}` : ''}), session ${this._sessionId}${stored ? ` resumed after seq ${stored.lastSeq}` : ''}`);
    this.ackOwed = true;
    this.scheduleFlush();
    this.deps.onReady(this);
  }

  private onClosed(code: number, reason: string): void {
    const previous = this.state;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    clearInterval(this.silenceTimer);
    if (previous === 'open') {
      this.handler?.approvals.dispose();
      // No close frame (its host or the network died) or no heartbeats: unreachable, maybe back soon; else it left.
      const broken = this.silent || (code === 1006 && !this.peerViolation);
      this.report({ type: 'connection', phase: broken ? 'unreachable' : 'lost', detail: describeClose(code, reason, this.failure) });
    }
    if (this.agent) this.deps.log.info(`agent ${this.agent.name} disconnected (${code}${reason ? ` ${reason}` : ''})`);
    this.deps.onClose(this);
  }

  /** A connection that stays silent (a dead peer without a FIN, a partition) is ended: its agent is unreachable. */
  private watchSilence(): void {
    const interval = this.deps.heartbeatIntervalMs;
    this.lastHeard = this.deps.now();
    this.silenceTimer = setInterval(() => {
      const quiet = this.deps.now() - this.lastHeard;
      if (this.state !== 'open' || quiet < interval * SILENT_AFTER_HEARTBEATS) return;
      this.silent = true;
      this.failure = `no frame for ${Math.round(quiet / 1000)} s (heartbeats are due every ${Math.round(interval / 1000)} s)`;
      this.socket.terminate();
    }, interval);
    this.silenceTimer.unref?.();
  }

  /** A fact about this connection's agent; the sink (the core) decides what it means. */
  private report(fact: AgentSignal): void {
    if (!this.agent) return;
    try {
      this.deps.sink.signal(this.agent.id, fact);
    } catch (err) {
      this.deps.log.error(`agent socket ${this.label}: the sink failed on a ${fact.type} fact: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  /** One journal write (shared by every connection of the tick), then the facts, then one cumulative ack. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.deps.flusher.schedule(this);
  }

  prepareFlush(): JournalCommit | undefined | 'skip' {
    this.flushScheduled = false;
    this.batch = this.inbox;
    this.inbox = [];
    // Closing: nothing of this tick is stored or acked, so the agent sends it again on its next connection.
    if (this.state !== 'open') return 'skip';
    this.batchTarget = this.lastAgentSeq;
    if (this.batchTarget <= this.committedSeq) return undefined;
    const frames: JournalFrame[] = [];
    const agentId = this.agent!.id;
    const warn = (err: unknown): void => this.deps.log.warn(`agent socket ${this.label}: journaled approval requests unreadable: ${String(err)}`);
    const requests = (this.batchRequests = this.deps.journaledRequests?.batch(agentId, this._sessionId, warn));
    for (const frame of this.batch) {
      if (!JOURNALED_FRAME_TYPES.includes(frame.type)) continue;
      // An approval request asked again (same request_id) is stored once; the mark still moves past its seq.
      if (frame.type === 'approval_request' && requests && !requests.isNew(frame.request_id)) continue;
      frames.push({ seq: frame.seq, type: frame.type, body: JSON.stringify(frame) });
    }
    return { agentId, sessionId: this._sessionId, lastSeq: this.batchTarget, frames };
  }

  finishFlush(err: unknown): void {
    const batch = this.batch;
    this.batch = [];
    if (this.state !== 'open') return;
    if (err !== undefined) {
      this.storeFailed(err, batch[0]?.seq);
      return;
    }
    this.committedSeq = Math.max(this.committedSeq, this.batchTarget);
    this.batchRequests?.stored();
    this.batchRequests = undefined;
    for (const frame of batch) {
      if (this.state !== 'open') break;
      try {
        this.handler!.dispatch(frame);
      } catch (err) {
        this.deps.log.error(`agent socket ${this.label}: ${frame.type} frame failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        this.refuse({ code: 'internal', field: '', message: `${frame.type}: Flotilla failed to process this frame`, ref_seq: frame.seq });
      }
    }
    if (this.committedSeq > this.ackedSeq || this.ackOwed) this.sendAck();
  }

  /** The journal refused a write: nothing is acked, the connection ends, and the agent resends on its next one. */
  private storeFailed(err: unknown, refSeq: number | undefined): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`agent socket ${this.label}: frames not stored: ${message}`);
    this.failure = `Flotilla could not store its frames: ${message}`;
    this.refuse({ code: 'internal', field: '', message: `frame: Flotilla could not store it; send it again after reconnecting`, ...(refSeq === undefined ? {} : { ref_seq: refSeq }) });
    this.end(CLOSE_CODES.internalError, 'store unavailable');
  }

  private sendAck(): void {
    if (this.state !== 'open' || this.committedSeq < 0) return;
    this.ackOwed = false;
    this.ackedSeq = this.committedSeq;
    this.send({ type: 'ack', ack_seq: this.committedSeq });
  }

  private refuse(error: FrameError): void {
    this.deps.log.debug(`agent socket ${this.label}: refused frame: ${error.code}: ${error.message}`);
    this.sendNumbered((seq) => toErrorFrame(error, seq));
  }

  private send(draft: FrameDraft<SupervisorFrame>): boolean {
    return this.sendNumbered((seq) => ({ ...draft, seq }) as Frame, draft);
  }

  /** Validates before sending (a bad frame of ours throws FrameEncodeError); a seq is used only when sent. */
  private sendNumbered(build: (seq: number) => Frame, draft?: FrameDraft<SupervisorFrame>): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    const text = encodeFrame(build(this.out.nextSeq));
    this.out.sent(draft);
    this.socket.send(text);
    return true;
  }
}
