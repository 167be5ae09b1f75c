// The panel's pure logic, kept apart from the DOM: grouping by agent in a stable order, ages, an agent's spend, and
// which requests a key press or a toolbar button acts on.
import type { PendingApproval } from '../../src/shared/approval';
import type { AgentContext } from '../../src/shared/webview/approvalsProtocol';

/** How long a notice stays: long enough to read, short enough not to sit above the next requests. */
export const NOTICE_MS = 6_000;
/** A notice that something could not be answered stays longer. */
export const PROBLEM_NOTICE_MS = 15_000;

export interface AgentGroup {
  readonly agentId: string;
  readonly agentName: string;
  /** Oldest first. */
  readonly requests: PendingApproval[];
}

/** Groups ordered by agent name (then id) so a group does not jump when its oldest request is answered. */
export function groupByAgent(pending: readonly PendingApproval[]): AgentGroup[] {
  const groups = new Map<string, { agentId: string; agentName: string; requests: PendingApproval[] }>();
  for (const request of pending) {
    let group = groups.get(request.agentId);
    if (!group) {
      group = { agentId: request.agentId, agentName: request.agentName, requests: [] };
      groups.set(request.agentId, group);
    }
    group.requests.push(request);
  }
  const byAge = (a: PendingApproval, b: PendingApproval) => a.createdAt - b.createdAt || compare(a.id, b.id);
  return [...groups.values()]
    .map((g) => ({ ...g, requests: g.requests.sort(byAge) }))
    .sort((a, b) => compare(a.agentName.toLowerCase(), b.agentName.toLowerCase()) || compare(a.agentId, b.agentId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "just now", "42 s", "5 min", "3 h", "2 d" — how long a request has waited. */
export function formatAge(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * The requests a key (a/d) acts on: every selected one when the focused request is part of the selection,
 * else the focused one alone, so a key never decides something the reviewer is not looking at.
 */
export function keyTargets(focusedId: string | undefined, selected: ReadonlySet<string>, ordered: readonly string[]): string[] {
  if (focusedId === undefined) return [];
  if (selected.has(focusedId)) return ordered.filter((id) => selected.has(id));
  return [focusedId];
}

/** Where focus goes when `gone` leave the list: the next remaining request after the first gone one, else the one before. */
export function focusAfterRemoval(ordered: readonly string[], focusedId: string, gone: ReadonlySet<string>): string | undefined {
  const at = ordered.indexOf(focusedId);
  if (at < 0) return undefined;
  for (let i = at + 1; i < ordered.length; i++) if (!gone.has(ordered[i]!)) return ordered[i];
  for (let i = at - 1; i >= 0; i--) if (!gone.has(ordered[i]!)) return ordered[i];
  return undefined;
}

function usd(n: number): string {
  return n > 0 && n < 0.01 ? '<$0.01' : `$${n.toFixed(2)}`;
}

/** "$0.42", "$0.42 of $5.00 budget (8 %)", and why the agent is paused for budget when it is. */
export function spendText(context: Pick<AgentContext, 'costUsd' | 'budgetUsd' | 'budgetNote'>): string {
  const { costUsd, budgetUsd, budgetNote } = context;
  const spent = budgetUsd ? `${usd(costUsd)} of ${usd(budgetUsd)} budget (${Math.round((costUsd / budgetUsd) * 100)} %)` : usd(costUsd);
  return budgetNote ? `${spent}; paused for budget: ${budgetNote}` : spent;
}
