// Applies re-pricing to the fleet: each agent whose stored requests account for all of its tokens gets the cost of
// those requests under today's prices (an agent from before requests were stored, or with usage added without a
// request row, keeps its summed cost: re-pricing it from part of its history would be wrong). Returns who changed.
// Two ways in: from requests in memory (repriceFleet), or from the store's sums per agent, model and price tier
// (repriceFleetFromStore: SQLite adds the tokens, a few price lookups a model — a large history in a fraction of the
// time it takes to price every request on its own, to the same dollars).
import type { Fleet } from '../fleet/fleet';
import type { PriceBook } from '../pricing/priceBook';
import type { UsageRequest } from '../store/usageRepo';
import type { CostHistory } from './costReport';
import { reprice } from './reprice';
import { RequestPricer } from './requestPricer';

interface Priced {
  readonly costUsd: number;
  readonly unpriced: readonly string[];
}

export function repriceFleet(fleet: Fleet, requests: readonly UsageRequest[], book: Pick<PriceBook, 'price'>): string[] {
  const tokens = new Map<string, number>();
  for (const r of requests) tokens.set(r.agentId, (tokens.get(r.agentId) ?? 0) + r.input + r.output + r.cacheRead + r.cacheWrite);
  const priced = new Map([...reprice(requests, book)].map(([id, p]) => [id, { costUsd: p.costUsd, unpriced: [...p.unpriced.keys()] }]));
  return apply(fleet, priced, tokens);
}

/** Every agent's stored requests priced from SQLite's sums per agent, model and tier (all of history). */
export function repricedFromStore(history: Pick<CostHistory, 'usageRequestInputRanges' | 'usageRequestSums'>, book: Pick<PriceBook, 'price'>): Map<string, Priced> {
  const pricer = new RequestPricer(book);
  const until = Number.MAX_SAFE_INTEGER;
  const tiers = new Map(history.usageRequestInputRanges(0, until).map((r) => [r.model, pricer.tiers(r.model, r.min, r.max)]));
  const bounds = new Map([...tiers].map(([model, list]) => [model, list.slice(0, -1).map((t) => t.to)]));
  const out = new Map<string, { costUsd: number; unpriced: Set<string> }>();
  for (const s of history.usageRequestSums([0], until, bounds)) {
    const agent = out.get(s.agentId) ?? { costUsd: 0, unpriced: new Set<string>() };
    out.set(s.agentId, agent);
    const tier = tiers.get(s.model)?.[s.tier];
    const p = tier ? RequestPricer.sumCost(tier.rates, s.requests, s) : pricer.cost(s.model, s);
    if (p.ok) agent.costUsd += p.costUsd;
    else agent.unpriced.add(s.model);
  }
  return new Map([...out].map(([id, a]) => [id, { costUsd: a.costUsd, unpriced: [...a.unpriced] }]));
}

export function repriceFleetFromStore(fleet: Fleet, history: Pick<CostHistory, 'usageRequestInputRanges' | 'usageRequestSums' | 'usageRequestTokensPerAgent'>, book: Pick<PriceBook, 'price'>): string[] {
  return apply(fleet, repricedFromStore(history, book), history.usageRequestTokensPerAgent());
}

function apply(fleet: Fleet, priced: ReadonlyMap<string, Priced>, tokens: ReadonlyMap<string, number>): string[] {
  const changed: string[] = [];
  for (const [agentId, p] of priced) {
    const agent = fleet.get(agentId);
    if (!agent) continue;
    const u = agent.usage;
    if (tokens.get(agentId) !== u.input + u.output + u.cacheRead + u.cacheWrite) continue;
    const unpriced = [...p.unpriced].sort();
    if (Math.abs(p.costUsd - agent.costUsd) < 1e-12 && unpriced.join() === [...agent.unpricedModels].sort().join()) continue;
    fleet.repriced(agentId, p.costUsd, unpriced);
    changed.push(agentId);
  }
  return changed;
}
