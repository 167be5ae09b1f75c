// Clean Up: the stopped agents' worktrees and branches in one list, each saying what git holds there now (merged or
// empty, uncommitted files, commits not merged), the user picks; each pick goes through Remove Agent's own modal,
// which names what would be lost and never discards uncommitted or unmerged work without a choice that says so.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';
import { inspectWorktree } from './removalPlan';
import type { WorktreeFacts } from './removalPlan';
import { Commands } from './ids';

/** "merged, clean" / "3 uncommitted files · 2 commits not merged" / "worktree gone". */
export function worktreeState(f: WorktreeFacts | undefined): string {
  if (!f) return 'could not read it';
  const parts: string[] = [];
  if (!f.exists) parts.push('worktree gone');
  else if (f.uncommitted.length > 0) parts.push(`$(warning) ${f.uncommitted.length} uncommitted file${f.uncommitted.length === 1 ? '' : 's'}`);
  if (f.unmergedCommits === undefined) parts.push('branch gone');
  else if (f.unmergedCommits > 0) parts.push(`$(warning) ${f.unmergedCommits} commit${f.unmergedCommits === 1 ? '' : 's'} not merged`);
  else parts.push('branch merged or empty');
  if (f.exists && f.uncommitted.length === 0) parts.push('clean');
  return parts.join(' · ');
}

/** Returns how many agents were removed. */
export async function cleanUp(fleet: Fleet, log: Logger): Promise<number> {
  const ended = fleet.list().filter((a): a is AgentSnapshot & { worktree: NonNullable<AgentSnapshot['worktree']> } => isEnded(a.status) && a.worktree !== undefined);
  if (ended.length === 0) {
    void vscode.window.showInformationMessage('No stopped agent has a worktree to clean up.');
    return 0;
  }
  const facts = await Promise.all(
    ended.map((a) =>
      inspectWorktree(a.worktree).catch((err: unknown) => {
        log.warn(`Clean Up: could not read ${a.name}'s worktree: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }),
    ),
  );
  const items = ended.map((agent, i) => ({ label: agent.name, description: worktreeState(facts[i]), detail: `${agent.worktree.path} (branch ${agent.worktree.branch})`, agent }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Clean Up', placeHolder: 'Stopped agents whose worktree and branch to remove (each asks before anything is lost)' });
  let removed = 0;
  for (const item of picked ?? []) {
    if (await vscode.commands.executeCommand<boolean>(Commands.removeAgent, item.agent.id)) removed++;
  }
  return removed;
}
