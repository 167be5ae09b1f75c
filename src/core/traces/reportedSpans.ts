// Spans an agent reported with its own ids (remote `span` frames) made into trace spans: the frame's trace id and
// parent span id are kept, so work handed over from another agent shows in that agent's trace; a frame sent again
// (running, then ended) updates the same span. Bad input is stored with the problem marked, never dropped: a parent not
// seen (cleared when it arrives), an end before the start, a negative duration or one that disagrees with the times,
// a span id another agent already uses in the trace. Huge attributes are cut by the writer (spanRows.checkedSpan).
import type { Usage } from '../../shared/agent';
import type { SpanKind, SpanStatus, TraceSpan } from '../../shared/webview/traceSpan';
import type { ReportedSpan } from '../agents/agentSignal';
import type { Redactor } from './redact';

export interface ReportedSpansOptions {
  readonly put: (span: TraceSpan) => void;
  readonly redactor: () => Redactor;
  readonly price?: (model: string, usage: Usage) => number | undefined;
  /** The agent's open task trace (spans naming no trace and no known parent join it). */
  readonly openTraceId: (agentId: string) => string | undefined;
  readonly agentName?: (agentId: string) => string | undefined;
  readonly sessionId?: (agentId: string) => string | undefined;
  /** Whether a span is in the store (a parent written before a restart, or forgotten here). */
  readonly stored?: (traceId: string, spanId: string) => boolean;
  /** Span keys remembered (parents seen, reported spans, orphans); the oldest are forgotten past it. */
  readonly maxRemembered?: number;
}

const KINDS: Record<ReportedSpan['kind'], SpanKind> = { agent: 'subagent', task: 'task', model: 'model', tool: 'tool', log: 'tool' };

const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

/** A Map that forgets its oldest entries past a size (insertion order). */
class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(k: string, v: V): this {
    if (!this.has(k) && this.size >= this.max) {
      const oldest = this.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    return super.set(k, v);
  }
}

export class ReportedSpans {
  /** Every span the recorder put, by trace/span key -> its agent: parents are looked up here. */
  private readonly seen: BoundedMap<string>;
  /** Span ids (without a trace) -> trace id, so a parent named without a trace id is found. */
  private readonly traceOfSpan: BoundedMap<string>;
  /** Reported spans by agent/reported span id: a resent frame updates its span. */
  private readonly reported: BoundedMap<TraceSpan>;
  /** Spans whose parent was not seen, by the parent's key: their problem is cleared when it comes. */
  private readonly orphans: BoundedMap<TraceSpan[]>;

  constructor(private readonly options: ReportedSpansOptions) {
    const max = options.maxRemembered ?? 50_000;
    this.seen = new BoundedMap(max);
    this.traceOfSpan = new BoundedMap(max);
    this.reported = new BoundedMap(max);
    this.orphans = new BoundedMap(max);
  }

  /** Whether a tool or usage fact with this id describes a span the agent reported (then it adds no span). */
  owns(agentId: string, id: string | undefined): boolean {
    return id !== undefined && this.reported.has(`${agentId}/${id}`);
  }

  /** The recorder put a span (any agent's, any origin): it may be a parent someone waits for. */
  noteWritten(span: TraceSpan): void {
    const k = key(span.traceId, span.spanId);
    if (this.seen.has(k)) return;
    this.seen.set(k, span.agentId);
    this.traceOfSpan.set(span.spanId, span.traceId);
    const waiting = this.orphans.get(k);
    if (!waiting) return;
    this.orphans.delete(k);
    for (const child of waiting) {
      child.problems = child.problems?.filter((p) => !p.startsWith('parent span '));
      if (child.problems?.length === 0) delete child.problems;
      this.options.put(child);
    }
  }

  record(agentId: string, r: ReportedSpan, now: number): void {
    const existing = this.reported.get(`${agentId}/${r.spanId}`);
    const problems: string[] = [];
    const span = existing ?? this.create(agentId, r, now, problems);
    const times = this.times(r, now, existing?.start, problems);
    span.start = times.start;
    if (times.end !== undefined) span.end = times.end;
    else delete span.end;
    span.status = r.status satisfies SpanStatus;
    const redactor = this.options.redactor();
    span.name = redactor.redact(r.name);
    for (const [k, v] of Object.entries(r.attributes)) {
      if (v === null) continue;
      span.attributes[`remote.${k}`] = typeof v === 'string' ? redactor.redact(v) : v;
    }
    if (r.message !== undefined) span.attributes['remote.message'] = redactor.redact(r.message);
    if (r.model !== undefined) span.model = r.model;
    if (r.tokens) span.tokens = { ...r.tokens };
    const cost = r.costUsd ?? (r.tokens && span.model ? this.options.price?.(span.model, r.tokens) : undefined);
    if (cost !== undefined) span.costUsd = cost;
    // Problems of this frame replace those of an earlier frame of the span (a fixed resend clears them), the
    // missing parent and id clash found at creation stay until resolved.
    const kept = (span.problems ?? []).filter((p) => p.startsWith('parent span ') || p.startsWith('span id '));
    const all = [...new Set([...kept, ...problems])];
    if (all.length > 0) span.problems = all;
    else delete span.problems;
    this.options.put(span);
  }

  private create(agentId: string, r: ReportedSpan, now: number, problems: string[]): TraceSpan {
    const parentTrace = r.parentSpanId !== undefined ? this.traceOfSpan.get(r.parentSpanId) : undefined;
    const traceId = r.traceId ?? parentTrace ?? this.options.openTraceId(agentId) ?? (r.taskId !== undefined ? `task:${r.taskId}` : `${agentId}:${r.spanId}`);
    let spanId = r.spanId;
    const owner = this.seen.get(key(traceId, spanId));
    if (owner !== undefined && owner !== agentId) {
      // Two agents used one span id in one trace: keep both spans (the later one under a qualified id).
      spanId = `${agentId}:${r.spanId}`;
      problems.push(`span id ${r.spanId} is already used by agent ${owner} in this trace (stored as ${spanId})`);
    }
    const agentName = this.options.agentName?.(agentId);
    const sessionId = this.options.sessionId?.(agentId);
    const span: TraceSpan = {
      traceId,
      spanId,
      agentId,
      ...(agentName ? { agentName } : {}),
      ...(sessionId ? { sessionId } : {}),
      kind: KINDS[r.kind],
      name: this.options.redactor().redact(r.name),
      start: now,
      status: r.status,
      attributes: { 'remote.span_id': r.spanId, 'remote.kind': r.kind, ...(r.taskId !== undefined ? { 'remote.task_id': r.taskId } : {}) },
    };
    if (r.parentSpanId !== undefined) {
      span.parentSpanId = r.parentSpanId;
      const parentKey = key(traceId, r.parentSpanId);
      if (!this.seen.has(parentKey) && !this.options.stored?.(traceId, r.parentSpanId)) {
        problems.push(`parent span ${r.parentSpanId} was not seen in trace ${traceId} (not yet sent, or lost)`);
        this.orphans.set(parentKey, [...(this.orphans.get(parentKey) ?? []), span]);
      }
    }
    this.reported.set(`${agentId}/${r.spanId}`, span);
    return span;
  }

  /** Start and end from whichever times the frame gave; what does not add up is marked, not fixed silently. */
  private times(r: ReportedSpan, now: number, previousStart: number | undefined, problems: string[]): { start: number; end?: number } {
    const d = r.durationMs;
    if (d !== undefined && d < 0) problems.push(`negative duration_ms ${d} (taken as 0)`);
    const duration = d !== undefined ? Math.max(0, d) : undefined;
    const start = r.startedAt ?? previousStart ?? (r.endedAt !== undefined && duration !== undefined ? r.endedAt - duration : duration !== undefined && r.status !== 'running' ? now - duration : now);
    if (r.status === 'running') return { start };
    const end = r.endedAt ?? (duration !== undefined ? start + duration : now);
    if (r.startedAt !== undefined && r.endedAt !== undefined && d !== undefined && d >= 0 && Math.abs(r.endedAt - r.startedAt - d) > 1) {
      problems.push(`duration_ms ${d} disagrees with ended_at - started_at (${r.endedAt - r.startedAt} ms)`);
    }
    // An end before the start is kept as reported here; the writer's check marks it and sets the end to the start.
    return { start, end };
  }
}
