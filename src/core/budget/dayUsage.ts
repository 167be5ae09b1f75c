// Today's use per agent from the store (after a window reload the budgets per day count what was spent before it):
// the stored model requests since local midnight, each priced on its own as metering priced it (its tier, its
// 1-hour cache writes apart), summed per agent. A request without a price counts its tokens, not dollars.
import type { Usage } from '../../shared/agent';
import type { UsageRequest } from '../store/usageRepo';

export interface DayUse {
  readonly usd: number;
  readonly tokens: number;
}

/** Reads the stored requests since a time (FleetStore.usageRequestsSince fits). */
export type RequestsSince = (since: number) => readonly UsageRequest[];

/** Prices one request as the metering does; undefined when the model has no price. */
export type PriceRequest = (model: string, usage: Usage, request: { cacheWrite1h: number }) => number | undefined;

/** The budget watch's view of the store: use per agent since `since` (a local midnight). */
export interface BudgetHistory {
  usageSince(since: number): ReadonlyMap<string, DayUse>;
}

export function storeHistory(requestsSince: RequestsSince, price: PriceRequest): BudgetHistory {
  return {
    usageSince(since) {
      const out = new Map<string, { usd: number; tokens: number }>();
      for (const r of requestsSince(since)) {
        const sum = out.get(r.agentId) ?? { usd: 0, tokens: 0 };
        const usage: Usage = { input: r.input, output: r.output, cacheRead: r.cacheRead, cacheWrite: r.cacheWrite };
        sum.usd += price(r.model, usage, { cacheWrite1h: r.cacheWrite1h }) ?? 0;
        sum.tokens += r.input + r.output + r.cacheRead + r.cacheWrite;
        out.set(r.agentId, sum);
      }
      return out;
    },
  };
}
