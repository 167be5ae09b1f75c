// What Remove Agent may do to an agent's worktree and branch, decided from what git says right now: the choices of
// the one Remove dialog, each naming what it would lose. Uncommitted work is only ever discarded by a choice that
// says so; a branch is deleted only when it is merged (or empty). vscode-free: tested with real repositories.
import { GitCommandError, WorktreeMissingError } from '../core/git/gitErrors';
import { gitText } from '../core/git/gitExec';
import { branchExists } from '../core/git/repo';
import { worktreeStatus } from '../core/git/worktreeStatus';
import type { WorktreeInfo } from '../shared/agent';

export interface WorktreeFacts {
  readonly exists: boolean;
  readonly uncommitted: readonly string[];
  /** Commits on the agent's branch that the repository's HEAD does not have; undefined when the branch is gone. */
  readonly unmergedCommits: number | undefined;
}

export async function inspectWorktree(wt: WorktreeInfo): Promise<WorktreeFacts> {
  let exists = true;
  let uncommitted: string[] = [];
  try {
    const status = await worktreeStatus(wt.path, { baseCommit: wt.baseCommit });
    uncommitted = [...status.uncommittedFiles, ...status.untrackedFiles];
  } catch (err) {
    if (!(err instanceof WorktreeMissingError)) throw err;
    exists = false;
  }
  let unmergedCommits: number | undefined;
  if (await branchExists(wt.repoRoot, wt.branch)) {
    try {
      unmergedCommits = Number(await gitText(wt.repoRoot, ['rev-list', '--count', `HEAD..refs/heads/${wt.branch}`]));
    } catch (err) {
      if (!(err instanceof GitCommandError)) throw err;
    }
  }
  return { exists, uncommitted, unmergedCommits };
}

export type RemovalChoice = 'keep' | 'delete' | 'discard';

export interface RemovalDialog {
  readonly message: string;
  readonly detail: string;
  /** Button labels in order, each with what it does. */
  readonly buttons: readonly { readonly label: string; readonly choice: RemovalChoice }[];
}

const list = (files: readonly string[]): string => `${files.slice(0, 8).join(', ')}${files.length > 8 ? `, … (${files.length - 8} more)` : ''}`;

/** The dialog for removing `name`; `live`: it is still running and will be stopped first. */
export function removalDialog(name: string, live: boolean, wt: WorktreeInfo | undefined, facts: WorktreeFacts | undefined): RemovalDialog {
  const lines: string[] = [];
  if (live) lines.push(`${name} is still running: it will be stopped.`);
  if (!wt || !facts || !facts.exists) {
    if (wt) lines.push(`Its worktree ${wt.path} is gone already.`);
    return { message: `Remove ${name}?`, detail: lines.join('\n'), buttons: [{ label: live ? 'Stop and Remove' : 'Remove', choice: wt ? 'delete' : 'keep' }] };
  }
  lines.push(`Worktree: ${wt.path} (branch ${wt.branch}).`);
  if (facts.uncommitted.length > 0) lines.push(`${facts.uncommitted.length} file(s) are not committed: ${list(facts.uncommitted)}.`);
  else lines.push('Nothing is left uncommitted.');
  const branchGoes = facts.unmergedCommits === 0;
  if (facts.unmergedCommits === undefined) lines.push('Its branch is gone already.');
  else if (branchGoes) lines.push('Its branch is merged (or has no commits of its own): deleting the worktree deletes the branch too.');
  else lines.push(`Its branch has ${facts.unmergedCommits} commit(s) not merged into your HEAD: the branch is kept either way.`);
  const buttons: RemovalDialog['buttons'][number][] = [{ label: 'Remove, Keep Worktree', choice: 'keep' }];
  if (facts.uncommitted.length === 0) buttons.push({ label: 'Remove and Delete Worktree', choice: 'delete' });
  else buttons.push({ label: `Delete Worktree and Discard ${facts.uncommitted.length} Uncommitted File(s)`, choice: 'discard' });
  return { message: `Remove ${name}?`, detail: lines.join('\n'), buttons };
}
