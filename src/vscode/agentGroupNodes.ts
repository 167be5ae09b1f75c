// The Agents tree's group rows, vscode-free: with flotilla.agents.groupBy = group, agents that have a group sit under
// one row per group, "backend" with "3 agents · $1.20/$5 · 1 needs you" (the members' summed cost against the
// group's budget from settings, the tightest of its dimensions); agents without a group stay at the top level.
// Also where each agent's row sits (its parent), so a change can refresh one row and, when its total moved, its group.
import type { AgentSnapshot, BudgetLimits } from '../shared/agent';
import { periodWords } from '../core/approvals/budgetGate';
import { scopeUse } from '../core/budget/periodBudgets';
import { formatTokens, formatUsd } from '../core/format';
import { attentionRank, groupAgents, sortAgents } from './agentOrder';
import type { AgentSortBy } from './agentOrder';

export interface AgentGroupNode {
  readonly type: 'group';
  readonly id: string;
  readonly name: string;
}

export const isGroupNode = (node: unknown): node is AgentGroupNode => typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'group';

/** The key of a group row's parent entry and its element id. */
export const groupKey = (name: string): string => `group:${name}`;

export interface RootLayout {
  /** Named groups, in the order groupAgents gives (most urgent first by attention, else by name). */
  readonly groups: { readonly name: string; readonly agents: AgentSnapshot[] }[];
  /** Agents without a group, sorted, shown after the groups. */
  readonly loose: AgentSnapshot[];
}

export function layoutGroups(agents: readonly AgentSnapshot[], sortBy: AgentSortBy): RootLayout {
  const named = groupAgents(agents.filter((a) => a.group !== undefined), sortBy);
  return { groups: named.map((g) => ({ name: g.name!, agents: g.agents })), loose: sortAgents(agents.filter((a) => a.group === undefined), sortBy) };
}

const trim = (n: number): string => String(Number(n.toFixed(4)));

/**
 * The members' spending against the group budget's tightest dimension, in the budget's period (summed in total or
 * today; per task the busiest task, as each task is bounded on its own): its share and "$1.20/$5", "$0.40/$1 today",
 * "120k/200k tokens".
 */
export function groupUse(members: readonly AgentSnapshot[], budget: BudgetLimits | undefined, now: number): { share: number; text: string } | undefined {
  if (!budget) return undefined;
  const used = scopeUse(members, budget, now);
  const uses: { share: number; text: string }[] = [];
  if (budget.usd) uses.push({ share: used.usd / budget.usd, text: `${formatUsd(used.usd)}/$${trim(budget.usd)}` });
  if (budget.tokens) uses.push({ share: used.tokens / budget.tokens, text: `${formatTokens(used.tokens)}/${formatTokens(budget.tokens)} tokens` });
  if (budget.timeMs) uses.push({ share: used.timeMs / budget.timeMs, text: `${Math.floor(used.timeMs / 60_000)}m/${Math.round(budget.timeMs / 60_000)}m` });
  if (budget.wallMs) uses.push({ share: used.wallMs / budget.wallMs, text: `${Math.floor(used.wallMs / 60_000)}m/${Math.round(budget.wallMs / 60_000)}m wall` });
  if (uses.length === 0) return undefined;
  const tightest = uses.reduce((a, b) => (b.share > a.share ? b : a));
  const period = budget.period === 'task' ? ' (busiest task)' : periodWords(budget.period);
  return { share: tightest.share, text: `${tightest.text}${period}` };
}

export const groupFraction = (members: readonly AgentSnapshot[], budget: BudgetLimits | undefined, now: number): string | undefined => groupUse(members, budget, now)?.text;

/** "3 agents · $1.20/$5 · 1 needs you"; without a budget the summed cost ("3 agents · $1.20"). */
export function groupNodeDescription(members: readonly AgentSnapshot[], budget: BudgetLimits | undefined, now: number): string {
  const count = `${members.length} agent${members.length === 1 ? '' : 's'}`;
  const money = groupFraction(members, budget, now) ?? formatUsd(members.reduce((s, a) => s + a.costUsd, 0));
  const needs = members.filter((a) => attentionRank(a) <= 5).length;
  return [count, money, ...(needs > 0 ? [`${needs} need${needs === 1 ? 's' : ''} you`] : [])].join(' · ');
}

/** The tooltip of a group row: its agents and its budget's use per dimension. */
export function groupNodeTooltip(name: string, members: readonly AgentSnapshot[], budget: BudgetLimits | undefined, now: number): string {
  const cost = members.reduce((s, a) => s + a.costUsd, 0);
  const lines = [`Group ${name}: ${members.map((a) => a.name).join(', ')}`, `Spent ${formatUsd(cost)} in all`];
  lines.push(budget ? `Budget: ${groupFraction(members, budget, now)} (flotilla.budget.groups)` : 'No group budget (Set Budget… → A group…)');
  return lines.join('\n');
}

/** Group rows are kept by name: VS Code knows a row by its element, so a refresh of one group names this object. */
export class GroupNodes {
  private readonly nodes = new Map<string, AgentGroupNode>();

  node(name: string): AgentGroupNode {
    let node = this.nodes.get(name);
    if (!node) this.nodes.set(name, (node = { type: 'group', id: groupKey(name), name }));
    return node;
  }
}
