// Spend spikes in the window: the spike watch (src/core/budget/spikeWatch.ts) with its multiple from
// `flotilla.budget.spikeMultiple`; each spike is a warning with Show Trace and Stop Agent, an audit entry
// (`budget.spike`), and a "budget spike" line in the agent's health (the row tooltip's Health section and risk score).
import * as vscode from 'vscode';
import { Disposable as VsDisposable } from 'vscode';
import type { Clock } from '../core/clock';
import type { Fleet } from '../core/fleet/fleet';
import type { Logger } from '../core/log';
import type { AuditInput } from '../core/store/auditLog';
import { DEFAULT_SPIKE_TUNING, SpikeWatch } from '../core/budget/spikeWatch';
import type { SpendSpike, SpikeTuning } from '../core/budget/spikeWatch';
import { Commands, Settings } from './ids';

export interface SpikeUiDeps {
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly log: Logger;
  readonly appendAudit: (entry: AuditInput) => void;
  /** Puts the spike on the agent (FleetHealth.signal 'budgetSpike': tooltip line, risk score). */
  readonly flag: (agentId: string, detail: string) => void;
}

const SHOW_TRACE = 'Show Trace';
const STOP = 'Stop Agent';

export class SpikeUi implements vscode.Disposable {
  readonly watch: SpikeWatch;
  private readonly disposables: vscode.Disposable[] = [];
  private tuning: SpikeTuning = DEFAULT_SPIKE_TUNING;
  private refused: unknown;

  constructor(private readonly d: SpikeUiDeps) {
    this.readSettings();
    this.watch = new SpikeWatch({ fleet: d.fleet, clock: d.clock, tuning: () => this.tuning });
    this.disposables.push(
      this.watch,
      this.watch.onDidSpike((s) => void this.spiked(s)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.budgetSpikeMultiple}`)) this.readSettings();
      }),
    );
  }

  /** The multiple in force (the setting, or 3 when it is not a number above 1). */
  get multiple(): number {
    return this.tuning.multiple;
  }

  dispose(): void {
    VsDisposable.from(...this.disposables).dispose();
  }

  private readSettings(): void {
    const value = vscode.workspace.getConfiguration(Settings.section).get<unknown>(Settings.budgetSpikeMultiple);
    const ok = typeof value === 'number' && Number.isFinite(value) && value > 1;
    this.tuning = { ...DEFAULT_SPIKE_TUNING, multiple: ok ? value : DEFAULT_SPIKE_TUNING.multiple };
    if (!ok && value !== undefined && value !== this.refused) {
      this.refused = value;
      this.d.log.warn(`flotilla.${Settings.budgetSpikeMultiple}: ${JSON.stringify(value)} is not a number above 1; ${DEFAULT_SPIKE_TUNING.multiple} applies`);
    }
  }

  private async spiked(s: SpendSpike): Promise<void> {
    this.d.log.warn(`spend spike: ${s.message}`);
    this.d.flag(s.agentId, s.message);
    try {
      this.d.appendAudit({
        actor: 'flotilla',
        action: 'budget.spike',
        agentId: s.agentId,
        subject: s.message.slice(0, 500),
        data: { metric: s.metric, ratePerMin: s.rate, baselinePerMin: s.baseline, times: Number.isFinite(s.times) ? s.times : null, baselineMs: s.baselineMs, multiple: this.tuning.multiple },
      });
    } catch (err) {
      this.d.log.error(`could not audit a spend spike: ${err instanceof Error ? err.message : String(err)}`);
    }
    const picked = await vscode.window.showWarningMessage(`Flotilla: ${s.message} — a loop or an injected instruction?`, SHOW_TRACE, STOP);
    if (picked === SHOW_TRACE) await vscode.commands.executeCommand(Commands.openTrace, s.agentId);
    else if (picked === STOP) await vscode.commands.executeCommand(Commands.stopAgent, s.agentId);
  }
}
