// Budgets as people read and type them: limits back to New Agent's text ("$5, 30m, 200k tokens"), the row's tightest
// budget as a fraction ("$1.20/$5") and one tooltip line per dimension ("$1.20 of $5.00 (24 %)").
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import { budgetUse } from '../approvals/budgetGate';
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
  if (limits.tokens !== undefined) parts.push(tokensText(limits.tokens));
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
  }
};

const shortUsed = (u: BudgetUse): string => {
  switch (u.metric) {
    case 'usd':
      return formatUsd(u.used);
    case 'tokens':
      return formatTokens(u.used);
    case 'timeMs':
      return `${Math.floor(u.used / 60_000)}m`;
  }
};

/** The agent's tightest budget (highest share spent), e.g. "$1.20/$5" or "120k/200k"; undefined without a budget. */
export function budgetFraction(agent: AgentSnapshot, now: number): string | undefined {
  const uses = budgetUse(agent, now);
  if (uses.length === 0) return undefined;
  const tightest = uses.reduce((a, b) => (b.used / b.limit > a.used / a.limit ? b : a));
  return `${shortUsed(tightest)}/${shortLimit(tightest)}`;
}

/** One line per dimension of the agent's budget, e.g. "$1.20 of $5.00 (24 %)". */
export function budgetLines(agent: AgentSnapshot, now: number): string[] {
  return budgetUse(agent, now).map((u) => {
    const pct = `${Math.floor((u.used / u.limit) * 100)} %`;
    switch (u.metric) {
      case 'usd':
        return `${formatUsd(u.used)} of ${formatUsd(u.limit)} (${pct})`;
      case 'tokens':
        return `${formatTokens(u.used)} of ${formatTokens(u.limit)} tokens (${pct})`;
      case 'timeMs':
        return `${formatDuration(u.used)} of ${formatDuration(u.limit)} active (${pct})`;
    }
  });
}

/** The highest share of any budget dimension of the agent (0 without a budget). */
export function budgetShare(agent: AgentSnapshot, now: number): number {
  return Math.max(0, ...budgetUse(agent, now).map((u) => u.used / u.limit));
}

/** What a released agent is told (typed into its session) once the budget that stopped it has room again. */
export function resumeMessage(agent: AgentSnapshot): string {
  const own = budgetText(agent.budget);
  return `Flotilla: the budget was raised${own ? ` (${agent.name}: ${own})` : ''}; the operator lets you go on. Continue your task where you stopped, retrying the call that was denied if you still need it.`;
}
