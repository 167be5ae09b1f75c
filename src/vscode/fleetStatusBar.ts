// The fleet at a glance in the status bar: "$(pulse) 3 working · 1 needs you · $4.20 today" (fleetStatusText.ts),
// hidden while the fleet is empty or `flotilla.statusBar.enabled` is off; a click opens the Costs view. Updates are
// coalesced (at most one per 250 ms) and cheap: the counts come from the fleet in memory, the dollars from TodaySpend
// (new requests added one by one; today read again from the store only at midnight, and once after price changes or
// removals however many came in between).
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { TodaySpend } from '../core/cost/todaySpend';
import { fleetStatusText } from './fleetStatusText';
import { CostsCommands, Settings } from './ids';

export interface FleetStatusBarDeps {
  readonly fleet: Pick<Fleet, 'list' | 'onDidChangeAgent' | 'onDidRemoveAgent'>;
  readonly spend: Pick<TodaySpend, 'today' | 'invalidate' | 'onDidChange'>;
  /** Coalescing window (ms); tests pass 0. */
  readonly throttleMs?: number;
}

export class FleetStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  /** Updates made (not requests for one): tests and benches read it. */
  updates = 0;
  /** Whether the item is shown (VS Code does not tell). */
  visible = false;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastUpdate = 0;
  private readonly minute: ReturnType<typeof setInterval>;

  constructor(private readonly d: FleetStatusBarDeps) {
    this.item = vscode.window.createStatusBarItem('flotilla.fleet', vscode.StatusBarAlignment.Left, 51);
    this.item.name = 'Flotilla Fleet';
    this.item.command = CostsCommands.openCosts;
    this.disposables.push(
      this.item,
      d.fleet.onDidChangeAgent(() => this.schedule()),
      d.spend.onDidChange(() => this.schedule()),
      d.fleet.onDidRemoveAgent(() => {
        // Its requests left the store with it: the Costs view no longer counts them.
        d.spend.invalidate();
        this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.pricingOverrides}`)) d.spend.invalidate();
        if (e.affectsConfiguration(`${Settings.section}.${Settings.pricingOverrides}`) || e.affectsConfiguration(`${Settings.section}.${Settings.statusBarEnabled}`)) this.schedule();
      }),
    );
    // Midnight: today starts at $0 even when nothing happens.
    this.minute = setInterval(() => this.schedule(), 60_000);
    this.update();
  }

  /** A change: updated now if the last update is older than the window, else once at its end. */
  schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastUpdate + (this.d.throttleMs ?? 250) - Date.now());
    if (wait === 0) return this.update();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, wait);
  }

  update(): void {
    this.lastUpdate = Date.now();
    this.updates++;
    const enabled = vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.statusBarEnabled, true);
    const words = fleetStatusText(this.d.fleet.list(), this.d.spend.today(), Date.now());
    if (!enabled || words.text === undefined) {
      this.item.hide();
      this.visible = false;
      return;
    }
    this.item.text = words.text;
    this.item.tooltip = words.tooltip.join('\n');
    this.item.accessibilityInformation = { label: words.accessible, role: 'button' };
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    clearInterval(this.minute);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
