// Open Diff for an agent on a runner: asks the runner what the agent changed in its worktree since its base commit
// (GET /v1/agents/<id>/changes) and opens the multi-diff editor over the read-only `flotilla-remote` file system.
import * as vscode from 'vscode';
import { fetchChanges } from '../adapters/remote/runnerAttachClient';
import type { RunnerEndpoint } from '../adapters/remote/runnerAttachClient';
import type { AgentSnapshot } from '../shared/agent';
import type { RunnerAgentRef } from './remoteAgentRef';
import { remoteFileUri, REMOTE_SCHEME } from './remoteFileSystem';
import type { RemoteFileSystemProvider } from './remoteFileSystem';

export interface RemoteDiffDeps {
  readonly endpoint: (connection: string) => Promise<RunnerEndpoint>;
  readonly files: RemoteFileSystemProvider;
  /** The scheme `files` is registered under (tests register their own). */
  readonly scheme?: string;
}

/** The title of the changes editor (tests find its tab by it). */
export function remoteDiffTitle(agent: Pick<AgentSnapshot, 'name'>, base: string): string {
  return `${agent.name}: changes since ${base.slice(0, 8)}`;
}

/** Opens the diff; returns how many files it shows (0: a message was shown instead). */
export async function openRemoteAgentDiff(agent: AgentSnapshot, ref: RunnerAgentRef, deps: RemoteDiffDeps): Promise<number> {
  const changes = await fetchChanges(await deps.endpoint(ref.connection), ref.agentId);
  if (changes.files.length === 0) {
    void vscode.window.showInformationMessage(`${agent.name} has not changed anything yet (compared with ${changes.base.slice(0, 8)}).`);
    return 0;
  }
  const scheme = deps.scheme ?? REMOTE_SCHEME;
  const uri = (side: 'base' | 'work', path: string) => remoteFileUri({ connection: ref.connection, agentId: ref.agentId, side, path }, scheme);
  const resources = changes.files.map((f) => {
    const work = uri('work', f.path);
    const original = f.status === 'added' ? undefined : uri('base', f.old_path ?? f.path);
    const modified = f.status === 'deleted' ? undefined : work;
    return [work, original, modified] as const;
  });
  // The worktree moves on while the agent works: editors already showing these files read them again.
  deps.files.changed(resources.flatMap(([, , modified]) => (modified ? [modified] : [])));
  if (changes.truncated) void vscode.window.showWarningMessage(`${agent.name} changed more files than the runner lists; the diff shows the first ${changes.files.length}.`);
  await vscode.commands.executeCommand('vscode.changes', remoteDiffTitle(agent, changes.base), resources);
  return changes.files.length;
}
