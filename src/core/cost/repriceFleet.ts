// Applies re-pricing to the fleet: each agent whose stored requests account for all of its tokens gets the cost of
// those requests under today's prices (an agent from before requests were stored, or with usage added without a
// request row, keeps its summed cost: re-pricing it from part of its history would be wrong). Returns who changed.
import type { Fleet } from '../fleet/fleet';
import type { PriceBook } from '../pricing/priceBook';
import type { UsageRequest } from '../store/usageRepo';
import { reprice } from './reprice';

export function repriceFleet(fleet: Fleet, requests: readonly UsageRequest[], book: Pick<PriceBook, 'price'>): string[] {
  const tokens = new Map<string, number>();
  for (const r of requests) tokens.set(r.agentId, (tokens.get(r.agentId) ?? 0) + r.input + r.output + r.cacheRead + r.cacheWrite);
  const changed: string[] = [];
  for (const [agentId, priced] of reprice(requests, book)) {
    const agent = fleet.get(agentId);
    if (!agent) continue;
    const u = agent.usage;
    if (tokens.get(agentId) !== u.input + u.output + u.cacheRead + u.cacheWrite) continue;
    const unpriced = [...priced.unpriced.keys()].sort();
    if (Math.abs(priced.costUsd - agent.costUsd) < 1e-12 && unpriced.join() === [...agent.unpricedModels].sort().join()) continue;
    fleet.repriced(agentId, priced.costUsd, unpriced);
    changed.push(agentId);
  }
  return changed;
}
