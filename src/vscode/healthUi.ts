// Fleet health in the editor: builds the core's FleetHealth and IdleWatch with the user's settings, feeds them the
// router's facts, approvals and tamper events, and turns their events into notifications: looping/stuck (Show Trace,
// Send Message…, Stop), a question (Focus Terminal), the idle nudge (Open Diff, Send Prompt…, Stop).
import * as vscode from 'vscode';
import type { AgentSignal } from '../core/agents/agentSignal';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import type { ActionGate } from '../core/approvals/gateChain';
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import { DisposableStore } from '../core/events';
import type { Event } from '../core/events';
import type { Fleet } from '../core/fleet/fleet';
import type { TamperEvent } from '../core/guard/tamperWatch';
import type { Quarantines } from '../core/guard/quarantine';
import { FleetHealth } from '../core/health/fleetHealth';
import { DEFAULT_THRESHOLDS, parseToolLimits } from '../core/health/healthThresholds';
import type { HealthThresholds } from '../core/health/healthThresholds';
import { IdleWatch } from '../core/health/idleWatch';
import { RISK_TUNING } from '../core/health/riskWeights';
import type { Logger } from '../core/log';
import { isEnded } from '../core/statusMachine';
import type { AgentSnapshot } from '../shared/agent';
import { formatDuration } from '../core/format';
import { AgentCommands, Commands, HealthCommands, Settings } from './ids';
import { cleanUp } from './cleanUp';
import { scorecardTooltip } from './healthPresentation';
import { scorecardLines } from '../core/health/scorecard';

export interface HealthUiOptions {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly quarantines: Pick<Quarantines, 'quarantine'>;
  readonly tamper: Event<TamperEvent>;
  readonly log: Logger;
  readonly clock?: Clock;
}

export class HealthUi implements vscode.Disposable {
  readonly health: FleetHealth;
  private readonly d = new DisposableStore();
  private thresholds: HealthThresholds = DEFAULT_THRESHOLDS;

  constructor(private readonly options: HealthUiOptions) {
    const { fleet, log } = options;
    const clock = options.clock ?? systemClock;
    this.readThresholds();
    this.d.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${Settings.section}.health`) && this.readThresholds()));
    this.health = this.d.add(
      new FleetHealth({
        fleet,
        clock,
        log,
        thresholds: () => this.thresholds,
        quarantine: (id, reason, evidence) => options.quarantines.quarantine(id, reason, evidence),
        riskThreshold: () => this.config().get<number>(Settings.healthRiskThreshold, RISK_TUNING.threshold) || RISK_TUNING.threshold,
      }),
    );
    const minutes = (key: string, fallback: number) => () => {
      const m = this.config().get<number>(key, fallback);
      return typeof m === 'number' && m > 0 ? m * 60_000 : undefined;
    };
    const idle = this.d.add(
      new IdleWatch({
        fleet,
        clock,
        nudgeMs: minutes(Settings.idleNudgeAfterMinutes, 15),
        stopMs: minutes(Settings.idleStopAfterMinutes, 0),
        stop: async (id, why) => {
          log.info(`${fleet.get(id)?.name ?? id}: ${why}`);
          await vscode.commands.executeCommand(Commands.stopAgent, id);
        },
      }),
    );
    this.d.add(options.approvals.onDidSettle((s) => this.health.approvalSettled(s)));
    this.d.add(options.tamper((e) => this.tampered(e)));
    this.d.add(this.health.onDidFlag(({ agent, health }) => void this.flagged(agent, `${agent.name} looks ${health.flag === 'looping' ? 'stuck in a loop' : health.summary}: ${health.evidence[0] ?? ''}`)));
    this.d.add(this.health.onDidAsk(({ agent, question }) => void this.asked(agent, question)));
    this.d.add(idle.onDidNudge(({ agent, idleMs }) => void this.nudged(agent, idleMs)));
    this.d.add(vscode.commands.registerCommand(HealthCommands.cleanUp, () => cleanUp(fleet, log)));
  }

  /** The agent's scorecard for its tooltip (Markdown, escaped). */
  tooltipCard(agent: AgentSnapshot): string {
    return scorecardTooltip(this.health.scorecard(agent.id), agent.costUsd);
  }

  /** The agent's scorecard as text lines with its cost per turn (the Trace panel shows them above the trace). */
  scorecardLines(agent: AgentSnapshot): string[] {
    return scorecardLines(this.health.scorecard(agent.id), 3, agent.costUsd);
  }

  /** The policy gate with its denials counted for the risk score. */
  watchGate(gate: ActionGate): ActionGate {
    return this.health.watchGate(gate);
  }

  /** Feeds the router's facts (SignalRouter.onDidSignal). */
  follow(onDidSignal: Event<{ readonly agentId: string; readonly signal: AgentSignal }>): void {
    this.d.add(onDidSignal(({ agentId, signal }) => this.health.observe(agentId, signal)));
  }

  dispose(): void {
    this.d.dispose();
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  private readThresholds(): void {
    const c = this.config();
    const tools = parseToolLimits(c.get<unknown>(Settings.healthToolLimits), (problem) => this.options.log.warn(`flotilla.health.${problem}; the default applies`));
    const step = c.get<number>(Settings.healthStepStuckMinutes, DEFAULT_THRESHOLDS.stepStuckMinutes);
    this.thresholds = { ...DEFAULT_THRESHOLDS, tools, stepStuckMinutes: typeof step === 'number' && step > 0 ? step : DEFAULT_THRESHOLDS.stepStuckMinutes };
  }

  /** A tamper event counts for every live agent working in that repository (or all, for a home file). */
  private tampered(e: TamperEvent): void {
    for (const a of this.options.fleet.list()) {
      if (isEnded(a.status)) continue;
      const root = a.worktree?.repoRoot ?? a.cwd;
      if (e.repoRoot === undefined || root === e.repoRoot || a.cwd.startsWith(e.repoRoot)) this.health.signal(a.id, 'tamper', `${e.file} ${e.kind}`);
    }
  }

  private async flagged(agent: AgentSnapshot, text: string): Promise<void> {
    const have = new Set(await vscode.commands.getCommands(true));
    const actions = [...(have.has(Commands.openTrace) ? ['Show Trace'] : []), ...(have.has(AgentCommands.sendPrompt) ? ['Send Message…'] : []), 'Stop'];
    const picked = await vscode.window.showWarningMessage(text, ...actions);
    if (picked === 'Show Trace') await vscode.commands.executeCommand(Commands.openTrace, agent.id);
    else if (picked === 'Send Message…') await vscode.commands.executeCommand(AgentCommands.sendPrompt, agent.id);
    else if (picked === 'Stop') await vscode.commands.executeCommand(Commands.stopAgent, agent.id);
  }

  private async asked(agent: AgentSnapshot, question: string): Promise<void> {
    const picked = await vscode.window.showInformationMessage(`${agent.name} needs you: ${question}`, 'Focus Terminal');
    if (picked) await vscode.commands.executeCommand(Commands.focusTerminal, agent.id);
  }

  private async nudged(agent: AgentSnapshot, idleMs: number): Promise<void> {
    const have = new Set(await vscode.commands.getCommands(true));
    const actions = [...(agent.worktree ? ['Open Diff'] : []), ...(have.has(AgentCommands.sendPrompt) ? ['Send Prompt…'] : []), 'Stop'];
    const picked = await vscode.window.showInformationMessage(`${agent.name} has been done and idle for ${formatDuration(idleMs)}: review its work, give it more, or stop it.`, ...actions);
    if (picked === 'Open Diff') await vscode.commands.executeCommand(Commands.openDiff, agent.id);
    else if (picked === 'Send Prompt…') await vscode.commands.executeCommand(AgentCommands.sendPrompt, agent.id);
    else if (picked === 'Stop') await vscode.commands.executeCommand(Commands.stopAgent, agent.id);
  }
}
