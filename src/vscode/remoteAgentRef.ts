// Which runner agent a fleet row is (its address `flotilla-agent://<connection>/<id>`, see runnerFleetAgents.ts) and
// how to reach that runner: the connection's URL from the `flotilla.remote.connections` setting and its token from
// SecretStorage, read when needed (never kept, never logged).
import * as vscode from 'vscode';
import type { RunnerEndpoint } from '../adapters/remote/runnerAttachClient';
import { runnerAgentOf } from '../adapters/remote/runnerFleetAgents';
import type { AgentSnapshot } from '../shared/agent';
import { Settings } from './ids';
import { connectionSecretKey, readConnections } from './remoteConnections';

export interface RunnerAgentRef {
  /** The connection's name in the settings. */
  readonly connection: string;
  /** The runner's own id of the agent. */
  readonly agentId: string;
}

/** The runner agent behind a fleet row, or undefined for any other agent (local, or dialled in). */
export function runnerAgentRef(agent: Pick<AgentSnapshot, 'kind' | 'command'>): RunnerAgentRef | undefined {
  return runnerAgentOf(agent);
}

/** The runner's URL and token for a connection name; an Error saying what is missing otherwise. */
export async function runnerEndpoint(secrets: vscode.SecretStorage, connection: string): Promise<RunnerEndpoint> {
  const settings = readConnections(vscode.workspace.getConfiguration(Settings.section).get<unknown>(Settings.remoteConnections, []), () => undefined);
  const setting = settings.find((c) => c.name === connection);
  if (!setting) throw new Error(`the connection '${connection}' is no longer in the flotilla.remote.connections setting`);
  const token = await secrets.get(connectionSecretKey(setting));
  if (!token) throw new Error(`no token is stored for the connection '${connection}' (run "Flotilla: Add Remote Connection…")`);
  return { url: setting.url, token };
}
