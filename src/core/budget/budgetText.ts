// Budgets as people read and type them: limits back to New Agent's text ("$5, 30m, 2h wall, 200k tokens/day"), the
// row's tightest budget as a fraction ("$1.20/$5", "$1.20/$5 today", "$0.40/$1 this task") and one tooltip line per
// dimension ("$1.20 of $5.00 today (24 %)").
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import { budgetUse, periodWords } from '../approvals/budgetGate';
import type { BudgetUse } from '../approvals/budgetGate';
import { formatDuration, formatTokens, formatUsd } from '../format';

const trimZeros = (n: number): string => String(Number(n.toFixed(4)));

function timeText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${trimZeros(ms / 1000)}s`;
}

function tokensText(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}M tokens`;
  if (n % 1000 === 0) return `${n / 1000}k tokens`;
  return `${n} tokens`;
}

/** The text parseBudgetInput reads back to the same limits; '' for no budget. */
export function budgetText(limits: BudgetLimits | undefined): string {
  if (!limits) return '';
  const parts: string[] = [];
  if (limits.usd !== undefined) parts.push(`$${trimZeros(limits.usd)}`);
  if (limits.timeMs !== undefined) parts.push(timeText(limits.timeMs));
  if (limits.wallMs !== undefined) parts.push(`${timeText(limits.wallMs)} wall`);
  if (limits.tokens !== undefined) parts.push(tokensText(limits.tokens));
  if (parts.length === 0) return '';
  // The period is written once and is the whole budget's.
  if (limits.period === 'day') parts[parts.length - 1] += '/day';
  if (limits.period === 'task') parts[parts.length - 1] += ' per task';
  return parts.join(', ');
}

const shortLimit = (u: BudgetUse): string => {
  switch (u.metric) {
    case 'usd':
      return `$${trimZeros(u.limit)}`;
    case 'tokens':
      return formatTokens(u.limit);
    case 'timeMs':
      return timeText(Math.round(u.limit));
    case 'wallMs':
      return `${timeText(Math.round(u.limit))} wall`;
  }
};

const shortUsed = (u: BudgetUse): string => {
  switch (u.metric) {
    case 'usd':
      return formatUsd(u.used);
    case 'tokens':
      return formatTokens(u.used);
    case 'timeMs':
    case 'wallMs':
      return `${Math.floor(u.used / 60_000)}m`;
  }
};

/**
 * The agent's tightest budget (highest share spent), e.g. "$1.20/$5" or "120k/200k", with its period when it is not
 * the total: "$1.20/$5 today", "$0.40/$1 this task"; undefined without a budget.
 */
export function budgetFraction(agent: AgentSnapshot, now: number): string | undefined {
  const uses = budgetUse(agent, now);
  if (uses.length === 0) return undefined;
  const tightest = uses.reduce((a, b) => (b.used / b.limit > a.used / a.limit ? b : a));
  return `${shortUsed(tightest)}/${shortLimit(tightest)}${periodWords(tightest.period)}`;
}

/** One line per dimension of the agent's budget, e.g. "$1.20 of $5.00 (24 %)". */
export function budgetLines(agent: AgentSnapshot, now: number): string[] {
  return budgetUse(agent, now).map((u) => {
    const pct = `${Math.floor((u.used / u.limit) * 100)} %`;
    const when = periodWords(u.period);
    switch (u.metric) {
      case 'usd':
        return `${formatUsd(u.used)} of ${formatUsd(u.limit)}${when} (${pct})`;
      case 'tokens':
        return `${formatTokens(u.used)} of ${formatTokens(u.limit)} tokens${when} (${pct})`;
      case 'timeMs':
        return `${formatDuration(u.used)} of ${formatDuration(u.limit)} active${when} (${pct})`;
      case 'wallMs':
        return `${formatDuration(u.used)} of ${formatDuration(u.limit)} wall time${when} (${pct})`;
    }
  });
}

/** The highest share of any budget dimension of the agent (0 without a budget). */
export function budgetShare(agent: AgentSnapshot, now: number): number {
  return Math.max(0, ...budgetUse(agent, now).map((u) => u.used / u.limit));
}

/** Why a budget pause ended: a raised budget, or a new day for a budget per day. */
export type ReleaseReason = 'raised' | 'new-day';

/** What a released agent is told (typed into its session) once the budget that stopped it has room again. */
export function resumeMessage(agent: AgentSnapshot, why: ReleaseReason = 'raised'): string {
  const own = budgetText(agent.budget);
  const what = why === 'new-day' ? 'a new day began, so the budget per day has room again' : 'the budget was raised';
  return `Flotilla: ${what}${own ? ` (${agent.name}: ${own})` : ''}; the operator lets you go on. Continue your task where you stopped, retrying the call that was denied if you still need it.`;
}
