// New Agent on a remote host: the flow's answers become a runner `start` (docs/protocol.md, "Starting an agent from
// Flotilla") sent over that connection's index socket; the runner's refusal (name in use, command not installed, no
// git repository, not connected) is shown as an error. The agent's row appears under the host node once it runs.
import * as vscode from 'vscode';
import type { RunnerStartAsk } from '../adapters/remote/runnerConnection';
import type { Logger } from '../core/log';
import type { RunnerStartResult } from '../shared/protocol/runner';
import type { NewAgentRequest } from './newAgentFlow';
import { startAskOf } from './remoteStartAsk';

/** The remote connections New Agent can start on (RemoteConnections). */
export interface RemoteHosts {
  /** The names of the connections that are connected now. */
  connectedNames(): string[];
  start(name: string, ask: RunnerStartAsk): Promise<RunnerStartResult>;
}

/** Asks the host's runner to start the agent; shows why when it does not. Resolves with whether it started. */
export async function startOnRunner(hosts: RemoteHosts, request: NewAgentRequest & { host: string }, log: Logger): Promise<boolean> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Starting ${request.name} on ${request.host}…` },
    () => hosts.start(request.host, startAskOf(request)),
  );
  if (result.ok) {
    log.info(`New Agent: ${request.host} started ${result.name} (pid ${result.pid ?? '?'}, ${result.mode}) in ${result.cwd}`);
    return true;
  }
  log.warn(`New Agent: ${request.host} did not start ${request.name}: ${result.error}`);
  void vscode.window.showErrorMessage(`Could not start ${request.name} on ${request.host}: ${result.error}`);
  return false;
}
