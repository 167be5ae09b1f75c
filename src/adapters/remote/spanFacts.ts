// A remote agent's span frames as facts: a tool span is a tool call (started while running, ended or failed when it
// ends), and an ended span with tokens is one usage delta, reported once per span (a span may be sent when it starts
// and again when it ends; only the first ended frame counts).
import type { AgentSignal } from '../../core/agents/agentSignal';
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

/** Every fact of one span frame, given the spans counted so far on its connection. */
export function spanFacts(span: SpanFrame, counted: CountedSpans, fallbackModel: string): AgentSignal[] {
  const facts: AgentSignal[] = [];
  const running = span.status === 'running';
  // An ended span sent again (a resend) reports nothing new.
  const firstEnd = counted.shouldCount(span);
  if (!running && !firstEnd) return facts;
  const tool = spanToolFact(span);
  if (tool) facts.push(tool);
  const usage = firstEnd ? spanUsageFact(span, fallbackModel) : undefined;
  if (usage) facts.push(usage);
  return facts;
}
