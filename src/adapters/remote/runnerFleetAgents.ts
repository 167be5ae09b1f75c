// The fleet agent of each agent a runner lists: found again by its address (`flotilla-agent://<connection>/<id>`,
// kept as the agent's command) or registered as a new remote agent, so a reconnect or a reload keeps one row.
import type { Fleet } from '../../core/fleet/fleet';
import type { RunnerAgent } from '../../shared/protocol/runner';

const ENDED = new Set(['done', 'stopped', 'failed']);

export function runnerAgentAddress(connection: string, agentId: string): string {
  return `flotilla-agent://${connection}/${agentId}`;
}

/** The connection and the runner's agent id an address names (`flotilla-agent://<connection>/<id>`), if it is one. */
export function parseRunnerAddress(command: string | undefined): { readonly connection: string; readonly agentId: string } | undefined {
  const match = /^flotilla-agent:\/\/([^/]+)\/(.+)$/.exec(command ?? '');
  return match ? { connection: match[1]!, agentId: match[2]! } : undefined;
}

/** The runner agent behind a fleet row (a remote agent at a runner's address), or undefined for any other agent. */
export function runnerAgentOf(agent: { readonly kind: string; readonly command?: string | undefined }): { readonly connection: string; readonly agentId: string } | undefined {
  return agent.kind === 'remote' ? parseRunnerAddress(agent.command) : undefined;
}

/** The connection a runner agent's address names, if it is one. */
export function connectionOfAddress(command: string | undefined): string | undefined {
  return parseRunnerAddress(command)?.connection;
}

/** The fleet id for a runner's agent: the live one at its address, else (a new run) a new remote agent. */
export function runnerFleetAgent(fleet: Pick<Fleet, 'list' | 'create'>, connection: string, agent: RunnerAgent, host: string): string {
  const address = runnerAgentAddress(connection, agent.id);
  const known = fleet.list().filter((a) => a.kind === 'remote' && a.command === address);
  // An ended row is this run's when the runner's agent ended too (its last frames may still come); a running agent is a new run.
  const current = known.find((a) => !ENDED.has(a.status)) ?? (agent.running ? undefined : known.at(-1));
  if (current) return current.id;
  const { agent: created } = fleet.create({
    name: `${agent.name} (${host})`.slice(0, 128),
    kind: 'remote',
    ...(agent.group === undefined ? {} : { group: agent.group }),
    cwd: agent.cwd,
    command: address,
    ...(agent.budget === undefined ? {} : { budget: agent.budget }),
  });
  return created.id;
}
