// Re-pricing: the cost of stored model requests under the price data and overrides in force now. Each request is
// priced on its own (its own long-context tier, its 1-hour cache writes apart) and the costs added, per agent and
// per model; a request whose model has no price is counted apart (never priced at 0).
import type { PriceBook } from '../pricing/priceBook';
import type { UsageRequest } from '../store/usageRepo';

export interface RepricedAgent {
  readonly costUsd: number;
  readonly byModel: ReadonlyMap<string, number>;
  /** Models without a price, with why (add an override in flotilla.pricing.overrides). */
  readonly unpriced: ReadonlyMap<string, string>;
  readonly requests: number;
}

export function reprice(requests: readonly UsageRequest[], book: Pick<PriceBook, 'price'>): Map<string, RepricedAgent> {
  const out = new Map<string, { costUsd: number; byModel: Map<string, number>; unpriced: Map<string, string>; requests: number }>();
  for (const r of requests) {
    const agent = out.get(r.agentId) ?? { costUsd: 0, byModel: new Map<string, number>(), unpriced: new Map<string, string>(), requests: 0 };
    out.set(r.agentId, agent);
    agent.requests++;
    const p = book.price(r.model, { input: r.input, output: r.output, cacheRead: r.cacheRead, cacheWrite: r.cacheWrite, cacheWrite1h: r.cacheWrite1h });
    if (!p.ok) {
      agent.unpriced.set(r.model, p.reason);
      continue;
    }
    agent.costUsd += p.costUsd;
    agent.byModel.set(r.model, (agent.byModel.get(r.model) ?? 0) + p.costUsd);
  }
  return out;
}
