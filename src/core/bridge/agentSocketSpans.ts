// Usage carried by a remote agent's span frames, counted once per span: a span may be sent when it starts and
// again when it ends (the later frame replaces the earlier), so only the ended frame is counted, and only once.
import type { Fleet } from '../fleet/fleet';
import { emptyUsage } from '../../shared/agent';
import type { Usage } from '../../shared/agent';
import type { SpanFrame } from '../../shared/protocol/span';

export interface SpanUsage {
  readonly model: string | undefined;
  readonly usage: Usage;
  readonly costUsd: number | undefined;
}

/** The usage of an ended span, or undefined when it carries no tokens and no cost. */
export function spanUsage(span: SpanFrame): SpanUsage | undefined {
  const counts = [span.tokens_in, span.tokens_out, span.cache_read_tokens, span.cache_write_tokens];
  if (counts.every((c) => c === undefined) && span.cost_usd === undefined) return undefined;
  return {
    model: span.model,
    usage: {
      input: span.tokens_in ?? 0,
      output: span.tokens_out ?? 0,
      cacheRead: span.cache_read_tokens ?? 0,
      cacheWrite: span.cache_write_tokens ?? 0,
    },
    costUsd: span.cost_usd,
  };
}

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

/**
 * Adds a span's usage to the agent's totals. Fleet.setUsage replaces totals (transcript readers recompute them),
 * so the sum is made here; the span's model goes last because setUsage takes the last model as the current one.
 */
export function addSpanUsage(fleet: Fleet, agentId: string, model: string, usage: Usage, costUsd: number | undefined): void {
  const agent = fleet.get(agentId);
  if (!agent) return;
  const { [model]: before = emptyUsage(), ...others } = agent.usageByModel;
  const after: Usage = {
    input: before.input + usage.input,
    output: before.output + usage.output,
    cacheRead: before.cacheRead + usage.cacheRead,
    cacheWrite: before.cacheWrite + usage.cacheWrite,
  };
  const unpriced = costUsd === undefined && !agent.unpricedModels.includes(model) ? [...agent.unpricedModels, model] : agent.unpricedModels;
  fleet.setUsage(agentId, { ...others, [model]: after }, agent.costUsd + (costUsd ?? 0), unpriced);
}
