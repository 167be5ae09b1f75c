// New Agent from Template…: pick a template of `flotilla.agentTemplates`, confirm how many (Back returns to the
// templates), and start that many agents at once, each in its own worktree ("3 × reviewer on this branch").
// Entries the setting gets wrong are named with their field (a warning and the log), the rest stay usable.
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { AgentLauncher } from './agentLauncher';
import { MAX_TEMPLATE_COUNT, parseTemplates, templateBudget, templateDescription, templateNames, TEMPLATES_SETTING } from './agentTemplates';
import type { AgentTemplate } from './agentTemplates';
import { promptSummary } from './promptHistory';
import { BACK, inputStep, pickStep } from './quickSteps';

export interface TemplateLaunchDeps {
  readonly launcher: AgentLauncher;
  readonly isNameTaken: (name: string) => boolean;
  readonly workspaceDir: string | undefined;
  readonly log: Logger;
}

const TITLE = 'New Agent from Template';

/** Reads the setting; problems are logged and shown once per distinct text. */
let lastProblems = '';
export function readTemplates(log: Logger): AgentTemplate[] {
  const { templates, problems } = parseTemplates(vscode.workspace.getConfiguration().get<unknown>(TEMPLATES_SETTING));
  const text = problems.join('\n');
  if (text && text !== lastProblems) {
    for (const p of problems) log.warn(p);
    void vscode.window.showWarningMessage(`${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more in the log)` : ''}; the other templates can be used.`);
  }
  lastProblems = text;
  return templates;
}

/** The command: returns the names of the agents started. */
export async function newAgentFromTemplate(deps: TemplateLaunchDeps): Promise<string[]> {
  if (!deps.workspaceDir) {
    void vscode.window.showErrorMessage('Open a folder first: Flotilla runs agents in a workspace (or a git worktree of it).');
    return [];
  }
  const kinds = new Map(deps.launcher.launchChoices().map((c) => [c.kind as string, c.label]));
  const templates = readTemplates(deps.log);
  if (templates.length === 0) {
    const open = 'Open Settings';
    const choice = await vscode.window.showInformationMessage(`No agent templates yet: add one to ${TEMPLATES_SETTING} (a name pattern like "reviewer-{n}", a prompt, a count…).`, open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: TEMPLATES_SETTING, edit: true } });
    return [];
  }

  let template: AgentTemplate | undefined;
  let count: number | undefined;
  for (;;) {
    const items = templates.map((t) => ({
      label: t.label ?? t.name,
      description: templateDescription(t, kinds.get(t.kind) ?? t.kind),
      detail: t.prompt ? promptSummary(t.prompt).line : 'no first prompt',
      template: t,
    }));
    const picked = await pickStep({ title: TITLE, step: 1, total: 2 }, { label: 'template', items, placeholder: 'Which template?', active: (i) => i.template === template });
    if (picked === undefined || picked === BACK || !picked.item) return [];
    template = picked.item.template;
    const t = template;
    const answer = await inputStep(
      { title: TITLE, step: 2, total: 2 },
      {
        label: 'how many',
        value: String(count ?? t.count),
        prompt: `Each in its own worktree and branch: ${templateNames(t.name, t.count, deps.isNameTaken).join(', ')}…`,
        validate: (v) => {
          const n = Number(v.trim());
          return Number.isInteger(n) && n >= 1 && n <= MAX_TEMPLATE_COUNT ? undefined : `Enter a whole number from 1 to ${MAX_TEMPLATE_COUNT}`;
        },
      },
    );
    if (answer === undefined) return [];
    if (answer === BACK) continue;
    count = Number(answer.trim());
    break;
  }
  if (!kinds.has(template.kind)) {
    void vscode.window.showErrorMessage(`${template.label ?? template.name}: ${template.kind} agents cannot be started here.`);
    return [];
  }
  return launchTemplate(deps, template, count);
}

/** Starts the agents one after another (each makes its worktree); a failure is reported and the rest go on. */
export async function launchTemplate(deps: TemplateLaunchDeps, t: AgentTemplate, count: number): Promise<string[]> {
  const names = templateNames(t.name, count, deps.isNameTaken);
  const started: string[] = [];
  const failed: string[] = [];
  for (const name of names) {
    try {
      await deps.launcher.launch({ kind: t.kind, name, prompt: t.prompt?.trim() || undefined, where: 'worktree', budget: templateBudget(t), group: t.group }, deps.workspaceDir!);
      started.push(name);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log.error(`New Agent from Template: could not start ${name}: ${message}`);
      failed.push(`${name}: ${message}`);
    }
  }
  if (failed.length) void vscode.window.showErrorMessage(`Could not start ${failed.join('; ')}${started.length ? `. Started ${started.join(', ')}.` : ''}`);
  else void vscode.window.showInformationMessage(`Started ${started.join(', ')}${t.group ? ` (group ${t.group})` : ''}, each in its own worktree.`);
  return started;
}
