// The Costs view's figures, vscode-free: the fleet's, each group's, each agent's and each model's spending over a
// period of 7 or 30 days, by day in the local time zone (days start at local midnight, so a DST day has 23 or 25
// hours), from the stored model requests priced when read (today's prices and overrides), beside each agent's total
// since it started (its summed, re-priced cost: agents from before requests were stored have usage in no day) and
// the budgets of each scope.
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import { COST_LIMITS } from '../../shared/webview/costsProtocol';
import type { CostAgentRow, CostBudget, CostCredentialRow, CostGroupRow, CostModelRow, CostPeriod, CostReport, CostSubagentRow, CostTokens } from '../../shared/webview/costsProtocol';
import type { ScopeBudgets } from '../budget/budgetSettings';
import { budgetText } from '../budget/budgetText';
import { scopeText } from '../credentials/credentials';
import type { CredentialCost } from '../credentials/credentials';
import type { PriceBook } from '../pricing/priceBook';
import type { RequestInputRange, RequestSum, UsageRequest } from '../store/usageRepo';
import { RequestPricer } from './requestPricer';
import type { PriceTier } from './requestPricer';

export type CostAgent = Pick<AgentSnapshot, 'id' | 'name' | 'group' | 'status' | 'costUsd' | 'usage' | 'budget'>;

/** What the report reads from the store (FleetStore fits it). */
export interface CostHistory {
  usageRequestInputRanges(since: number, until: number): RequestInputRange[];
  usageRequestSums(dayStarts: readonly number[], until: number, tierBounds: ReadonlyMap<string, readonly number[]>): RequestSum[];
  /** Tokens of all stored requests per agent (input + output + cache reads + cache writes). */
  usageRequestTokensPerAgent(): Map<string, number>;
  /** The requests subagents made in [since, until] (schema 6); without it the report has no subagent rows. */
  usageSubagentRequests?(filter: { since: number; until: number }): UsageRequest[];
}

export interface CostReportInput {
  readonly days: CostPeriod;
  readonly now: number;
  readonly agents: readonly CostAgent[];
  readonly budgets: ScopeBudgets;
  readonly history: CostHistory;
  readonly book: Pick<PriceBook, 'price'>;
  /** Costs by credential (src/core/credentials), already computed; optional. */
  readonly credentials?: readonly CostCredentialRow[];
  /** Reused across reports so rates are read from the price book once (drop it when prices change). */
  readonly pricer?: RequestPricer;
  /** Keeps the priced sums of the period's past days between reports (a live refresh then reads only today). */
  readonly cache?: CostDaysCache;
  /** Changes when prices do (e.g. the overrides as JSON): the cache is then priced again. */
  readonly pricesKey?: string;
}

/** One agent's requests to one model on one day of the period (day: index into dayStarts), priced. */
export interface PricedSum extends RequestSum {
  readonly priced: { ok: true; costUsd: number } | { ok: false; reason: string };
}

/** The past days of the last report, priced (buildCostReport fills and reads it). */
export class CostDaysCache {
  key: string | undefined;
  sums: readonly PricedSum[] = [];
}

/** The requests from dayStarts[fromDay] to `until` (ms, inclusive) summed by SQLite per agent, model, day and price tier. */
function pricedSums(history: CostHistory, pricer: RequestPricer, dayStarts: readonly number[], fromDay: number, until: number): PricedSum[] {
  const from = dayStarts[fromDay]!;
  if (until < from) return [];
  const tiers = new Map<string, PriceTier[]>();
  for (const range of history.usageRequestInputRanges(from, until)) tiers.set(range.model, pricer.tiers(range.model, range.min, range.max));
  const bounds = new Map([...tiers].map(([model, list]) => [model, list.slice(0, -1).map((t) => t.to)]));
  return history.usageRequestSums(dayStarts.slice(fromDay), until, bounds).map((r) => {
    const tier = tiers.get(r.model)?.[r.tier];
    return { ...r, day: r.day + fromDay, priced: tier ? RequestPricer.sumCost(tier.rates, r.requests, r) : pricer.cost(r.model, r) };
  });
}

/** Local midnight of each of the last `days` days, oldest first (today last). */
export function localDayStarts(now: number, days: number): number[] {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const starts: number[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back);
    starts.push(d.getTime());
  }
  return starts;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayLabel = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

const budgetOf = (limits: BudgetLimits | undefined): CostBudget | undefined => (limits && (limits.usd ?? limits.tokens ?? limits.timeMs) !== undefined ? { text: budgetText(limits), ...(limits.usd !== undefined ? { usd: limits.usd } : {}) } : undefined);
const zeroTokens = (): CostTokens => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
const addTokens = (t: CostTokens, r: RequestSum) => {
  t.input += r.input;
  t.output += r.output;
  t.cacheRead += r.cacheRead;
  t.cacheWrite += r.cacheWrite;
};

export function buildCostReport(input: CostReportInput): CostReport {
  const { days, now } = input;
  const dayStarts = localDayStarts(now, days);
  const pricer = input.pricer ?? new RequestPricer(input.book);
  // Past days of the period come from the cache while the period and the prices stay the same; today is read again.
  const today = dayStarts.length - 1;
  const key = `${days}:${dayStarts[0]}:${input.pricesKey ?? ''}`;
  let past = input.cache?.key === key ? input.cache.sums : undefined;
  if (!past) {
    past = pricedSums(input.history, pricer, dayStarts, 0, dayStarts[today]! - 1);
    if (input.cache) {
      input.cache.key = key;
      input.cache.sums = past;
    }
  }
  // Requests of a removed agent went with it (the table cascades): so do its cached sums.
  const stored = input.history.usageRequestTokensPerAgent();
  const sums = [...past.filter((s) => stored.has(s.agentId)), ...pricedSums(input.history, pricer, dayStarts, today, now)];

  const known = new Map(input.agents.map((a) => [a.id, a]));
  const agents = new Map<string, CostAgentRow & { unpricedSet: Set<string> }>();
  const agentRow = (id: string) => {
    let row = agents.get(id);
    if (!row) {
      const a = known.get(id);
      row = { id, name: a?.name ?? id, ...(a?.group ? { group: a.group } : {}), status: a?.status ?? 'removed', periodUsd: 0, totalUsd: a?.costUsd ?? 0, tokens: zeroTokens(), requests: 0, partialHistory: false, unpriced: [], unpricedSet: new Set() };
      const budget = budgetOf(a?.budget);
      if (budget) row.budget = budget;
      agents.set(id, row);
    }
    return row;
  };
  for (const a of input.agents) agentRow(a.id);

  const models = new Map<string, CostModelRow & { tokens: CostTokens }>();
  const byDayOf = new Map<string, number[]>(); // per agent
  const fleetByDay = dayStarts.map(() => 0);
  for (const r of sums) {
    const agent = agentRow(r.agentId);
    const model = models.get(r.model) ?? { model: r.model, periodUsd: 0, tokens: zeroTokens(), requests: 0 };
    models.set(r.model, model);
    agent.requests += r.requests;
    model.requests += r.requests;
    addTokens(agent.tokens, r);
    addTokens(model.tokens, r);
    const priced = r.priced;
    if (!priced.ok) {
      agent.unpricedSet.add(r.model);
      model.unpriced = priced.reason.slice(0, 256);
      continue;
    }
    agent.periodUsd += priced.costUsd;
    model.periodUsd += priced.costUsd;
    fleetByDay[r.day]! += priced.costUsd;
    let perDay = byDayOf.get(r.agentId);
    if (!perDay) byDayOf.set(r.agentId, (perDay = dayStarts.map(() => 0)));
    perDay[r.day]! += priced.costUsd;
  }

  // Agents whose usage is not all in stored requests (counted before schema 4): their total has history in no day.
  for (const a of input.agents) {
    const u = a.usage;
    if (u.input + u.output + u.cacheRead + u.cacheWrite > (stored.get(a.id) ?? 0)) agentRow(a.id).partialHistory = true;
  }

  const subagents = input.history.usageSubagentRequests ? subagentRows(input.history.usageSubagentRequests({ since: dayStarts[0]!, until: now }), input.book) : new Map<string, CostSubagentRow[]>();
  const groups = new Map<string, CostGroupRow>();
  const agentRows: CostAgentRow[] = [];
  for (const { unpricedSet, ...row } of agents.values()) {
    const subs = subagents.get(row.id);
    const finished: CostAgentRow = { ...row, unpriced: [...unpricedSet].sort().slice(0, 50), ...(subs ? { subagents: subs } : {}) };
    agentRows.push(finished);
    const key = row.group ?? '';
    let g = groups.get(key);
    if (!g) {
      g = { ...(row.group ? { group: row.group } : {}), agents: 0, periodUsd: 0, totalUsd: 0, byDay: dayStarts.map(() => 0) };
      const budget = row.group ? budgetOf(input.budgets.groups[row.group]) : undefined;
      if (budget) g.budget = budget;
      groups.set(key, g);
    }
    g.agents++;
    g.periodUsd += row.periodUsd;
    g.totalUsd += row.totalUsd;
    const perDay = byDayOf.get(row.id);
    if (perDay) for (let i = 0; i < perDay.length; i++) g.byDay[i]! += perDay[i]!;
  }
  // Groups with a budget but no agent yet still show their budget.
  for (const [group, limits] of Object.entries(input.budgets.groups)) {
    if (!groups.has(group)) {
      const budget = budgetOf(limits);
      groups.set(group, { group, agents: 0, periodUsd: 0, totalUsd: 0, byDay: dayStarts.map(() => 0), ...(budget ? { budget } : {}) });
    }
  }

  const byCost = <T extends { periodUsd: number }>(a: T, b: T) => b.periodUsd - a.periodUsd;
  const fleetBudget = budgetOf(input.budgets.fleet);
  return {
    days,
    dayStarts,
    dayLabels: dayStarts.map(dayLabel),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'local',
    generatedAt: now,
    fleet: {
      periodUsd: fleetByDay.reduce((s, x) => s + x, 0),
      totalUsd: agentRows.reduce((s, a) => s + a.totalUsd, 0),
      byDay: fleetByDay,
      requests: agentRows.reduce((s, a) => s + a.requests, 0),
      ...(fleetBudget ? { budget: fleetBudget } : {}),
    },
    groups: [...groups.values()].sort(byCost),
    agents: agentRows.sort(byCost),
    models: [...models.values()].sort(byCost),
    credentials: [...(input.credentials ?? [])],
  };
}

/**
 * Each agent's subagents in the period, each request priced on its own (subagent requests are few: no tier sums),
 * costliest first, at most `limit` per agent.
 */
export function subagentRows(requests: readonly UsageRequest[], book: Pick<PriceBook, 'price'>, limit: number = COST_LIMITS.subagents): Map<string, CostSubagentRow[]> {
  const byAgent = new Map<string, Map<string, { id: string; type?: string; periodUsd: number; requests: number; unpriced: boolean }>>();
  for (const r of requests) {
    if (r.subagent === undefined) continue;
    let subs = byAgent.get(r.agentId);
    if (!subs) byAgent.set(r.agentId, (subs = new Map()));
    let sub = subs.get(r.subagent);
    if (!sub) subs.set(r.subagent, (sub = { id: r.subagent.slice(0, COST_LIMITS.text), periodUsd: 0, requests: 0, unpriced: false }));
    if (r.subagentType !== undefined) sub.type = r.subagentType.slice(0, COST_LIMITS.text);
    sub.requests++;
    const p = book.price(r.model, { input: r.input, output: r.output, cacheRead: r.cacheRead, cacheWrite: r.cacheWrite, cacheWrite1h: r.cacheWrite1h });
    if (p.ok) sub.periodUsd += p.costUsd;
    else sub.unpriced = true;
  }
  return new Map([...byAgent].map(([agentId, subs]) => [agentId, [...subs.values()].sort((a, b) => b.periodUsd - a.periodUsd).slice(0, limit)]));
}

/** Costs by credential (src/core/credentials) as rows; an agent's own credential is named by the agent. */
export function credentialRows(costs: readonly CredentialCost[], agentName: (id: string) => string | undefined): CostCredentialRow[] {
  return costs.map((c) => ({
    name: c.entry.name,
    scope: (c.entry.scope.kind === 'agent' ? `agent ${agentName(c.entry.scope.agentId) ?? c.entry.scope.agentId}` : scopeText(c.entry.scope)).slice(0, 256),
    agents: c.agents,
    totalUsd: c.costUsd,
  }));
}
