// A remote agent's span frames in the fleet: usage counted once per span (a span may be sent when it starts and
// again when it ends; only the ended frame counts, once), and running tool spans shown as the current tool.
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
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

export interface SpanPricing {
  readonly priceUsage?: (model: string, usage: Usage) => number | undefined;
  readonly now: () => number;
}

/** Applies a span to the fleet: a running tool span is the current tool; an ended span adds its usage once. */
export function applySpan(fleet: Fleet, agentId: string, frame: SpanFrame, counted: CountedSpans, pricing: SpanPricing): void {
  const agent = fleet.get(agentId);
  if (!agent) return;
  if (frame.kind === 'tool' && !isEnded(agent.status)) {
    if (frame.status === 'running') {
      fleet.update(agentId, { currentTool: { name: frame.name, summary: frame.message ?? frame.name, since: frame.started_at ?? pricing.now() } });
    } else if (agent.currentTool?.name === frame.name) {
      fleet.update(agentId, { currentTool: undefined });
    }
  }
  if (!counted.shouldCount(frame)) return;
  const usage = spanUsage(frame);
  if (!usage) return;
  const model = usage.model ?? agent.model ?? 'unknown';
  addSpanUsage(fleet, agentId, model, usage.usage, usage.costUsd ?? pricing.priceUsage?.(model, usage.usage));
}
