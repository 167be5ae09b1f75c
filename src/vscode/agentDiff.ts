// Open Diff: the multi-diff editor of an agent's worktree against the commit it started from — committed,
// uncommitted and untracked changes alike. The base side is served by a read-only content provider.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changedFiles, readFileAtCommit } from '../core/git/changedFiles';
import type { AgentSnapshot } from '../shared/agent';

export const BASE_SCHEME = 'flotilla-base';

interface BaseQuery {
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
}

export class BaseContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = JSON.parse(uri.query) as BaseQuery;
    return (await readFileAtCommit(q.repo, q.commit, q.path)) ?? '';
  }
}

export function baseUri(repo: string, commit: string, relPath: string): vscode.Uri {
  const query: BaseQuery = { repo, commit, path: relPath };
  // The same path as the file itself: the multi-diff editor calls a pair whose paths differ a rename ("R").
  return vscode.Uri.from({ scheme: BASE_SCHEME, path: vscode.Uri.file(path.join(repo, relPath)).path, query: JSON.stringify(query) });
}

/** Opens the diff; returns how many files it shows (0: a message was shown instead). */
export async function openAgentDiff(agent: AgentSnapshot): Promise<number> {
  const worktree = agent.worktree;
  if (!worktree) {
    void vscode.window.showInformationMessage(`${agent.name} runs in the workspace, not in its own worktree: use the Source Control view to see its changes.`);
    return 0;
  }
  const files = await changedFiles(worktree.path, worktree.baseCommit);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`${agent.name} has not changed anything yet (compared with ${worktree.baseCommit.slice(0, 8)}).`);
    return 0;
  }
  const resources = files.map((f) => {
    const current = vscode.Uri.file(path.join(worktree.path, f.path));
    const original = f.status === 'added' ? undefined : baseUri(worktree.path, worktree.baseCommit, f.oldPath ?? f.path);
    const modified = f.status === 'deleted' ? undefined : current;
    return [current, original, modified] as const;
  });
  await vscode.commands.executeCommand('vscode.changes', `${agent.name}: changes since ${worktree.baseCommit.slice(0, 8)}`, resources);
  return files.length;
}
