// Traces wired in one place: the recorder hears the router's facts and the approval queue, the writer stores spans
// in batches, retention prunes old spans, and readers (the Trace panel, export) get spans of an agent, the fleet or
// one trace. Built by the composition root with real parts; tests build it the same way.
import type { Usage } from '../../shared/agent';
import type { TraceSpan } from '../../shared/webview/traceSpan';
import type { AgentSignal } from '../agents/agentSignal';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { DisposableStore } from '../events';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import { Redactor } from './redact';
import { rowToSpan } from './spanRows';
import { SpanWriter } from './spanWriter';
import { TraceRecorder } from './traceRecorder';

export interface TraceServiceOptions {
  readonly store: FleetStore;
  readonly facts: { readonly onDidSignal: Event<{ readonly agentId: string; readonly signal: AgentSignal }> };
  readonly approvals: Pick<ApprovalQueue, 'onDidAdd' | 'onDidSettle'>;
  readonly log: Logger;
  /** Whether an agent is still live (its running spans carry on after a restart). */
  readonly alive: (agentId: string) => boolean;
  readonly agentName?: (agentId: string) => string | undefined;
  readonly price?: (model: string, usage: Usage, request?: { readonly cacheWrite1h?: number }) => number | undefined;
  /** `flotilla.traces.redactPatterns`, read when the setting changes (call `reconfigure`). */
  readonly redactPatterns?: () => readonly string[];
  /** `flotilla.traces.retentionDays`; 0 keeps everything. */
  readonly retentionDays?: () => number;
  readonly clock?: Clock;
  readonly flushMs?: number;
}

const DAY_MS = 86_400_000;

export class TraceService implements Disposable {
  readonly writer: SpanWriter;
  readonly recorder: TraceRecorder;
  private redactor: Redactor;
  private readonly d = new DisposableStore();
  private readonly clock: Clock;

  constructor(private readonly options: TraceServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.redactor = this.buildRedactor();
    this.writer = new SpanWriter({ store: options.store, log: options.log, clock: this.clock, ...(options.flushMs !== undefined ? { flushMs: options.flushMs } : {}) });
    this.recorder = new TraceRecorder({
      write: (span) => this.writer.put(span),
      redactor: () => this.redactor,
      log: options.log,
      clock: this.clock,
      stored: (traceId, spanId) => {
        this.writer.flush();
        return options.store.listTraceSpans(traceId).some((row) => row.spanId === spanId);
      },
      ...(options.agentName ? { agentName: options.agentName } : {}),
      ...(options.price ? { price: options.price } : {}),
    });
    this.recorder.recover(options.store.listSpansByStatus('running').map(rowToSpan), options.alive);
    this.writer.flush();
    this.prune();
    this.d.add(options.facts.onDidSignal(({ agentId, signal }) => this.recorder.signal(agentId, signal)));
    this.d.add(options.approvals.onDidAdd((r) => this.recorder.approvalAdded(r)));
    this.d.add(options.approvals.onDidSettle((s) => this.recorder.approvalSettled(s)));
  }

  get onDidWrite(): Event<readonly TraceSpan[]> {
    return this.writer.onDidWrite;
  }

  /** The redaction patterns changed. */
  reconfigure(): void {
    this.redactor = this.buildRedactor();
  }

  /** Deletes finished spans older than the retention; returns how many. */
  prune(): number {
    const days = this.options.retentionDays?.() ?? 0;
    if (!(days > 0)) return 0;
    const removed = this.options.store.pruneSpans(this.clock.now() - days * DAY_MS);
    if (removed > 0) this.options.log.info(`traces: pruned ${removed} spans older than ${days} days`);
    return removed;
  }

  /** One agent's spans (or the fleet's) started since `since`, oldest first; pending writes are stored first. */
  spans(agentId: string | undefined, since = 0): TraceSpan[] {
    this.writer.flush();
    return this.options.store.listSpansSince(since, agentId).map(rowToSpan);
  }

  trace(traceId: string): TraceSpan[] {
    this.writer.flush();
    return this.options.store.listTraceSpans(traceId).map(rowToSpan);
  }

  /** Agents with spans, removed ones included (their name comes from their spans). */
  agentsWithHistory(): { agentId: string; lastStartedAt: number }[] {
    this.writer.flush();
    return this.options.store.agentsWithSpans();
  }

  dispose(): void {
    this.d.dispose();
    this.writer.dispose();
  }

  private buildRedactor(): Redactor {
    const redactor = new Redactor(this.options.redactPatterns?.() ?? []);
    for (const p of redactor.problems) this.options.log.warn(`traces: ${p.message} (pattern skipped)`);
    return redactor;
  }
}
