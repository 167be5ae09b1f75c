// What the agent picker offers for each agent command, vscode-free: which agents a command applies to (Stop: live
// ones; Open Diff: those with a worktree...), in attention order, each with its state, cost and place.
import type { AgentSnapshot } from '../shared/agent';
import { formatUsd } from '../core/format';
import { isEnded } from '../core/statusMachine';
import { visible } from '../shared/visibleText';
import { SHORT_LABEL, sortAgents } from './agentOrder';
import { agentLook, LOOKS } from './agentStatusLook';
import { runnerAgentOf } from '../adapters/remote/runnerFleetAgents';

/** Which agents a command can act on. */
/** `changes`: agents whose changes can be shown — a local worktree, or a runner's agent (its runner serves them). */
/** `quota`: live agents paused at the model API's quota wall. */
export type AgentFilter = 'any' | 'live' | 'ended' | 'worktree' | 'changes' | 'quota' | 'terminal';

export interface AgentPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail?: string;
  readonly agentId: string;
}

export function applies(agent: AgentSnapshot, filter: AgentFilter, hasTerminal: (id: string) => boolean = () => false): boolean {
  switch (filter) {
    case 'any':
      return true;
    case 'live':
      return !isEnded(agent.status);
    case 'ended':
      return isEnded(agent.status);
    case 'worktree':
      return agent.worktree !== undefined;
    case 'changes':
      return agent.worktree !== undefined || runnerAgentOf(agent) !== undefined;
    case 'quota':
      return agent.quotaPause !== undefined && !isEnded(agent.status);
    case 'terminal':
      return hasTerminal(agent.id);
  }
}

/** The picker's rows: the agents the command applies to, what needs the user first; names escaped. */
export function pickItems(agents: readonly AgentSnapshot[], filter: AgentFilter, hasTerminal?: (id: string) => boolean): AgentPickItem[] {
  return sortAgents(
    agents.filter((a) => applies(a, filter, hasTerminal)),
    'attention',
  ).map((a) => {
    const look = agentLook(a);
    const place = a.worktree ? `branch ${visible(a.worktree.branch)}` : a.cwd ? visible(a.cwd) : a.kind;
    return {
      label: visible(a.name),
      description: `${SHORT_LABEL[look] ?? LOOKS[look].label} · ${formatUsd(a.costUsd)}`,
      detail: `${a.kind}${a.group ? ` · group ${visible(a.group)}` : ''} · ${place}`,
      agentId: a.id,
    };
  });
}

/** Why the picker has nothing to offer, e.g. "No running agent to stop." */
export function nothingToPick(filter: AgentFilter, verb: string): string {
  const which: Record<AgentFilter, string> = { any: 'agent', live: 'running agent', ended: 'ended agent', worktree: 'agent with a worktree', changes: 'agent with a worktree', quota: 'agent paused at the quota wall', terminal: 'agent with a terminal in this window' };
  return `No ${which[filter]} to ${verb}.`;
}

/**
 * The agents a command invoked from a tree row acts on: VS Code passes the clicked row and the selection; the
 * selection counts only when it contains the clicked row (else the user right-clicked outside it). Ids as strings
 * or arrays of ids come from other commands and tests.
 */
export function agentIdsFromArgs(arg: unknown, selection: unknown): string[] | undefined {
  const idOf = (x: unknown): string | undefined =>
    typeof x === 'string' ? x : x && typeof x === 'object' && 'id' in x && (x as { type?: unknown }).type !== 'group' ? String((x as { id: unknown }).id) : undefined;
  if (Array.isArray(arg)) return arg.flatMap((x) => idOf(x) ?? []);
  const clicked = idOf(arg);
  if (clicked === undefined) return undefined;
  if (Array.isArray(selection)) {
    const ids = selection.flatMap((x) => idOf(x) ?? []);
    if (ids.includes(clicked)) return ids;
  }
  return [clicked];
}
