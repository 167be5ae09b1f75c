// One remote agent connection: the hello handshake, frame numbering and acks, and the dispatch of each agent
// frame to the fleet, the approval queue and the span/event sinks. Everything it reads is parsed at the boundary.
import { randomUUID } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import { isEnded, transition } from '../statusMachine';
import type { Usage } from '../../shared/agent';
import type { ControlAction } from '../../shared/protocol/control';
import { FATAL_ERROR_CODES } from '../../shared/protocol/error';
import type { EventFrame } from '../../shared/protocol/event';
import type { Frame, FrameDraft, SupervisorFrame } from '../../shared/protocol/frames';
import type { HelloFrame } from '../../shared/protocol/hello';
import { MAX_FRAME_BYTES } from '../../shared/protocol/limits';
import { encodeFrame, parseFrameText, toErrorFrame } from '../../shared/protocol/parse';
import type { FrameError, ParseResult } from '../../shared/protocol/parse';
import type { SpanFrame } from '../../shared/protocol/span';
import { AgentSocketApprovals } from './agentSocketApprovals';
import { CLOSE_CODES, closeCodeFor, describeClose } from './agentSocketClose';
import { checkHello, welcomeFor } from './agentSocketHandshake';
import { applyHeartbeat } from './agentSocketHeartbeat';
import { applySpan, CountedSpans } from './agentSocketSpans';
import { applyIfAllowed } from './agentSocketStatus';
import { FrameRateLimiter } from './frameRateLimiter';
import type { FrameRate } from './frameRateLimiter';
import type { ActionPolicy } from '../supervisor/policyGate';

/** Our frames the agent has not read yet; past this it is not reading, and the connection is closed. */
export const MAX_UNREAD_BYTES = 4 * MAX_FRAME_BYTES;

export interface AgentSocketSessionDeps {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  readonly heartbeatTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly helloTimeoutMs: number;
  readonly onSpan?: (agentId: string, span: SpanFrame) => void;
  readonly onEvent?: (agentId: string, event: EventFrame) => void;
  readonly priceUsage?: (model: string, usage: Usage) => number | undefined;
  readonly policy?: ActionPolicy;
  readonly now: () => number;
  readonly frameRate: FrameRate;
  readonly maxPendingApprovals: number;
  /** The hello was accepted: the server makes this the agent's connection (before the welcome goes out). */
  readonly onOpen: (session: AgentSocketSession) => void;
  /** The welcome went out and the fleet knows: frames may be pushed to the agent now. */
  readonly onReady: (session: AgentSocketSession) => void;
  readonly onClose: (session: AgentSocketSession) => void;
}

type State = 'hello' | 'open' | 'ending' | 'closed';

export class AgentSocketSession {
  readonly sessionId = `s_${randomUUID()}`;
  private state: State = 'hello';
  private agent: { readonly id: string; readonly name: string } | undefined;
  private approvals: AgentSocketApprovals | undefined;
  private readonly spans = new CountedSpans();
  /** Our next seq, and the agent's highest seq seen / acked. */
  private nextSeq = 0;
  private lastAgentSeq = -1;
  private ackedSeq = -1;
  private ackScheduled = false;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the connection broke, when we know better than the close code (e.g. an oversized frame). */
  private failure: string | undefined;
  private readonly rate: FrameRateLimiter;

  constructor(
    private readonly socket: WebSocket,
    private readonly remote: string,
    private readonly deps: AgentSocketSessionDeps,
  ) {
    this.rate = new FrameRateLimiter(deps.frameRate, deps.now);
    socket.on('message', (data) => this.onMessage(data));
    socket.on('close', (code, reason) => this.onClosed(code, reason.toString('utf8')));
    socket.on('error', (err: Error & { code?: string }) => {
      this.failure = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? `a frame was larger than ${MAX_FRAME_BYTES} bytes` : err.message;
      deps.log.warn(`agent socket ${this.label}: ${err.message}`);
    });
    this.helloTimer = setTimeout(() => {
      if (this.state !== 'hello') return;
      const seconds = Math.round(deps.helloTimeoutMs / 100) / 10;
      this.refuse({ code: 'not_ready', field: '', message: `frame: no hello within ${seconds} s` });
      this.end(CLOSE_CODES.policyViolation, 'no hello in time');
    }, deps.helloTimeoutMs);
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
   * Closes the connection from our side. The fleet hears of it now (with `reason`), not when the peer
   * answers the close, so a newer connection of the same agent or a shutdown is not undone later.
   */
  end(code: number, reason: string): void {
    if (this.state === 'ending' || this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'ending';
    this.stopTimers();
    this.approvals?.dispose();
    if (wasOpen) this.reportLost(`connection closed by Flotilla: ${reason}`);
    // A close reason is at most 123 bytes.
    this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''));
  }

  private get label(): string {
    return this.agent ? `${this.agent.name} (${this.remote})` : this.remote;
  }

  private onMessage(data: RawData): void {
    if (this.state === 'ending' || this.state === 'closed') return;
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
      this.onHandshakeFrame(result);
      return;
    }
    // Any frame, even a refused one, shows the agent is alive.
    this.armStallTimer();
    if (!result.ok) {
      this.refuse(result.error);
      if (FATAL_ERROR_CODES.includes(result.error.code)) {
        this.end(closeCodeFor(result.error.code), result.error.code);
        return;
      }
      if (result.error.ref_seq !== undefined && result.error.ref_seq > this.lastAgentSeq) {
        // Refusing is processing: ack it, or the agent would keep it to resend after a reconnect.
        this.lastAgentSeq = result.error.ref_seq;
        this.scheduleAck();
      }
      return;
    }
    const frame = result.frame;
    if (frame.seq <= this.lastAgentSeq) {
      // A repeat (e.g. resent while our ack was in flight): not processed again, and the ack says so.
      this.refuse({
        code: 'out_of_order',
        field: `${frame.type}.seq`,
        message: `${frame.type}.seq: ${frame.seq} does not grow (last was ${this.lastAgentSeq}); frame ignored`,
        ref_seq: frame.seq,
      });
      if (frame.type !== 'ack') this.sendAck();
      return;
    }
    this.lastAgentSeq = frame.seq;
    try {
      this.dispatch(frame);
    } catch (err) {
      this.deps.log.error(`agent socket ${this.label}: ${frame.type} frame failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      this.refuse({ code: 'internal', field: '', message: `${frame.type}: Flotilla failed to process this frame`, ref_seq: frame.seq });
    }
    if (frame.type !== 'ack') this.scheduleAck();
  }

  /** Refuses a frame over the rate without processing it; it is acked like every refused frame (see docs). */
  private onRateLimited(bytes: Uint8Array, flood: boolean): void {
    const { perSecond, burst, maxRefused } = this.rate.rate;
    const seq = seqOf(bytes);
    this.refuse({
      code: 'rate_limited',
      field: '',
      message: `frame: over the rate limit (${burst} frames at once, then ${perSecond} per second); not processed, send it again later`,
      ...(seq === undefined ? {} : { ref_seq: seq }),
    });
    if (flood) {
      this.failure = `more than ${maxRefused} frames over the rate limit without slowing down`;
      this.end(CLOSE_CODES.policyViolation, 'rate_limited');
      return;
    }
    if (this.state === 'open' && seq !== undefined && seq > this.lastAgentSeq) {
      this.armStallTimer();
      this.lastAgentSeq = seq;
      this.scheduleAck();
    }
  }

  private onHandshakeFrame(result: ParseResult): void {
    if (!result.ok) {
      this.refuse(result.error);
      if (FATAL_ERROR_CODES.includes(result.error.code)) this.end(closeCodeFor(result.error.code), result.error.code);
      return;
    }
    const frame = result.frame;
    if (frame.type !== 'hello') {
      this.refuse({
        code: 'not_ready',
        field: 'type',
        message: `type: '${frame.type}' before the welcome; the first frame must be hello`,
        ref_seq: frame.seq,
      });
      this.end(CLOSE_CODES.policyViolation, 'not_ready');
      return;
    }
    const check = checkHello(frame, this.deps.fleet);
    if (!check.ok) {
      this.deps.log.warn(`agent socket ${this.remote}: refused hello for agent '${frame.agent_id}': ${check.error.message}`);
      this.refuse(check.error);
      this.end(CLOSE_CODES.policyViolation, 'unauthorized');
      return;
    }
    this.open(frame, check.agent.id, check.agent.name);
  }

  private open(hello: HelloFrame, agentId: string, agentName: string): void {
    const { fleet, log } = this.deps;
    clearTimeout(this.helloTimer);
    this.agent = { id: agentId, name: agentName };
    this.lastAgentSeq = hello.seq;
    this.approvals = new AgentSocketApprovals({
      approvals: this.deps.approvals,
      fleet,
      log,
      agentId,
      agentName,
      policy: this.deps.policy,
      maxPending: this.deps.maxPendingApprovals,
      send: (frame) => this.send(frame),
    });
    this.deps.onOpen(this);
    this.send(welcomeFor(hello, this.sessionId, this.deps.heartbeatIntervalMs, this.deps.now()));
    // Only now: nothing (a control frame pushed from an event listener) may overtake the welcome.
    this.state = 'open';
    const status = fleet.get(agentId)?.status;
    if (status !== undefined && status !== 'quarantined' && !transition(status, 'sessionStarted').ok) {
      // A hello means any earlier connection of this agent is over, even if we never saw it close.
      applyIfAllowed(fleet, agentId, 'connectionLost', { statusReason: 'the agent connected again' });
    }
    if (applyIfAllowed(fleet, agentId, 'sessionStarted') && fleet.get(agentId)?.statusReason !== undefined) {
      fleet.update(agentId, { statusReason: undefined });
    }
    log.info(`agent ${agentName} connected from ${this.remote} (${hello.kind}${hello.host ? ` on ${hello.host}` : ''}), session ${this.sessionId}`);
    this.armStallTimer();
    this.scheduleAck();
    this.deps.onReady(this);
  }

  private dispatch(frame: Frame): void {
    const agent = this.agent!;
    if ('agent_id' in frame && frame.agent_id !== undefined && frame.agent_id !== agent.id && frame.type !== 'hello') {
      // A runner hosting several agents needs one connection (and hello) per agent for now.
      this.refuse({
        code: 'bad_frame',
        field: `${frame.type}.agent_id`,
        message: `${frame.type}.agent_id: '${frame.agent_id}' did not say hello on this connection (it is '${agent.id}')`,
        ref_seq: frame.seq,
      });
      return;
    }
    switch (frame.type) {
      case 'heartbeat':
        applyHeartbeat(this.deps.fleet, agent.id, frame, this.approvals!.pendingCount > 0);
        return;
      case 'span':
        applySpan(this.deps.fleet, agent.id, frame, this.spans, this.deps);
        this.deps.onSpan?.(agent.id, frame);
        return;
      case 'event':
        this.deps.log.debug(`agent ${agent.name}: event ${frame.name}${frame.message ? `: ${frame.message}` : ''}`);
        this.deps.onEvent?.(agent.id, frame);
        return;
      case 'approval_request': {
        const error = this.approvals!.request(frame);
        if (error) this.refuse(error);
        return;
      }
      case 'ack':
        if (frame.ack_seq >= this.nextSeq) {
          this.refuse({
            code: 'bad_frame',
            field: 'ack.ack_seq',
            message: `ack.ack_seq: ${frame.ack_seq} was never sent (the last supervisor seq is ${this.nextSeq - 1})`,
            ref_seq: frame.seq,
          });
        }
        return;
      case 'error':
        this.deps.log.warn(`agent ${agent.name} refused frame ${frame.ref_seq ?? '?'}: ${frame.code}: ${frame.message}`);
        return;
      case 'hello':
        this.refuse({ code: 'bad_frame', field: 'type', message: 'type: hello was already accepted on this connection', ref_seq: frame.seq });
        return;
      default:
        // parseFrameText({ from: 'agent' }) refuses supervisor frames; this keeps the switch honest.
        this.refuse({ code: 'bad_frame', field: 'type', message: `type: an agent does not send '${frame.type}' frames`, ref_seq: frame.seq });
    }
  }

  private onClosed(code: number, reason: string): void {
    const previous = this.state;
    this.state = 'closed';
    this.stopTimers();
    if (previous === 'open') {
      this.approvals?.dispose();
      this.reportLost(describeClose(code, reason, this.failure));
    }
    if (this.agent) this.deps.log.info(`agent ${this.agent.name} disconnected (${code}${reason ? ` ${reason}` : ''})`);
    this.deps.onClose(this);
  }

  private reportLost(reason: string): void {
    const agent = this.agent && this.deps.fleet.get(this.agent.id);
    if (!agent || agent.status === 'quarantined' || isEnded(agent.status)) return;
    applyIfAllowed(this.deps.fleet, agent.id, 'connectionLost', { statusReason: reason });
  }

  private armStallTimer(): void {
    clearTimeout(this.stallTimer);
    const timeoutMs = this.deps.heartbeatTimeoutMs;
    this.stallTimer = setTimeout(() => {
      if (this.state !== 'open') return;
      const agent = this.deps.fleet.get(this.agent!.id);
      if (!agent || agent.status === 'quarantined' || isEnded(agent.status)) return;
      const seconds = Math.round(timeoutMs / 100) / 10;
      applyIfAllowed(this.deps.fleet, agent.id, 'stallDetected', { statusReason: `no heartbeat for ${seconds} s` });
    }, timeoutMs);
  }

  private stopTimers(): void {
    clearTimeout(this.helloTimer);
    clearTimeout(this.stallTimer);
  }

  /** Acks are cumulative: one ack after a burst of frames covers them all. */
  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      if (this.lastAgentSeq > this.ackedSeq) this.sendAck();
    });
  }

  private sendAck(): void {
    if (this.state !== 'open' || this.lastAgentSeq < 0) return;
    this.ackedSeq = this.lastAgentSeq;
    this.send({ type: 'ack', ack_seq: this.lastAgentSeq });
  }

  private refuse(error: FrameError): void {
    this.deps.log.debug(`agent socket ${this.label}: refused frame: ${error.code}: ${error.message}`);
    this.sendNumbered((seq) => toErrorFrame(error, seq));
  }

  private send(draft: FrameDraft<SupervisorFrame>): boolean {
    return this.sendNumbered((seq) => ({ ...draft, seq }) as Frame);
  }

  /** Validates before sending (a bad frame of ours throws FrameEncodeError); a seq is used only when sent. */
  private sendNumbered(build: (seq: number) => Frame): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    const text = encodeFrame(build(this.nextSeq));
    this.nextSeq++;
    this.socket.send(text);
    return true;
  }
}

/** The seq of a frame that is not otherwise read (refused before its schema), when it has a valid one. */
function seqOf(bytes: Uint8Array): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
    const seq = value !== null && typeof value === 'object' ? (value as { seq?: unknown }).seq : undefined;
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}
