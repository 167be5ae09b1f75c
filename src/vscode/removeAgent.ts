// Remove Agent: one modal dialog (stop it, keep or delete its worktree, naming any uncommitted files that deleting
// would discard), then the git work, then the agent leaves the fleet and flotilla.startupAgents (or a reload would
// start it again). Nothing uncommitted is lost unless the chosen button said so.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { removeAgentWorktree } from '../core/git/worktrees';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';
import { Settings } from './ids';
import { inspectWorktree, removalDialog } from './removalPlan';
import type { RemovalChoice, WorktreeFacts } from './removalPlan';
import type { StartupAgent } from './settings';

export interface RemoveDeps {
  readonly fleet: Fleet;
  readonly log: Logger;
  /** Stops a live agent (the Stop command: records the decision, ends its process). */
  readonly stop: (agent: AgentSnapshot) => Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Returns whether the agent was removed. */
export async function removeAgent(deps: RemoveDeps, agent: AgentSnapshot): Promise<boolean> {
  const wt = agent.worktree;
  let facts: WorktreeFacts | undefined;
  if (wt) {
    try {
      facts = await inspectWorktree(wt);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not read ${agent.name}'s worktree: ${message(err)}. Nothing was removed.`);
      return false;
    }
  }
  const dialog = removalDialog(agent.name, !isEnded(agent.status), wt, facts);
  const startup = startupEntryTarget(agent.name);
  const detail = startup ? `${dialog.detail}\nIt is also taken out of flotilla.startupAgents.` : dialog.detail;
  const picked = await vscode.window.showWarningMessage(dialog.message, { modal: true, detail }, ...dialog.buttons.map((b) => b.label));
  const choice = dialog.buttons.find((b) => b.label === picked)?.choice;
  if (!choice) return false;

  const current = deps.fleet.get(agent.id);
  if (current && !isEnded(current.status)) await deps.stop(current);
  if (wt && choice !== 'keep' && !(await removeWorktree(deps, agent, choice))) return false;
  if (startup) await removeStartupEntry(agent.name, startup, deps.log);
  deps.fleet.remove(agent.id);
  deps.log.info(`removed agent ${agent.name}${wt ? ` (worktree ${choice === 'keep' ? 'kept' : 'deleted'})` : ''}`);
  return true;
}

/** Deletes the worktree as chosen, looking again first: a running agent may have written until it stopped. */
async function removeWorktree(deps: RemoveDeps, agent: AgentSnapshot, choice: Exclude<RemovalChoice, 'keep'>): Promise<boolean> {
  const wt = agent.worktree!;
  try {
    const now = await inspectWorktree(wt);
    if (choice === 'delete' && now.uncommitted.length > 0) {
      void vscode.window.showWarningMessage(
        `${agent.name} changed ${now.uncommitted.length} file(s) while it stopped; its worktree ${wt.path} was kept. Remove it again to decide.`,
      );
      return false;
    }
    // The branch goes only when merged (or empty): deleting the worktree never takes unmerged commits with it.
    const removed = await removeAgentWorktree({ repoRoot: wt.repoRoot, path: wt.path, branch: wt.branch, force: choice === 'discard' || !now.exists, deleteBranch: now.unmergedCommits === 0 });
    deps.log.info(`deleted the worktree of ${agent.name}${removed.branchDeleted ? ` and its branch ${wt.branch}` : ''}`);
    return true;
  } catch (err) {
    deps.log.error(`could not delete the worktree of ${agent.name}: ${message(err)}`);
    void vscode.window.showErrorMessage(`Could not delete ${agent.name}'s worktree: ${message(err)}. The agent was kept.`);
    return false;
  }
}

type Target = vscode.ConfigurationTarget;

/** Where the entry for `name` is configured (workspace folder, workspace, user), if anywhere. */
function startupEntryTarget(name: string): Target | undefined {
  const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<StartupAgent[]>(Settings.startupAgents);
  const has = (list: StartupAgent[] | undefined) => Array.isArray(list) && list.some((e) => e?.name === name);
  if (has(inspected?.workspaceFolderValue)) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (has(inspected?.workspaceValue)) return vscode.ConfigurationTarget.Workspace;
  if (has(inspected?.globalValue)) return vscode.ConfigurationTarget.Global;
  return undefined;
}

async function removeStartupEntry(name: string, target: Target, log: Logger): Promise<void> {
  const config = vscode.workspace.getConfiguration(Settings.section);
  const inspected = config.inspect<StartupAgent[]>(Settings.startupAgents);
  const list =
    target === vscode.ConfigurationTarget.WorkspaceFolder ? inspected?.workspaceFolderValue : target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  try {
    await config.update(Settings.startupAgents, (list ?? []).filter((e) => e?.name !== name), target);
    log.info(`took ${name} out of flotilla.startupAgents`);
  } catch (err) {
    // The startup list skips agents whose branch exists, so a stale entry costs a log line, not an error.
    log.warn(`could not take ${name} out of flotilla.startupAgents: ${message(err)}`);
  }
}
