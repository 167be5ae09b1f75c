// Starts the agents listed in flotilla.startupAgents that this workspace does not have yet (the demo fleet).
// An entry whose branch or worktree is left from an earlier agent (removed, worktree kept) is skipped with a log
// line: that is the user's work waiting for review, not an error to show on every reload. The last agent started
// has its terminal shown, so the window opens with one agent at work in sight.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { BranchExistsError, WorktreePathExistsError } from '../core/git/gitErrors';
import { parseBudgetInput } from '../core/budgetInput';
import type { AgentLauncher } from './agentLauncher';
import { readSettings } from './settings';
import { Commands } from './ids';

export async function launchStartupAgents(launcher: AgentLauncher, fleet: Fleet, workspaceDir: string, log: Logger): Promise<void> {
  const kinds = new Set(launcher.launchChoices().map((c) => c.kind));
  let last: string | undefined;
  for (const spec of readSettings().startupAgents) {
    if (!spec || typeof spec.name !== 'string' || !spec.name.trim()) {
      log.warn(`flotilla.startupAgents: an entry without a name is skipped: ${JSON.stringify(spec)}`);
      continue;
    }
    if (fleet.isNameTaken(spec.name)) continue;
    const kind = spec.kind ?? 'claude-code';
    if (!kinds.has(kind)) {
      log.warn(`flotilla.startupAgents: ${spec.name} has kind '${kind}', which cannot be started here; skipped`);
      continue;
    }
    const budget = parseBudgetInput(typeof spec.budget === 'string' ? spec.budget : '');
    if (!budget.ok) {
      log.warn(`flotilla.startupAgents: ${spec.name}'s budget: ${budget.message}; skipped`);
      continue;
    }
    try {
      last = (await launcher.launch({ kind, name: spec.name, prompt: spec.prompt, where: spec.where ?? 'worktree', budget: budget.limits }, workspaceDir)).id;
    } catch (err) {
      if (err instanceof BranchExistsError || err instanceof WorktreePathExistsError) {
        log.info(`flotilla.startupAgents: ${spec.name} skipped: ${err.message} (left from an earlier ${spec.name}; delete it or rename the entry)`);
        continue;
      }
      const message = err instanceof Error ? err.message : String(err);
      log.error(`could not start ${spec.name} from flotilla.startupAgents: ${message}`);
      void vscode.window.showErrorMessage(`Flotilla could not start ${spec.name}: ${message}`);
    }
  }
  if (last) await vscode.commands.executeCommand(Commands.focusTerminal, last).then(undefined, (err: unknown) => log.warn(`could not show the terminal of the last startup agent: ${String(err)}`));
}
