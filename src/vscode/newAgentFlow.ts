// The New Agent flow: a short QuickPick sequence (kind — what the registry can launch —, name, first prompt, where to
// run, budget).
// Returns undefined when the user cancels at any step.
import * as vscode from 'vscode';
import type { AgentKind } from '../shared/status';
import type { BudgetLimits } from '../shared/agent';
import { parseBudgetInput } from '../core/budgetInput';
import { worktreeNameProblem } from '../core/git/worktreeName';
import type { LaunchChoice } from './agentLauncher';

export interface NewAgentRequest {
  readonly kind: Exclude<AgentKind, 'remote'>;
  readonly name: string;
  readonly prompt?: string;
  readonly where: 'worktree' | 'workspace';
  readonly command?: string;
  readonly budget?: BudgetLimits;
}

const TITLE = 'New Agent';

export async function askNewAgent(
  choices: readonly LaunchChoice[],
  suggestedName: string,
  isNameTaken: (name: string) => boolean,
): Promise<NewAgentRequest | undefined> {
  const kinds = choices.map((c) => ({ label: c.label, description: c.kind, detail: c.detail, choice: c }));
  const kindPick = await vscode.window.showQuickPick(kinds, { title: `${TITLE} (1/5): agent`, placeHolder: 'Which agent?', ignoreFocusOut: true });
  if (!kindPick) return undefined;
  const choice = kindPick.choice;

  let command: string | undefined;
  if (choice.needsCommand) {
    command = await vscode.window.showInputBox({
      title: `${TITLE}: command`,
      prompt: 'The command line that starts the agent (run in the agent\'s folder)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a command'),
    });
    if (command === undefined) return undefined;
  }

  const name = await vscode.window.showInputBox({
    title: `${TITLE} (2/5): name`,
    value: suggestedName,
    prompt: 'Names the terminal, the branch flotilla/<name> and the worktree folder',
    ignoreFocusOut: true,
    validateInput: (v) => worktreeNameProblem(v.trim()) ?? (isNameTaken(v.trim()) ? `An agent named '${v.trim()}' exists already` : undefined),
  });
  if (name === undefined) return undefined;

  let prompt: string | undefined;
  if (!choice.needsCommand) {
    prompt = await vscode.window.showInputBox({
      title: `${TITLE} (3/5): first prompt (optional)`,
      prompt: 'What should the agent do? Leave empty to type it in the terminal.',
      ignoreFocusOut: true,
    });
    if (prompt === undefined) return undefined;
  }

  const wherePick = await vscode.window.showQuickPick(
    [
      { label: '$(git-branch) New git worktree', detail: `Branch flotilla/${name.trim()} from the current HEAD, in its own folder`, where: 'worktree' as const },
      { label: '$(folder) Workspace folder', detail: 'Runs in the workspace itself, next to your own changes', where: 'workspace' as const },
    ],
    { title: `${TITLE} (4/5): where`, ignoreFocusOut: true },
  );
  if (!wherePick) return undefined;

  const budgetText = await vscode.window.showInputBox({
    title: `${TITLE} (5/5): budget (optional)`,
    prompt: 'Limits, e.g. "$5", "30m", "200k tokens" or "$5, 30m". Leave empty for none.',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const parsed = parseBudgetInput(v);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (budgetText === undefined) return undefined;
  const budget = parseBudgetInput(budgetText);

  return {
    kind: choice.kind,
    name: name.trim(),
    prompt: prompt?.trim() || undefined,
    where: wherePick.where,
    command: command?.trim(),
    budget: budget.ok ? budget.limits : undefined,
  };
}
