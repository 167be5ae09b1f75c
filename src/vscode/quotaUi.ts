// The quota wall in the window: a notification when an agent is paused at the model API's rate or usage limit ("paused
// — quota until 14:05", with the API's message), and once its reset time has come one that offers Resume, which sends
// "continue" into its session (Send Prompt, as a raised budget does). Without a reset time the first notification
// offers Resume at once: only the user can judge when to try again.
import * as vscode from 'vscode';
import { Disposable as VsDisposable } from 'vscode';
import type { AgentSnapshot } from '../shared/agent';
import type { Clock } from '../core/clock';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import { QuotaWatch } from '../core/fleet/quotaWatch';
import { agentsFor } from './agentPicker';
import { AgentCommands, QuotaCommands } from './ids';
import { QUOTA_RESUME_PROMPT, quotaRowText, resetClock } from './quotaText';

const RESUME = 'Resume';

export class QuotaUi implements vscode.Disposable {
  private readonly watch: QuotaWatch;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly d: {
      readonly fleet: Fleet;
      readonly clock: Clock;
      readonly log: Logger;
      /** What to type first to close a dialog the agent's kind may have open (its adapter's dismissBeforePrompt). */
      readonly dismissBeforePrompt: (agent: AgentSnapshot) => string | undefined;
    },
  ) {
    this.watch = new QuotaWatch(d.fleet, d.clock);
    this.disposables.push(
      this.watch,
      this.watch.onDidPause((a) => void this.paused(a)),
      this.watch.onDidReset((a) => void this.reset(a)),
      // Resume After Quota: from a paused agent's row, or the palette with a pick of the paused agents.
      vscode.commands.registerCommand(QuotaCommands.resumeAfterQuota, async (...args: unknown[]) => {
        const [agent] = await agentsFor(d.fleet, args, { filter: 'quota', many: false, verb: 'resume' });
        if (!agent?.quotaPause) return false;
        await this.resume(agent.id, agent.quotaPause.since);
        return true;
      }),
    );
  }

  private async paused(agent: AgentSnapshot): Promise<void> {
    const pause = agent.quotaPause;
    if (!pause) return;
    this.d.log.info(`agent ${agent.name}: ${quotaRowText(pause, this.d.clock.now())} (${pause.reason})`);
    const text = `Flotilla: ${agent.name} ${quotaRowText(pause, this.d.clock.now())} — ${pause.reason}`;
    const picked = await vscode.window.showWarningMessage(text, ...(pause.until === undefined ? [RESUME] : []));
    if (picked === RESUME) await this.resume(agent.id, pause.since);
  }

  private async reset(agent: AgentSnapshot): Promise<void> {
    const pause = agent.quotaPause;
    if (!pause?.until) return;
    const picked = await vscode.window.showInformationMessage(`Flotilla: ${agent.name}: the quota should have reset at ${resetClock(pause.until, this.d.clock.now())}.`, RESUME);
    if (picked === RESUME) await this.resume(agent.id, pause.since);
  }

  /** Only the pause the notification was about: a click after the agent moved on sends nothing. */
  private async resume(id: string, since: number): Promise<void> {
    const agent = this.d.fleet.get(id);
    if (agent?.quotaPause?.since !== since) return;
    this.d.log.info(`agent ${agent.name}: resumed after the quota wall`);
    // Claude Code's terminal has a rate-limit dialog that would swallow the prompt; kinds without one get it alone.
    const dismiss = this.d.dismissBeforePrompt(agent);
    if (dismiss !== undefined) await vscode.commands.executeCommand(AgentCommands.sendPrompt, id, undefined, dismiss);
    await vscode.commands.executeCommand(AgentCommands.sendPrompt, id, undefined, QUOTA_RESUME_PROMPT);
  }

  dispose(): void {
    VsDisposable.from(...this.disposables).dispose();
  }
}
