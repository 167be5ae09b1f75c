// The commands for agents that run on a runner (`flotilla-agent serve`): Attach (a terminal on the agent's pty) and
// Open Diff (the multi-diff editor of its worktree on the runner), and the read-only `flotilla-remote` file system
// the diff reads from. Local agents keep Show Terminal and the local Open Diff (src/vscode/agentDiff.ts).
import * as vscode from 'vscode';
import { openPtySocket } from '../adapters/remote/runnerAttachClient';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AgentSnapshot } from '../shared/agent';
import { agentIdsFromArgs, pickItems } from './agentPickerModel';
import { RemoteAgentCommands } from './ids';
import { RemotePseudoterminal } from './remoteAttach';
import { runnerAgentRef, runnerEndpoint } from './remoteAgentRef';
import { openRemoteAgentDiff } from './remoteDiff';
import { REMOTE_SCHEME, RemoteFileSystemProvider } from './remoteFileSystem';

export interface RemoteAgentUiDeps {
  readonly fleet: Pick<Fleet, 'get' | 'list'>;
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The runner agent a command acts on: the tree row it was run from, an id, else one picked among runner agents. */
async function runnerAgentFor(fleet: RemoteAgentUiDeps['fleet'], args: readonly unknown[], verb: string): Promise<AgentSnapshot | undefined> {
  const ids = agentIdsFromArgs(args[0], args[1]);
  if (ids) return ids.flatMap((id) => fleet.get(id) ?? []).find((a) => runnerAgentRef(a) !== undefined);
  const items = pickItems(
    fleet.list().filter((a) => runnerAgentRef(a) !== undefined),
    'any',
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`No agent on a remote runner to ${verb}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `Which remote agent to ${verb}?`, matchOnDescription: true, matchOnDetail: true });
  return picked ? fleet.get(picked.agentId) : undefined;
}

export function registerRemoteAgentUi(deps: RemoteAgentUiDeps): vscode.Disposable {
  const endpoint = (connection: string) => runnerEndpoint(deps.secrets, connection);
  const files = new RemoteFileSystemProvider(endpoint);
  return vscode.Disposable.from(
    files,
    vscode.workspace.registerFileSystemProvider(REMOTE_SCHEME, files, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(RemoteAgentCommands.attachAgent, async (...args: unknown[]) => {
      const agent = await runnerAgentFor(deps.fleet, args, 'attach to');
      const ref = agent && runnerAgentRef(agent);
      if (!agent || !ref) return undefined;
      const pty = new RemotePseudoterminal(async () => openPtySocket(await endpoint(ref.connection), ref.agentId), agent.name);
      const terminal = vscode.window.createTerminal({ name: `${agent.name} (attached)`, pty, iconPath: new vscode.ThemeIcon('remote') });
      terminal.show();
      deps.log.info(`attached a terminal to ${agent.name} on ${ref.connection}`);
      return terminal;
    }),
    vscode.commands.registerCommand(RemoteAgentCommands.openRemoteDiff, async (...args: unknown[]) => {
      const agent = await runnerAgentFor(deps.fleet, args, 'open the diff of');
      const ref = agent && runnerAgentRef(agent);
      if (!agent || !ref) return 0;
      try {
        return await openRemoteAgentDiff(agent, ref, { endpoint, files });
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not open the diff of ${agent.name}: ${message(err)}`);
        return 0;
      }
    }),
  );
}
