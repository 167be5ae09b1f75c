// Each agent's subagents since it started, for its tooltip line ("incl. 2 subagents $0.31"): read from the stored
// requests that name a subagent (schema 6), each priced on its own under today's prices, kept per agent until a new
// subagent request of that agent is stored or the prices change. Their cost is already in the agent's.
import { formatUsd } from '../format';
import type { PriceBook } from '../pricing/priceBook';
import type { UsageRequest } from '../store/usageRepo';
import { subagentRows } from './costReport';

export interface SubagentCostSource {
  usageSubagentRequests(filter: { agentId: string }): UsageRequest[];
}

export interface SubagentTotals {
  readonly count: number;
  readonly usd: number;
  readonly unpriced: boolean;
}

export class SubagentCosts {
  private readonly known = new Map<string, SubagentTotals>();

  constructor(
    private readonly source: SubagentCostSource,
    private readonly book: Pick<PriceBook, 'price'>,
  ) {}

  totals(agentId: string): SubagentTotals {
    let t = this.known.get(agentId);
    if (!t) {
      const subs = subagentRows(this.source.usageSubagentRequests({ agentId }), this.book, Infinity).get(agentId) ?? [];
      t = { count: subs.length, usd: subs.reduce((s, x) => s + x.periodUsd, 0), unpriced: subs.some((x) => x.unpriced) };
      this.known.set(agentId, t);
    }
    return t;
  }

  /** "incl. 2 subagents $0.31", or undefined when the agent ran none. */
  line(agentId: string): string | undefined {
    const t = this.totals(agentId);
    if (t.count === 0) return undefined;
    return `incl. ${t.count} subagent${t.count === 1 ? '' : 's'} ${formatUsd(t.usd)}${t.unpriced ? ' (some without a price)' : ''}`;
  }

  /** A request of this agent was stored (call it for subagent requests), or the agent was removed. */
  changed(agentId: string): void {
    this.known.delete(agentId);
  }

  pricesChanged(): void {
    this.known.clear();
  }
}
