// The queue of actions waiting for a human. Each request holds a waiting hook open; it ends exactly once:
// decided (user or policy), timed out (falls back, never allows), or made stale (the agent moved on).
import { randomUUID } from 'node:crypto';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { ApprovalDecision, DecidedBy, PendingApproval } from '../../shared/approval';

export type Resolution =
  | { readonly kind: 'decided'; readonly decision: ApprovalDecision; readonly reason?: string; readonly decidedBy: DecidedBy }
  /** No decision: the agent falls back to its own permission prompt. */
  | { readonly kind: 'fallback'; readonly why: 'timeout' | 'stale'; readonly reason: string };

export type NewApproval = Omit<PendingApproval, 'id' | 'createdAt' | 'escalated'>;

export interface SettledApproval {
  readonly request: PendingApproval;
  readonly resolution: Resolution;
  readonly latencyMs: number;
  /** When it ended (the queue's clock). */
  readonly at: number;
  /** Where a user's decision was made ("the Approvals panel", "a notification"), when the caller said. */
  readonly via?: string;
}

/** How many ended requests the queue remembers, so a late click on an old notification can say how each ended. */
export const SETTLED_MEMORY = 500;

export type DecideResult = { ok: true } | { ok: false; reason: string };

interface Entry {
  readonly request: PendingApproval;
  readonly resolve: (r: Resolution) => void;
  readonly timers: ReturnType<typeof setTimeout>[];
}

export interface ApprovalTimings {
  /** After this the request is re-announced once, louder. */
  readonly escalateAfterMs: number;
  /** After this the request ends without a human. */
  readonly timeoutMs: number;
  /** How it ends then: handed back to the agent's own prompt (default), or denied. Never allowed. */
  readonly onTimeout?: 'ask' | 'deny';
}

export class ApprovalQueue implements Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Recently ended requests by id, oldest first (bounded by SETTLED_MEMORY). */
  private readonly recent = new Map<string, SettledApproval>();
  private readonly _onDidAdd = new Emitter<PendingApproval>();
  private readonly _onDidSettle = new Emitter<SettledApproval>();
  private readonly _onDidEscalate = new Emitter<PendingApproval>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidAdd: Event<PendingApproval> = this._onDidAdd.event;
  readonly onDidSettle: Event<SettledApproval> = this._onDidSettle.event;
  readonly onDidEscalate: Event<PendingApproval> = this._onDidEscalate.event;
  readonly onDidChange: Event<void> = this._onDidChange.event;

  constructor(
    private readonly timings: () => ApprovalTimings,
    private readonly now: () => number = Date.now,
  ) {}

  pending(): PendingApproval[] {
    return [...this.entries.values()].map((e) => e.request).sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): PendingApproval | undefined {
    return this.entries.get(id)?.request;
  }

  /**
   * Adds a request and waits for its end. Aborting the signal (the hook hung up) makes it stale. `onAdded` gets the
   * request (its id) before anyone is told, so its owner can end it later with invalidate().
   */
  request(input: NewApproval, signal?: AbortSignal, onAdded?: (request: PendingApproval) => void): Promise<Resolution> {
    const request: PendingApproval = { ...input, id: randomUUID(), createdAt: this.now(), escalated: false };
    onAdded?.(request);
    return new Promise<Resolution>((resolve) => {
      const { escalateAfterMs, timeoutMs, onTimeout } = this.timings();
      const waited = `no decision within ${Math.round(timeoutMs / 1000)} s`;
      const timedOut: Resolution =
        onTimeout === 'deny'
          ? { kind: 'decided', decision: 'deny', decidedBy: 'timeout', reason: `Denied by Flotilla: ${waited} (approvals.onTimeout is deny)` }
          : { kind: 'fallback', why: 'timeout', reason: waited };
      const timers = [setTimeout(() => this.settle(request.id, timedOut), timeoutMs)];
      if (escalateAfterMs < timeoutMs) timers.push(setTimeout(() => this.escalate(request.id), escalateAfterMs));
      this.entries.set(request.id, { request, resolve, timers });
      signal?.addEventListener('abort', () => this.settle(request.id, { kind: 'fallback', why: 'stale', reason: 'the agent stopped waiting' }), { once: true });
      this._onDidAdd.fire(request);
      this._onDidChange.fire();
      if (signal?.aborted) this.settle(request.id, { kind: 'fallback', why: 'stale', reason: 'the agent stopped waiting' });
    });
  }

  /** How a recently ended request ended (undefined while pending, or once forgotten). */
  settled(id: string): SettledApproval | undefined {
    return this.recent.get(id);
  }

  /**
   * A human's or the policy's answer; `via` says where it was given. Refused when the request already ended (a stale
   * click never re-runs).
   */
  decide(id: string, decision: ApprovalDecision, decidedBy: DecidedBy, reason?: string, via?: string): DecideResult {
    if (!this.entries.has(id)) return { ok: false, reason: 'this request is no longer pending (answered, timed out, or its agent moved on)' };
    this.settle(id, { kind: 'decided', decision, decidedBy, reason }, via);
    return { ok: true };
  }

  /** Ends every pending request matching the filter without a decision: its agent moved on. */
  invalidate(match: (r: PendingApproval) => boolean, reason: string): number {
    let count = 0;
    for (const entry of [...this.entries.values()]) {
      if (match(entry.request)) {
        this.settle(entry.request.id, { kind: 'fallback', why: 'stale', reason });
        count++;
      }
    }
    return count;
  }

  dispose(): void {
    this.invalidate(() => true, 'Flotilla is shutting down');
    this._onDidAdd.dispose();
    this._onDidSettle.dispose();
    this._onDidEscalate.dispose();
    this._onDidChange.dispose();
  }

  private escalate(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const escalated = { ...entry.request, escalated: true };
    this.entries.set(id, { ...entry, request: escalated });
    this._onDidEscalate.fire(escalated);
    this._onDidChange.fire();
  }

  private settle(id: string, resolution: Resolution, via?: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.timers.forEach(clearTimeout);
    entry.resolve(resolution);
    const at = this.now();
    const settled: SettledApproval = { request: entry.request, resolution, latencyMs: at - entry.request.createdAt, at, ...(via !== undefined ? { via } : {}) };
    this.recent.set(id, settled);
    if (this.recent.size > SETTLED_MEMORY) this.recent.delete(this.recent.keys().next().value!);
    this._onDidSettle.fire(settled);
    this._onDidChange.fire();
  }
}
