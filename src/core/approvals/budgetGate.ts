// The budget gate, first in the gate chain: once an agent has spent its budget (dollars, tokens, active or wall time;
// in total, today or this task), its next tool call is denied with a message the agent reads ("budget exhausted:
// $5.02 of $5.00 for agent-3; waiting for the operator ..."), so it stops and waits; it is never killed. Raising the
// budget (or a new day, a new task) releases the pause and tells the agent to go on (src/core/budget/budgetWatch.ts).
// Reads the agent's snapshot only (usage, cost, times, the day and task marks).
import type { AgentSnapshot, BudgetLimits, BudgetPeriod } from '../../shared/agent';
import { activeMsAt, periodOf, useIn } from '../budget/periodUse';
import type { Clock } from '../clock';
import type { ActionGate } from './gateChain';
import { formatUsd, formatUsdAmount } from '../format';

export const BUDGET_RULE = 'budget';

export interface BudgetUse {
  readonly metric: Exclude<keyof BudgetLimits, 'period'>;
  readonly used: number;
  readonly limit: number;
  /** What the use counts from (absent: total). */
  readonly period?: BudgetPeriod;
}

export { activeMsAt };

/** Every dimension of the agent's own budget with its use in the budget's period, in the order usd, tokens, time, wall. */
export function budgetUse(agent: AgentSnapshot, now: number): BudgetUse[] {
  const b = agent.budget;
  if (!b) return [];
  const period = periodOf(b);
  const use = useIn(agent, period, now);
  const tag = period === 'total' ? {} : { period };
  const out: BudgetUse[] = [];
  if (b.usd !== undefined) out.push({ metric: 'usd', used: use.usd, limit: b.usd, ...tag });
  if (b.tokens !== undefined) out.push({ metric: 'tokens', used: use.tokens, limit: b.tokens, ...tag });
  if (b.timeMs !== undefined) out.push({ metric: 'timeMs', used: use.timeMs, limit: b.timeMs, ...tag });
  if (b.wallMs !== undefined) out.push({ metric: 'wallMs', used: use.wallMs, limit: b.wallMs, ...tag });
  return out;
}

/** " today", " this task" or "" (total): what a figure of the period is. */
export function periodWords(period: BudgetPeriod | undefined): string {
  return period === 'day' ? ' today' : period === 'task' ? ' this task' : '';
}

export function formatBudgetAmount(metric: BudgetUse['metric'], n: number): string {
  switch (metric) {
    case 'usd':
      // A limit below a dollar may be finer than a cent ($0.075 after +50 % of $0.05): never rounded to another figure.
      return n < 1 ? formatUsdAmount(n) : formatUsd(n);
    case 'tokens':
      return n >= 1000 ? `${Math.round(n / 100) / 10}k tokens` : `${n} tokens`;
    case 'timeMs':
      return `${Math.round(n / 60_000)}m`;
    case 'wallMs':
      return `${Math.round(n / 60_000)}m wall`;
  }
}

/** The dimensions spent in full (used >= limit). */
export function exhausted(agent: AgentSnapshot, now: number): BudgetUse[] {
  return budgetUse(agent, now).filter((u) => u.used >= u.limit);
}

/** A spent budget above the agent (its group's, the fleet's): `who` names it ("group backend", "the fleet"). */
export interface ScopeSpent extends BudgetUse {
  readonly who: string;
}

/** What the agent reads in the denied tool call's result. */
export function budgetDenyMessage(spent: readonly ScopeSpent[]): string {
  const what = spent.map((u) => `${formatBudgetAmount(u.metric, u.used)} of ${formatBudgetAmount(u.metric, u.limit)}${periodWords(u.period)} for ${u.who}`).join(', ');
  return `budget exhausted: ${what}; waiting for the operator. Do not retry this or work around it: stop here and wait; you will be told when the budget is raised.`;
}

/**
 * `scopes` (optional) lists the spent group and fleet budgets over an agent (src/core/budget/budgetWatch.ts): a
 * spent group or fleet budget denies the next tool call of every agent under it too. `denied` hears of each denial
 * (the audit, and the watch that tells the agent to go on once the budget is raised).
 */
export function budgetGate(clock: Clock, scopes?: (agent: AgentSnapshot) => readonly ScopeSpent[], denied?: (agent: AgentSnapshot, tool: string, reason: string) => void): ActionGate {
  return ({ agent, action }) => {
    const spent: ScopeSpent[] = [...exhausted(agent, clock.now()).map((u) => ({ ...u, who: agent.name })), ...(scopes?.(agent) ?? [])];
    if (spent.length === 0) return { kind: 'pass' };
    const reason = budgetDenyMessage(spent);
    denied?.(agent, action.tool, reason);
    return { kind: 'deny', tier: 'prohibited', rule: BUDGET_RULE, reason };
  };
}
