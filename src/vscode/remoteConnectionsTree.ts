// The host node of each remote connection in the Agents tree (vscode-free, tested in Node): its words (connected to
// which host with how many agents, reconnecting with the next attempt's countdown and why, authentication failed),
// its icon, and which agents sit under it (those whose address names the connection).
import { connectionOfAddress } from '../adapters/remote/runnerFleetAgents';
import type { RunnerConnectionState } from '../adapters/remote/runnerConnection';
import type { AgentSnapshot } from '../shared/agent';

export interface RemoteHostNode {
  readonly type: 'host';
  readonly id: string;
  readonly name: string;
}

export interface RemoteHostSource {
  states(): { name: string; state: RunnerConnectionState }[];
}

export const isHostNode = (node: unknown): node is RemoteHostNode => typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'host';

/** Host rows are rebuilt on each refresh; the id keeps their expansion state. */
export function hostNode(name: string): RemoteHostNode {
  return { type: 'host', id: `host:${name}`, name };
}

/** The connection whose host node an agent sits under, when that connection is configured. */
export function hostOf(agent: AgentSnapshot, hosts: ReadonlySet<string>): string | undefined {
  if (agent.kind !== 'remote') return undefined;
  const name = connectionOfAddress(agent.command);
  return name !== undefined && hosts.has(name) ? name : undefined;
}

export function hostDescription(state: RunnerConnectionState, agents: number, now: number): string {
  const count = `${agents} agent${agents === 1 ? '' : 's'}`;
  switch (state.phase) {
    case 'connecting':
      return `connecting… · ${count}`;
    case 'connected':
      return `connected to ${state.host} · ${count}`;
    case 'reconnecting':
      return `reconnecting, next attempt in ${Math.max(0, Math.ceil((state.nextAttemptAt - now) / 1000))} s (${state.reason}) · ${count}`;
    case 'unauthorized':
      return `authentication failed (check its token), next attempt in ${Math.max(0, Math.ceil((state.nextAttemptAt - now) / 1000))} s · ${count}`;
    case 'closed':
      return `closed · ${count}`;
  }
}

/** A codicon id and, for the states that need the user, a theme colour id. */
export function hostIcon(state: RunnerConnectionState): { icon: string; color?: string } {
  switch (state.phase) {
    case 'connected':
      return { icon: 'remote' };
    case 'connecting':
      return { icon: 'loading~spin' };
    case 'reconnecting':
      return { icon: 'debug-disconnect', color: 'notificationsWarningIcon.foreground' };
    case 'unauthorized':
      return { icon: 'lock', color: 'notificationsErrorIcon.foreground' };
    case 'closed':
      return { icon: 'circle-slash' };
  }
}
