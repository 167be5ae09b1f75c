// The budgets per day and per task that cover an agent, with its use in each (the totals are the tracker's): its own,
// its group's and the fleet's. A group's or the fleet's budget per day sums today's use of every agent under it; a
// budget per task of a group or the fleet bounds each task of each agent under it, on its own.
import type { AgentSnapshot, BudgetLimits, BudgetPeriod } from '../../shared/agent';
import { BUDGET_METRICS } from './budgetTypes';
import type { BudgetMetric, BudgetScope } from './budgetTypes';
import type { ScopeBudgets } from './budgetSettings';
import { periodKey, periodOf, useIn } from './periodUse';
import type { Totals } from './periodUse';

export interface PeriodUse {
  readonly scope: BudgetScope;
  readonly metric: BudgetMetric;
  readonly period: Exclude<BudgetPeriod, 'total'>;
  readonly used: number;
  readonly limit: number;
  /** The budget and its current period: a task budget of a group is one per agent and task. Alerts once per key. */
  readonly key: string;
}

/** Float sums drift; a budget is spent from used >= limit - this. */
export const EPSILON = 1e-9;

function sum(agents: readonly AgentSnapshot[], period: BudgetPeriod, now: number): Totals {
  const out: Totals = { usd: 0, tokens: 0, timeMs: 0, wallMs: 0 };
  for (const a of agents) {
    const u = useIn(a, period, now);
    out.usd += u.usd;
    out.tokens += u.tokens;
    out.timeMs += u.timeMs;
    out.wallMs += u.wallMs;
  }
  return out;
}

/** Today's use of a group or the fleet (summed over its agents; the watch keeps it up to date). */
export type ScopeDayUse = (scope: { kind: 'group'; group: string } | { kind: 'fleet' }) => Totals;

/** Today's use of a group or the fleet, summed over `members` from their marks. */
export const sumDay = (members: readonly AgentSnapshot[], now: number): Totals => sum(members, 'day', now);

/** Every dimension of every per-day or per-task budget over `agent`, with its use now. */
export function periodUses(agent: AgentSnapshot, dayOf: ScopeDayUse, budgets: ScopeBudgets, now: number): PeriodUse[] {
  const out: PeriodUse[] = [];
  const add = (scope: BudgetScope, limits: BudgetLimits | undefined, name: string): void => {
    const period = periodOf(limits);
    if (!limits || period === 'total') return;
    // A day is the scope's (the sum over its agents); a task is always one agent's.
    const use = period === 'day' && (scope.kind === 'group' || scope.kind === 'fleet') ? dayOf(scope) : useIn(agent, period, now);
    const key = `${name}|${period === 'task' ? `${agent.id}:` : ''}${periodKey(agent, period, now)}`;
    for (const metric of BUDGET_METRICS) {
      const limit = limits[metric];
      if (limit !== undefined) out.push({ scope, metric, period, used: use[metric], limit, key });
    }
  };
  add({ kind: 'agent', agentId: agent.id }, agent.budget, `agent:${agent.id}`);
  const group = agent.group;
  if (group !== undefined) add({ kind: 'group', group }, budgets.groups[group], `group:${group}`);
  add({ kind: 'fleet' }, budgets.fleet, 'fleet');
  return out;
}

export const spent = (u: { used: number; limit: number }): boolean => u.used / u.limit >= 1 - EPSILON;

/**
 * A group's (or the fleet's) use against its budget, for its row: the sum over its agents in total or today; for a
 * budget per task, each dimension's busiest task (each task of each agent is bounded on its own).
 */
export function scopeUse(members: readonly AgentSnapshot[], limits: BudgetLimits | undefined, now: number): Totals {
  const period = periodOf(limits);
  if (period !== 'task') return sum(members, period, now);
  const out: Totals = { usd: 0, tokens: 0, timeMs: 0, wallMs: 0 };
  for (const a of members) {
    const u = useIn(a, 'task', now);
    for (const metric of BUDGET_METRICS) out[metric] = Math.max(out[metric], u[metric]);
  }
  return out;
}
