// The New Agent flow: a QuickInput sequence with Back on every step — which machine (only when a remote connection is
// connected: this machine or a runner), kind (what the registry can launch; on a runner Claude Code or a command),
// name, where to run, budget, and last the first prompt, typed in the box, picked from the recent prompts, or written
// in an editor (multi-line) that starts the agent when the user runs "Start Agent with This Prompt".
// Returns undefined when the user cancels at any step.
import * as vscode from 'vscode';
import type { AgentKind } from '../shared/status';
import type { BudgetLimits } from '../shared/agent';
import { parseBudgetInput } from '../core/budgetInput';
import { worktreeNameProblem } from '../core/git/worktreeName';
import type { LaunchChoice } from './agentLauncher';
import { promptSummary } from './promptHistory';
import { BACK, inputStep, pickStep } from './quickSteps';
import type { StepFrame, StepResult } from './quickSteps';

export interface NewAgentRequest {
  readonly kind: Exclude<AgentKind, 'remote'>;
  readonly name: string;
  readonly prompt?: string;
  readonly where: 'worktree' | 'workspace';
  readonly command?: string;
  readonly budget?: BudgetLimits;
  readonly group?: string;
  /** The agent this one restarts: its own credentials (Set Credentials… for one agent) carry over. */
  readonly restartOf?: string;
  /** A remote connection whose runner starts it; undefined: this machine. */
  readonly host?: string;
}

export interface NewAgentFlowDeps {
  readonly choices: readonly LaunchChoice[];
  readonly suggestedName: string;
  readonly isNameTaken: (name: string) => boolean;
  /** The recent first prompts, newest first. */
  readonly recentPrompts: readonly string[];
  /** Opens an editor for the prompt (seeded with `seed`); resolves with the text to start with, or undefined. */
  readonly writePrompt: (agentName: string, seed: string) => Promise<string | undefined>;
  /** The remote connections that are connected now: New Agent can start on their runners. */
  readonly hosts?: readonly string[];
}

/** The kinds a runner starts (docs/protocol.md, "Starting an agent from Flotilla"). */
const RUNNER_KINDS: ReadonlySet<string> = new Set(['claude-code', 'custom']);

const TITLE = 'New Agent';

interface Draft {
  /** undefined: this machine. */
  host?: string;
  choice?: LaunchChoice;
  command: string;
  name: string;
  where?: 'worktree' | 'workspace';
  budgetText: string;
  promptText: string;
}

type PromptAnswer = { prompt: string | undefined } | { editor: string };
type PromptItem = vscode.QuickPickItem & { action: 'start' | 'editor' | 'recent'; text?: string };

const EDIT_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Edit in an editor before starting' };

interface Step {
  readonly applies: (d: Draft) => boolean;
  /** Asks, updates the draft; BACK or undefined as the step answered. */
  readonly ask: (d: Draft, f: StepFrame) => Promise<StepResult<true>>;
}

export async function askNewAgent(deps: NewAgentFlowDeps): Promise<NewAgentRequest | undefined> {
  const draft: Draft = { command: '', name: deps.suggestedName, budgetText: '', promptText: '' };
  let promptAnswer: PromptAnswer | undefined;
  const hosts = deps.hosts ?? [];
  const steps: Step[] = [
    { applies: () => hosts.length > 0, ask: (d, f) => askMachine(hosts, d, f) },
    { applies: () => true, ask: (d, f) => askKind(deps, d, f) },
    { applies: (d) => d.choice?.needsCommand === true, ask: askCommand },
    { applies: () => true, ask: (d, f) => askName(deps, d, f) },
    { applies: () => true, ask: askWhere },
    { applies: () => true, ask: askBudget },
    {
      applies: (d) => d.choice?.needsCommand !== true,
      ask: async (d, f) => {
        const r = await askPrompt(deps, d, f);
        if (r === BACK || r === undefined) return r;
        promptAnswer = r;
        return true;
      },
    },
  ];
  let i = 0;
  while (i < steps.length) {
    const applicable = steps.filter((s) => s.applies(draft));
    const step = steps[i]!;
    if (!step.applies(draft)) {
      i++;
      continue;
    }
    const r = await step.ask(draft, { title: TITLE, step: applicable.indexOf(step) + 1, total: applicable.length });
    if (r === undefined) return undefined;
    if (r === BACK) {
      // The nearest earlier step that applies.
      do i--;
      while (i > 0 && !steps[i]!.applies(draft));
      i = Math.max(0, i);
      continue;
    }
    i++;
  }

  const choice = draft.choice!;
  let prompt: string | undefined;
  if (promptAnswer && 'editor' in promptAnswer) {
    prompt = await deps.writePrompt(draft.name.trim(), promptAnswer.editor);
    if (prompt === undefined) return undefined;
  } else prompt = promptAnswer?.prompt;
  const budget = parseBudgetInput(draft.budgetText);
  return {
    kind: choice.kind,
    name: draft.name.trim(),
    prompt: prompt?.trim() || undefined,
    where: draft.where!,
    command: choice.needsCommand ? draft.command.trim() : undefined,
    budget: budget.ok ? budget.limits : undefined,
    ...(draft.host === undefined ? {} : { host: draft.host }),
  };
}

async function askMachine(hosts: readonly string[], d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const items = [
    { label: '$(device-desktop) This machine', detail: "In this window's workspace", host: undefined as string | undefined },
    ...hosts.map((host) => ({ label: `$(remote) ${host} (connected)`, detail: `On the runner of ${host}, started by its flotilla-agent serve`, host })),
  ];
  const r = await pickStep(f, { label: 'where it runs', items, placeholder: 'Which machine?', active: (i) => i.host === d.host });
  if (r === BACK || r === undefined || !r.item) return r === BACK ? BACK : undefined;
  if (d.host !== r.item.host && d.choice && r.item.host !== undefined && !RUNNER_KINDS.has(d.choice.kind)) d.choice = undefined;
  d.host = r.item.host;
  return true;
}

async function askKind(deps: NewAgentFlowDeps, d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const choices = d.host === undefined ? deps.choices : deps.choices.filter((c) => RUNNER_KINDS.has(c.kind));
  const items = choices.map((c) => ({ label: c.label, description: c.kind, detail: c.detail, choice: c }));
  const r = await pickStep(f, { label: 'agent', items, placeholder: 'Which agent?', active: (i) => i.choice === d.choice });
  if (r === BACK || r === undefined || !r.item) return r === BACK ? BACK : undefined;
  d.choice = r.item.choice;
  return true;
}

async function askCommand(d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const r = await inputStep(f, {
    label: 'command',
    value: d.command,
    prompt: d.host === undefined ? "The command line that starts the agent (run in the agent's folder)" : `The command line that starts the agent on ${d.host} (run in the agent's folder there)`,
    validate: (v) => (v.trim() ? undefined : 'Enter a command'),
  });
  if (typeof r !== 'string') return r;
  d.command = r;
  return true;
}

async function askName(deps: NewAgentFlowDeps, d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const r = await inputStep(f, {
    label: 'name',
    value: d.name,
    prompt: 'Names the terminal, the branch flotilla/<name> and the worktree folder',
    // On a runner the runner says whether the name is in use there.
    validate: (v) => worktreeNameProblem(v.trim()) ?? (d.host === undefined && deps.isNameTaken(v.trim()) ? `An agent named '${v.trim()}' exists already` : undefined),
  });
  if (typeof r !== 'string') return r;
  d.name = r.trim();
  return true;
}

async function askWhere(d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const items =
    d.host === undefined
      ? [
          { label: '$(git-branch) New git worktree', detail: `Branch flotilla/${d.name} from the current HEAD, in its own folder`, where: 'worktree' as const },
          { label: '$(folder) Workspace folder', detail: 'Runs in the workspace itself, next to your own changes', where: 'workspace' as const },
        ]
      : [
          { label: '$(git-branch) New git worktree', detail: `On ${d.host}: branch flotilla/${d.name} of the folder flotilla-agent serve runs in`, where: 'worktree' as const },
          { label: "$(folder) Runner's folder", detail: `On ${d.host}: the folder flotilla-agent serve runs in`, where: 'workspace' as const },
        ];
  const r = await pickStep(f, { label: 'where', items, active: (i) => i.where === d.where });
  if (r === BACK || r === undefined || !r.item) return r === BACK ? BACK : undefined;
  d.where = r.item.where;
  return true;
}

async function askBudget(d: Draft, f: StepFrame): Promise<StepResult<true>> {
  const r = await inputStep(f, {
    label: 'budget (optional)',
    value: d.budgetText,
    prompt: 'Limits, e.g. "$5", "30m", "200k tokens" or "$5, 30m". Leave empty for none.',
    validate: (v) => {
      const parsed = parseBudgetInput(v);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (typeof r !== 'string') return r;
  d.budgetText = r;
  return true;
}

/**
 * The prompt step: Enter starts with exactly what is typed (nothing typed: no prompt). The items' labels are icons
 * only, so typed text never matches one: the list never reorders while typing and Enter cannot pick a recent prompt
 * or the editor by accident (the extension hears the typed text after the workbench filters it).
 */
async function askPrompt(deps: NewAgentFlowDeps, d: Draft, f: StepFrame): Promise<StepResult<PromptAnswer>> {
  // The items never change while typing (a change would move the highlight back to the first item).
  const start: PromptItem = { label: '$(play)', description: "Start with the prompt typed above (none typed: give it in the agent's terminal)", alwaysShow: true, action: 'start' };
  const editor: PromptItem = { label: '$(edit)', description: 'Write in an Editor… (multi-line; starts when you run Start Agent with This Prompt)', alwaysShow: true, action: 'editor' };
  const recent: PromptItem[] = deps.recentPrompts.map((text) => {
    const s = promptSummary(text);
    return { label: '$(history)', description: s.line, detail: s.more ? `+${s.more} more line${s.more === 1 ? '' : 's'}` : undefined, alwaysShow: true, action: 'recent', text, buttons: [EDIT_BUTTON] };
  });
  const items: PromptItem[] = [start, editor, ...(recent.length ? [{ label: 'recent prompts', kind: vscode.QuickPickItemKind.Separator, action: 'recent' } as PromptItem, ...recent] : [])];
  const r = await pickStep(f, {
    label: 'first prompt',
    items,
    value: d.promptText,
    placeholder: 'Type the first prompt and press Enter, or pick below',
    acceptValue: true,
    onValue: (v) => (d.promptText = v),
    onItemButton: (item) => (item.action === 'recent' ? { item: { ...item, action: 'editor' as const }, value: item.text ?? '' } : undefined),
  });
  if (r === BACK || r === undefined) return r;
  const typed = r.value;
  d.promptText = typed;
  switch (r.item?.action) {
    case 'editor':
      return { editor: r.item.text ?? typed };
    case 'recent':
      return { prompt: r.item.text };
    default:
      return { prompt: typed.trim() || undefined };
  }
}
