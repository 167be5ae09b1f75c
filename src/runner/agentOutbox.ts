// The runner's side of one agent's protocol v1 session: frames wait here (bounded) until the supervisor acks them,
// are sent again on the next connection when it did not, approval requests stay pending across connections and are
// asked again, and what the supervisor sends (decisions, control) is read at the boundary. A reconnect resumes the
// session (hello.resume): the welcome says the last seq the supervisor stored, and only what came after is resent.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { RawData, WebSocket } from 'ws';
import type { ApprovalDecisionFrame } from '../shared/protocol/approvalDecision';
import type { ApprovalRequestFrame } from '../shared/protocol/approvalRequest';
import type { ControlAction } from '../shared/protocol/control';
import type { AgentFrame, Frame, FrameDraft } from '../shared/protocol/frames';
import type { HeartbeatFrame } from '../shared/protocol/heartbeat';
import type { WelcomeFrame } from '../shared/protocol/welcome';
import { encodeFrame, parseFrameText } from '../shared/protocol/parse';
import { DIALED_HELLO_TOKEN } from '../shared/protocol/runner';
import { PROTOCOL_VERSION } from '../shared/protocol/version';
import { SendPacer } from './sendPacer';
import { SpillFile } from './spillFile';

export interface OutboxIdentity {
  readonly name: string;
  readonly group?: string;
  readonly host: string;
  readonly pid?: number;
}

export interface AgentOutboxOptions {
  readonly identity: OutboxIdentity;
  /**
   * Frames kept in memory for the supervisor at most. Past it, with `spill`, newer frames wait in a disk journal (in
   * order, read back as acks make room); without it, or once the journal is full, the oldest (never an approval
   * request) are dropped and counted.
   */
  readonly maxFrames: number;
  readonly spill?: { readonly file: string; readonly maxBytes: number };
  readonly log: (line: string) => void;
  readonly onControl: (action: ControlAction, text: string | undefined) => void;
  /** The count of unacked frames changed (the index shows it). */
  readonly onBacklogChange?: () => void;
  readonly now?: () => number;
  /** The sending pace (default: a little under the supervisor's documented flood limit). */
  readonly pace?: { readonly burst: number; readonly perSecond: number };
}

type Draft = FrameDraft<AgentFrame>;
interface Entry {
  readonly draft: Draft;
  /** The seq it was last sent with (kept across a drop until the next welcome says whether it was stored); undefined while not sent. */
  seq: number | undefined;
}
interface PendingApproval {
  readonly draft: FrameDraft<ApprovalRequestFrame>;
  readonly resolve: (decision: ApprovalDecisionFrame | undefined) => void;
}

export class AgentOutbox {
  private nextSeq = 0;
  private readonly queue: Entry[] = [];
  private readonly pending = new Map<string, PendingApproval>();
  private socket: WebSocket | undefined;
  private ready = false;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  /** The status of the last status heartbeat sent: the timer repeats it (a later one may still wait in the queue). */
  private sentStatus: HeartbeatFrame['status'];
  private readonly startedAt: number;
  private readonly pacer: SendPacer;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Frames dropped because the bound was reached while nobody acked. */
  dropped = 0;
  /** Frames past the memory bound, on disk (made on first need). */
  private spilled: SpillFile<Draft> | undefined;
  /** Frames the supervisor had stored although their ack was lost with a connection (a resume said so). */
  storedUnacked = 0;
  /** The session the supervisor gave us, and the highest of its seq we processed: hello.resume on the next connection. */
  private session: string | undefined;
  private lastSupervisorSeq = -1;
  private closed = false;

  constructor(private readonly options: AgentOutboxOptions) {
    this.startedAt = (options.now ?? Date.now)();
    this.pacer = options.pace ? new SendPacer(options.pace.burst, options.pace.perSecond) : new SendPacer();
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Frames the supervisor has not acked yet (sent or waiting). */
  get backlog(): number {
    return this.queue.length + (this.spilled?.count ?? 0);
  }

  /** Frames waiting in the disk journal. */
  get spilledFrames(): number {
    return this.spilled?.count ?? 0;
  }

  get pendingApprovals(): number {
    return this.pending.size;
  }

  /** Queues a frame; it goes out now when connected, else on the next connection. */
  push(draft: Draft): void {
    // Approval requests stay in memory (their agent waits on them) and may overtake frames on disk.
    const toDisk = this.options.spill !== undefined && draft.type !== 'approval_request' && (this.spilledFrames > 0 || this.queue.length >= this.options.maxFrames);
    if (!toDisk || !this.spill(draft)) {
      this.queue.push({ draft, seq: undefined });
      this.trim();
    }
    this.options.onBacklogChange?.();
    this.flush();
  }

  /** Asks the supervisor; resolves with its decision, or undefined when `abort` fires or the outbox closes. */
  ask(request: Omit<FrameDraft<ApprovalRequestFrame>, 'type' | 'request_id'>, abort: AbortSignal): Promise<ApprovalDecisionFrame | undefined> {
    const draft: FrameDraft<ApprovalRequestFrame> = { type: 'approval_request', request_id: `r_${randomUUID()}`, ...request };
    return new Promise((resolve) => {
      if (abort.aborted || this.closed) return resolve(undefined);
      const done = (decision: ApprovalDecisionFrame | undefined): void => {
        this.pending.delete(draft.request_id);
        abort.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      const onAbort = (): void => done(undefined);
      abort.addEventListener('abort', onAbort);
      this.pending.set(draft.request_id, { draft, resolve: done });
      this.push(draft);
    });
  }

  /**
   * Takes a connection the supervisor opened for this agent: hello first (with the id the supervisor gave it), then,
   * after the welcome, every frame it has not acked, in order, with new seq numbers, and the approvals still pending.
   */
  attach(socket: WebSocket, supervisorAgentId: string): void {
    this.detach('replaced by a newer connection');
    this.socket = socket;
    socket.on('message', (data) => this.socket === socket && this.onMessage(data));
    socket.on('close', () => this.socket === socket && this.onDisconnected());
    socket.on('error', (err) => this.options.log(`agent ${this.options.identity.name}: connection error: ${err.message}`));
    const { identity } = this.options;
    this.sendNow({
      type: 'hello',
      v: PROTOCOL_VERSION,
      agent_id: supervisorAgentId,
      name: identity.name,
      kind: 'remote',
      ...(identity.group === undefined ? {} : { group: identity.group }),
      host: identity.host,
      ...(identity.pid === undefined ? {} : { pid: identity.pid }),
      token: DIALED_HELLO_TOKEN,
      capabilities: ['heartbeats', 'spans', 'events', 'approvals', 'control'],
      ...(this.session === undefined ? {} : { resume: { session_id: this.session, last_seq: Math.max(0, this.lastSupervisorSeq) } }),
    });
  }

  /** Ends the connection from our side (shutdown, or the supervisor opened a newer one). */
  detach(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.onDisconnected();
    socket.close(1001, reason);
  }

  /** No more frames: pending approvals resolve undefined, the connection closes. */
  close(): void {
    this.closed = true;
    for (const approval of [...this.pending.values()]) approval.resolve(undefined);
    this.detach('the runner stopped following this agent');
    this.spilled?.close();
    if (this.spilled) rmSync(this.spilled.path, { force: true });
    this.spilled = undefined;
  }

  private onDisconnected(): void {
    this.socket = undefined;
    this.ready = false;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // Entries keep their seq: the next welcome says up to which one the supervisor stored them.
  }

  private onMessage(data: RawData): void {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
    const result = parseFrameText(text, { from: 'supervisor' });
    if (!result.ok) {
      this.options.log(`agent ${this.options.identity.name}: refused a supervisor frame: ${result.error.message}`);
      return;
    }
    const frame = result.frame;
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        break;
      case 'ack':
        this.onAck(frame.ack_seq);
        return;
      case 'approval_decision':
        this.pending.get(frame.request_id)?.resolve(frame);
        break;
      case 'control':
        this.options.onControl(frame.action, frame.text);
        break;
      case 'error':
        this.onError(frame.code, frame.message, frame.ref_seq);
        if (frame.code === 'unauthorized' || frame.code === 'unsupported_version' || frame.code === 'not_ready') return;
        break;
      default:
        return;
    }
    this.lastSupervisorSeq = Math.max(this.lastSupervisorSeq, frame.seq);
    if (this.ready) this.sendNow({ type: 'ack', ack_seq: frame.seq });
  }

  private onWelcome(welcome: WelcomeFrame): void {
    const resumed = welcome.resumed && welcome.session_id === this.session && welcome.last_seq !== undefined;
    if (resumed) {
      // Stored by the supervisor, only the ack was lost: not sent again (exactly-once in its store).
      const before = this.queue.length;
      const stored = welcome.last_seq!;
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const seq = this.queue[i]!.seq;
        if (seq !== undefined && seq <= stored) this.queue.splice(i, 1);
      }
      this.storedUnacked += before - this.queue.length;
      if (before !== this.queue.length) this.options.onBacklogChange?.();
    } else {
      this.lastSupervisorSeq = welcome.seq;
    }
    this.session = welcome.session_id;
    for (const entry of this.queue) entry.seq = undefined;
    this.refill();
    this.ready = true;
    const heartbeatIntervalMs = welcome.heartbeat_interval_ms;
    // Approvals whose request the supervisor processed on an earlier connection: that connection's verdict is gone, ask again.
    const queued = new Set(this.queue.filter((e) => e.draft.type === 'approval_request').map((e) => (e.draft as ApprovalRequestFrame).request_id));
    for (const [id, approval] of this.pending) if (!queued.has(id)) this.queue.push({ draft: approval.draft, seq: undefined });
    this.sendNow(this.heartbeat());
    this.heartbeatTimer = setInterval(() => this.ready && this.sendNow(this.heartbeat()), heartbeatIntervalMs);
    this.flush();
  }

  private onAck(ackSeq: number): void {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.seq !== undefined && this.queue[n]!.seq! <= ackSeq) n++;
    if (n === 0) return;
    this.queue.splice(0, n);
    this.refill();
    this.options.onBacklogChange?.();
    this.flush();
  }

  private onError(code: string, message: string, refSeq: number | undefined): void {
    if (code === 'rate_limited' && refSeq !== undefined) {
      // Not processed: send it again later (the ack that follows the error must not drop it).
      const entry = this.queue.find((e) => e.seq === refSeq);
      if (entry) {
        for (const e of this.queue) if (e.seq !== undefined && e.seq >= refSeq) e.seq = undefined;
        this.pacer.backOff();
        this.flush();
        return;
      }
    }
    this.options.log(`agent ${this.options.identity.name}: the supervisor refused frame ${refSeq ?? '?'}: ${code}: ${message}`);
  }

  /** Sends what is not sent yet, as fast as the supervisor's frame rate allows. */
  private flush(): void {
    if (!this.ready || this.flushTimer !== undefined) return;
    for (const entry of this.queue) {
      if (entry.seq !== undefined) continue;
      const wait = this.pacer.take();
      if (wait > 0) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          this.flush();
        }, wait);
        return;
      }
      entry.seq = this.sendNow(entry.draft);
      if (entry.seq === undefined) return;
    }
  }

  private sendNow(draft: Draft): number | undefined {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return undefined;
    const seq = this.nextSeq++;
    socket.send(encodeFrame({ ...draft, seq } as Frame));
    if (draft.type === 'heartbeat' && draft.status !== undefined) this.sentStatus = draft.status;
    return seq;
  }

  private heartbeat(): FrameDraft<HeartbeatFrame> {
    const elapsed = (this.options.now ?? Date.now)() - this.startedAt;
    return { type: 'heartbeat', elapsed_ms: elapsed, ...(this.sentStatus === undefined ? {} : { status: this.sentStatus }) };
  }

  /** Into the disk journal; false when it is full (the frame then takes its chance in memory). */
  private spill(draft: Draft): boolean {
    if (!this.spilled) {
      mkdirSync(path.dirname(this.options.spill!.file), { recursive: true, mode: 0o700 });
      this.spilled = new SpillFile<Draft>(this.options.spill!.file, this.options.spill!.maxBytes);
    }
    return this.spilled.append(draft);
  }

  /** Frames from the disk journal into the room acks made in memory, oldest first. */
  private refill(): void {
    const room = this.options.maxFrames - this.queue.length;
    if (!this.spilled || this.spilled.count === 0 || room <= 0) return;
    for (const draft of this.spilled.take(room)) this.queue.push({ draft, seq: undefined });
  }

  private trim(): void {
    while (this.queue.length > this.options.maxFrames) {
      // Connected, a frame in flight may be acked any moment; disconnected, the oldest goes whether it was sent or not.
      const index = this.queue.findIndex((e) => e.draft.type !== 'approval_request' && (e.seq === undefined || !this.ready));
      if (index === -1) return;
      this.queue.splice(index, 1);
      this.dropped++;
    }
  }
}
