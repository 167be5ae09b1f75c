// The order and grouping of the Agents tree, vscode-free: by attention (what needs the user first), by name, or by
// start; optionally grouped by the agent's group. Also the short state words that keep a row within 300 px.
import type { AgentSnapshot } from '../shared/agent';
import { agentLook } from './agentStatusLook';
import type { AgentLook, PresentedAgent } from './agentStatusLook';

export const SORT_BY = ['attention', 'name', 'start'] as const;
export type AgentSortBy = (typeof SORT_BY)[number];
export const GROUP_BY = ['none', 'group'] as const;
export type AgentGroupBy = (typeof GROUP_BY)[number];

/** A short word for the row's description when the full label (kept in the tooltip) is long. */
export const SHORT_LABEL: Partial<Record<AgentLook, string>> = {
  'needs-approval': 'needs approval',
  'needs-terminal': 'needs terminal',
  'ready-for-review': 'ready for review',
  'awaiting-connection': 'not connected yet',
};

const ENDED = new Set(['done', 'failed', 'stopped']);

/**
 * Paused by its budget. The budget work (issue 15) may add a field; until then a non-ended, non-working agent whose
 * reason speaks of its budget counts.
 */
export function budgetPaused(agent: AgentSnapshot): boolean {
  const flagged = (agent as { budgetPaused?: unknown }).budgetPaused;
  if (typeof flagged === 'boolean') return flagged;
  return !ENDED.has(agent.status) && agent.status !== 'working' && /\bbudget\b/i.test(agent.statusReason ?? '');
}

/** Lower comes first: approval, question, terminal, budget-paused, failed, stalled, then working, then the rest. */
const RANK: Record<AgentLook, number> = {
  'needs-approval': 0,
  quarantined: 0,
  'needs-input': 1,
  'needs-terminal': 2,
  failed: 4,
  'turn-failed': 4,
  stalled: 5,
  unreachable: 5,
  working: 6,
  starting: 6,
  'awaiting-connection': 7,
  'ready-for-review': 7,
  interrupted: 7,
  // Waiting for the API's quota to reset: nothing to do until then (a notification offers Resume at the reset).
  'quota-paused': 7,
  idle: 8,
  disconnected: 8,
  done: 9,
  stopped: 9,
};

export function attentionRank(agent: AgentSnapshot): number {
  const look = agentLook(agent as PresentedAgent);
  // Budget-paused sits between the terminal and failures, whatever waiting status the pause left it in.
  if (budgetPaused(agent) && look !== 'needs-approval' && look !== 'needs-terminal' && look !== 'quarantined') return 3;
  return RANK[look];
}

const started = (a: AgentSnapshot): number => a.startedAt ?? a.createdAt;
const byName = (a: AgentSnapshot, b: AgentSnapshot): number => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id);
const byStart = (a: AgentSnapshot, b: AgentSnapshot): number => started(a) - started(b) || byName(a, b);

/** The order of `sortAgents` as a comparator (negative: a comes first). */
export function compareAgents(by: AgentSortBy): (a: AgentSnapshot, b: AgentSnapshot) => number {
  return by === 'name' ? byName : by === 'start' ? byStart : (a, b) => attentionRank(a) - attentionRank(b) || byStart(a, b);
}

/** A sorted copy. Attention ties go to the agent started first (the one waiting longest among equals). */
export function sortAgents<T extends AgentSnapshot>(agents: readonly T[], by: AgentSortBy): T[] {
  return [...agents].sort(compareAgents(by));
}

export interface AgentGroup<T> {
  /** The group's name; undefined for agents without one. */
  readonly name: string | undefined;
  readonly agents: T[];
  /** The most urgent rank among its agents. */
  readonly rank: number;
}

/** Agents by group, each sorted; groups in the same order as their best agent (attention) or by name. */
export function groupAgents<T extends AgentSnapshot>(agents: readonly T[], by: AgentSortBy): AgentGroup<T>[] {
  const groups = new Map<string | undefined, T[]>();
  for (const a of agents) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  const out = [...groups].map(([name, members]) => ({ name, agents: sortAgents(members, by), rank: Math.min(...members.map(attentionRank)) }));
  const named = (a: AgentGroup<T>, b: AgentGroup<T>) =>
    a.name === undefined ? 1 : b.name === undefined ? -1 : a.name.localeCompare(b.name, undefined, { numeric: true });
  return out.sort(by === 'attention' ? (a, b) => a.rank - b.rank || named(a, b) : named);
}

/**
 * "<1m", "3m" or "1h 05m": a duration in at most two short units, minutes without seconds, so a row's words change at
 * most once a minute (each change refreshes the tree; the tooltip has the exact times).
 */
export function compactDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return '<1m';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
