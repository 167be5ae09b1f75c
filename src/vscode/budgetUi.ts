// Budgets in the window: the group/fleet budgets from settings (re-read on change, errors shown with the setting),
// notifications at 70 % (information), 90 % (warning) — each with Show Costs — and 100 % (Raise Budget… with +50 %,
// ×2 or a custom amount, Stop Agent or Stop N Agents for a group/fleet, Show Costs; stops audited), and the
// Set Budget… command (agent row menu, palette with a scope pick and an agent picker).
import * as vscode from 'vscode';
import { Disposable as VsDisposable } from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AuditInput } from '../core/store/auditLog';
import type { AgentSnapshot, BudgetLimits } from '../shared/agent';
import { BudgetWatch } from '../core/budget/budgetWatch';
import type { BudgetAlert } from '../core/budget/budgetWatch';
import { readBudgetSettings } from './budgetSettingsRead';
import type { ScopeBudgets } from '../core/budget/budgetSettings';
import { changeBudget, currentBudget } from '../core/budget/budgetChange';
import type { BudgetTarget } from '../core/budget/budgetChange';
import { budgetText, resumeMessage } from '../core/budget/budgetText';
import type { BudgetRelease } from '../core/budget/budgetWatch';
import { parseBudgetInput } from '../core/budgetInput';
import type { Clock } from '../core/clock';
import { agentsFor } from './agentPicker';
import { AgentCommands, BudgetCommands, Commands, CostsCommands, Settings } from './ids';
import { raiseChoices } from './budgetRaise';
import { isEnded } from '../core/statusMachine';

export interface BudgetUiDeps {
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly log: Logger;
  readonly appendAudit: (entry: AuditInput) => void;
}

const RAISE = 'Raise Budget…';
const STOP = 'Stop Agent';
const SHOW_COSTS = 'Show Costs';

export class BudgetUi implements vscode.Disposable {
  readonly watch: BudgetWatch;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly shownErrors = new Set<string>();

  constructor(private readonly d: BudgetUiDeps) {
    this.watch = new BudgetWatch({ fleet: d.fleet, clock: d.clock, log: d.log, budgets: this.readSettings() });
    this.disposables.push(
      this.watch,
      this.watch.onDidAlert((a) => void this.notify(a)),
      this.watch.onDidRelease((r) => void this.resume(r)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.budget`)) this.watch.setScopeBudgets(this.readSettings());
      }),
      vscode.commands.registerCommand(BudgetCommands.setBudget, (...args: unknown[]) => this.setBudget(args)),
    );
  }

  dispose(): void {
    VsDisposable.from(...this.disposables).dispose();
  }

  /** The budget gate denied a tool call (wired as its `denied` hook): audited, and remembered for the release. */
  denied(agent: AgentSnapshot, tool: string, reason: string): void {
    this.watch.noteDenied(agent.id);
    try {
      this.d.appendAudit({ actor: 'policy', action: 'budget.deny', agentId: agent.id, subject: `${tool}: ${reason}`.slice(0, 500), data: { sessionId: agent.sessionId, tool, reason } });
    } catch (err) {
      this.d.log.error(`could not audit a budget denial: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A raised budget released an agent that had a call denied: tell it to go on (a message into its session). */
  private async resume(r: BudgetRelease): Promise<void> {
    if (!r.denied) return;
    const why = r.why === 'new-day' ? 'new-day' : 'raised';
    this.d.log.info(`agent ${r.agent.name}: ${why === 'new-day' ? 'a new day for its budget' : 'budget raised'}, telling it to continue`);
    await vscode.commands.executeCommand(AgentCommands.sendPrompt, r.agent.id, undefined, resumeMessage(r.agent, why));
  }

  /** The budget settings, each problem told once with its settings file and line (src/vscode/budgetSettingsRead.ts). */
  private readSettings(): ScopeBudgets {
    return readBudgetSettings({ fleet: this.d.fleet, log: this.d.log, shown: this.shownErrors });
  }

  private async notify(a: BudgetAlert): Promise<void> {
    const text = `Flotilla: ${a.message}`;
    if (a.level !== 'critical') {
      const show = a.level === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      if ((await show(text, SHOW_COSTS)) === SHOW_COSTS) await vscode.commands.executeCommand(CostsCommands.openCosts);
      return;
    }
    const target: BudgetTarget | undefined = a.scope.kind === 'agent' ? { kind: 'agent', agentId: a.scope.agentId } : a.scope.kind === 'group' ? { kind: 'group', group: a.scope.group } : a.scope.kind === 'fleet' ? { kind: 'fleet' } : undefined;
    // Stop offers the agents the budget covers: the agent itself, or every live agent of the group or the fleet.
    const under = this.agentsUnder(a);
    const stop = target?.kind === 'agent' ? STOP : under.length > 0 ? `Stop ${under.length} Agent${under.length === 1 ? '' : 's'}` : undefined;
    const buttons = [...(target ? [RAISE] : []), ...(stop ? [stop] : []), SHOW_COSTS];
    const choice = await vscode.window.showWarningMessage(text, ...buttons);
    if (choice === RAISE && target) await this.askAndSet(target, a.who, true);
    else if (choice === SHOW_COSTS) await vscode.commands.executeCommand(CostsCommands.openCosts);
    else if (choice !== undefined && choice === stop) await this.stopUnder(a, target?.kind === 'agent');
  }

  /** The live agents a spent budget covers (an agent budget: that agent). */
  private agentsUnder(a: BudgetAlert): AgentSnapshot[] {
    const live = this.d.fleet.list().filter((x) => !isEnded(x.status));
    if (a.scope.kind === 'agent') return live.filter((x) => x.id === a.agentId);
    if (a.scope.kind === 'group') {
      const group = a.scope.group;
      return live.filter((x) => x.group === group);
    }
    return a.scope.kind === 'fleet' ? live : [];
  }

  /** Stop from the notification: the agents of a group or the fleet after a modal confirm; audited with the reason. */
  private async stopUnder(a: BudgetAlert, single: boolean): Promise<void> {
    const agents = this.agentsUnder(a);
    if (agents.length === 0) return;
    if (!single) {
      const names = agents.map((x) => x.name).join(', ');
      const yes = `Stop ${agents.length} Agent${agents.length === 1 ? '' : 's'}`;
      const confirmed = await vscode.window.showWarningMessage(`Stop ${names}? The budget of ${a.who} is spent.`, { modal: true, detail: 'Each stops where it is; its worktree and branch stay.' }, yes);
      if (confirmed !== yes) return;
    }
    const reason = `budget of ${a.who} exhausted (${a.message})`;
    for (const agent of agents) {
      try {
        this.d.appendAudit({ actor: 'user', action: 'budget.stop', agentId: agent.id, subject: `${agent.name}: ${reason}`.slice(0, 500), data: { scope: a.scope.kind, group: a.scope.kind === 'group' ? a.scope.group : undefined, used: a.used, limit: a.limit, metric: a.metric, reason } });
      } catch (err) {
        this.d.log.error(`could not audit a budget stop: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await vscode.commands.executeCommand(Commands.stopAgent, agents.map((x) => x.id));
  }

  /** Set Budget…: from an agent row that agent; from the palette a scope first (an agent, a group, the fleet). */
  private async setBudget(args: readonly unknown[]): Promise<string | undefined> {
    if (args[0] !== undefined) {
      const [agent] = await agentsFor(this.d.fleet, args, { filter: 'any', many: false, verb: 'set the budget of' });
      return agent ? this.askAndSet({ kind: 'agent', agentId: agent.id }, agent.name, false) : undefined;
    }
    const scope = await vscode.window.showQuickPick(
      [
        { label: 'An agent…', scope: 'agent' as const, description: 'its own budget' },
        { label: 'A group…', scope: 'group' as const, description: 'the sum over its agents' },
        { label: 'The fleet', scope: 'fleet' as const, description: `the sum over every agent (${budgetText(this.watch.scopeBudgets.fleet) || 'no budget'})` },
      ],
      { placeHolder: 'Set the budget of…' },
    );
    if (!scope) return undefined;
    if (scope.scope === 'fleet') return this.askAndSet({ kind: 'fleet' }, 'the fleet', false);
    if (scope.scope === 'agent') {
      const [agent] = await agentsFor(this.d.fleet, [], { filter: 'any', many: false, verb: 'set the budget of' });
      return agent ? this.askAndSet({ kind: 'agent', agentId: agent.id }, agent.name, false) : undefined;
    }
    const group = await this.pickGroup();
    return group ? this.askAndSet({ kind: 'group', group }, `group ${group}`, false) : undefined;
  }

  private async pickGroup(): Promise<string | undefined> {
    const names = new Set([...this.d.fleet.list().flatMap((a) => (a.group ? [a.group] : [])), ...Object.keys(this.watch.scopeBudgets.groups)]);
    const NEW = '$(add) Another group…';
    const items = [...[...names].sort().map((g) => ({ label: g, description: budgetText(this.watch.scopeBudgets.groups[g]) || 'no budget' })), { label: NEW, description: '' }];
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Which group?' });
    if (!picked) return undefined;
    if (picked.label !== NEW) return picked.label;
    return vscode.window.showInputBox({ prompt: 'Group name (agents get it from New Agent or the runner)', validateInput: (v) => (v.trim() ? undefined : 'a group needs a name') }).then((v) => v?.trim());
  }

  private async askAndSet(target: BudgetTarget, who: string, raise: boolean): Promise<string | undefined> {
    const agentOf = (id: string): AgentSnapshot | undefined => this.d.fleet.get(id);
    const before = currentBudget(this.watch, target, agentOf);
    let limits: BudgetLimits | undefined;
    // The choices show the limits they set (+50 % of $5 is "$7.50"); Custom amount… asks with New Agent's parser.
    const pickRaise = raise && before ? await vscode.window.showQuickPick(
      [...raiseChoices(before), { label: 'Custom amount…', description: '', limits: undefined }],
      { placeHolder: `Raise the budget of ${who} (now ${budgetText(before)})` },
    ) : undefined;
    if (raise && before && !pickRaise) return undefined;
    if (pickRaise?.limits) limits = pickRaise.limits;
    else {
      const text = await vscode.window.showInputBox({
        prompt: `Budget of ${who}: $5, 30m, 200k tokens (any of them, separated by commas; empty for none)`,
        value: budgetText(before),
        placeHolder: '$5, 30m, 200k tokens',
        validateInput: (v) => {
          const parsed = parseBudgetInput(v);
          return parsed.ok ? undefined : parsed.message;
        },
      });
      if (text === undefined) return undefined;
      const parsed = parseBudgetInput(text);
      if (!parsed.ok) return undefined;
      limits = parsed.limits;
    }
    try {
      const said = await changeBudget({ watch: this.watch, appendAudit: this.d.appendAudit, writeScope: (t, l) => this.writeScope(t, l) }, target, limits, who, agentOf);
      void vscode.window.showInformationMessage(`Flotilla: ${said}`);
      return said;
    } catch (err) {
      void vscode.window.showErrorMessage(`Flotilla: could not set the budget of ${who}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** Group and fleet budgets live in settings: where the user set them (workspace if it has a value there), else user. */
  private async writeScope(target: Exclude<BudgetTarget, { kind: 'agent' }>, limits: BudgetLimits | undefined): Promise<void> {
    const c = vscode.workspace.getConfiguration(Settings.section);
    const key = target.kind === 'fleet' ? Settings.budgetFleet : Settings.budgetGroups;
    const inspected = c.inspect(key);
    const where = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    if (target.kind === 'fleet') return c.update(key, limits, where);
    const groups = { ...((where === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) as Record<string, unknown> | undefined) };
    if (limits) groups[target.group] = limits;
    else delete groups[target.group];
    return c.update(key, groups, where);
  }
}
