// A remote agent's span frames as facts: a tool span is a tool call (started while running, ended or failed when it
// ends), and an ended span with tokens is one usage delta, reported once per span (a span may be sent when it starts
// and again when it ends; only the first ended frame counts). A span that names its trace, its parent or its task, or
// is not a bare tool or model span, is also reported as itself (a `span` fact, first): the core's trace recorder keeps
// its ids, so a handoff between agents stays in one trace. Bare tool and model spans (what the runner sends for a
// local agent) are placed by the recorder from the tool and usage facts, as for a local agent.
import type { AgentSignal, ReportedSpan } from '../../core/agents/agentSignal';
import type { SpanFrame } from '../../shared/protocol/span';

/** Remembers which spans were counted; bounded so a long session cannot grow it without end. */
export class CountedSpans {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  /** True the first time an ended span is seen (then count it); false for running spans and repeats. */
  shouldCount(span: SpanFrame): boolean {
    if (span.status === 'running') return false;
    if (this.ids.has(span.span_id)) return false;
    this.ids.add(span.span_id);
    if (this.ids.size > this.max) {
      // Sets iterate in insertion order: forget the oldest span.
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

/** The usage fact of an ended span, or undefined when it carries no tokens and no cost. */
export function spanUsageFact(span: SpanFrame, fallbackModel: string): AgentSignal | undefined {
  const counts = [span.tokens_in, span.tokens_out, span.cache_read_tokens, span.cache_write_tokens];
  if (counts.every((c) => c === undefined) && span.cost_usd === undefined) return undefined;
  return {
    type: 'usage',
    model: span.model ?? fallbackModel,
    delta: {
      input: span.tokens_in ?? 0,
      output: span.tokens_out ?? 0,
      cacheRead: span.cache_read_tokens ?? 0,
      cacheWrite: span.cache_write_tokens ?? 0,
    },
    requestId: span.span_id,
    // Only what the agent knows: the core prices the tokens of a span without a cost.
    ...(span.cost_usd === undefined ? {} : { costUsd: span.cost_usd }),
  };
}

/** The tool fact of a tool span: started while running, then ended (ok) or failed (error). */
export function spanToolFact(span: SpanFrame): AgentSignal | undefined {
  if (span.kind !== 'tool') return undefined;
  const action = { tool: span.name, input: span.attrs ?? {}, summary: span.message ?? span.name, toolUseId: span.span_id };
  if (span.status === 'running') return { type: 'tool', phase: 'started', action };
  if (span.status === 'ok') return { type: 'tool', phase: 'ended', action };
  return { type: 'tool', phase: 'failed', action, ...(span.message === undefined ? {} : { detail: span.message }) };
}

/** Whether the frame places itself (a trace, a parent, a task, or a kind the tool and usage facts do not cover). */
export function reportsItself(span: SpanFrame): boolean {
  return span.trace_id !== undefined || span.parent_span_id !== undefined || span.task_id !== undefined || (span.kind !== 'tool' && span.kind !== 'model');
}

/** The frame as the span fact's payload, as reported (the recorder checks times and parents). */
export function reportedSpan(span: SpanFrame): ReportedSpan {
  const counts = [span.tokens_in, span.tokens_out, span.cache_read_tokens, span.cache_write_tokens];
  return {
    spanId: span.span_id,
    ...(span.trace_id !== undefined ? { traceId: span.trace_id } : {}),
    ...(span.parent_span_id !== undefined ? { parentSpanId: span.parent_span_id } : {}),
    ...(span.task_id !== undefined ? { taskId: span.task_id } : {}),
    kind: span.kind,
    name: span.name,
    status: span.status,
    ...(span.started_at !== undefined ? { startedAt: span.started_at } : {}),
    ...(span.ended_at !== undefined ? { endedAt: span.ended_at } : {}),
    ...(span.duration_ms !== undefined ? { durationMs: span.duration_ms } : {}),
    ...(span.model !== undefined ? { model: span.model } : {}),
    ...(counts.some((c) => c !== undefined)
      ? { tokens: { input: span.tokens_in ?? 0, output: span.tokens_out ?? 0, cacheRead: span.cache_read_tokens ?? 0, cacheWrite: span.cache_write_tokens ?? 0 } }
      : {}),
    ...(span.cost_usd !== undefined ? { costUsd: span.cost_usd } : {}),
    attributes: span.attrs ?? {},
    ...(span.message !== undefined ? { message: span.message } : {}),
  };
}

/** Every fact of one span frame, given the spans counted so far on its connection. */
export function spanFacts(span: SpanFrame, counted: CountedSpans, fallbackModel: string): AgentSignal[] {
  const facts: AgentSignal[] = [];
  const running = span.status === 'running';
  // An ended span sent again (a resend) reports nothing new.
  const firstEnd = counted.shouldCount(span);
  if (!running && !firstEnd) return facts;
  if (reportsItself(span)) facts.push({ type: 'span', span: reportedSpan(span) });
  const tool = spanToolFact(span);
  if (tool) facts.push(tool);
  const usage = firstEnd ? spanUsageFact(span, fallbackModel) : undefined;
  if (usage) facts.push(usage);
  return facts;
}
