// The host's end of the Costs panel protocol, free of `vscode` so it runs in plain Node (tests, bench): waits for
// `ready` (with the period the panel showed), sends a report of that period, a new one when the panel picks another
// period, and — coalesced — when the fleet's spending changes while the panel is shown. A report of a large fleet takes
// a while on the extension host's thread (bench/costsView.ts), so live refreshes wait at least ten times as long as
// the last report took: the panel never holds the host more than a tenth of the time.
import { parseCostsWebviewMessage } from './costsProtocol';
import type { CostPeriod, CostReport, CostsHostMessage } from './costsProtocol';

export interface CostsHostOptions {
  /** Builds the report of a period (src/core/cost/costReport.ts); may throw: the panel then shows the error. */
  readonly report: (days: CostPeriod) => CostReport;
  readonly post: (message: CostsHostMessage) => unknown;
  readonly log: { warn(message: string): void; error(message: string | Error): void };
  /** The period of a panel that did not say (a first open). */
  readonly defaultDays?: CostPeriod;
  /** How long spending changes gather before one new report (ms), at least; more after a slow report. */
  readonly coalesceMs?: number;
  readonly now?: () => number;
}

export class CostsHostEndpoint {
  private ready = false;
  private disposed = false;
  private days: CostPeriod;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastReportMs = 0;

  constructor(private readonly options: CostsHostOptions) {
    this.days = options.defaultDays ?? 30;
  }

  /** The wait before a live refresh: the coalescing delay, or ten times the last report's duration if longer. */
  get refreshDelayMs(): number {
    return Math.max(this.options.coalesceMs ?? 1000, 10 * this.lastReportMs);
  }

  get period(): CostPeriod {
    return this.days;
  }

  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = parseCostsWebviewMessage(raw);
    if (!parsed.ok) {
      this.options.log.warn(`Costs panel: ignored a message from the webview: ${parsed.error.message}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') this.ready = true;
    if (message.days !== undefined) this.days = message.days;
    if (this.ready) this.sendReport();
  }

  /** Spending changed: a new report after the coalescing delay, if the panel listens. */
  changed(): void {
    if (!this.ready || this.disposed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ready && !this.disposed) this.sendReport();
    }, this.refreshDelayMs);
  }

  /** The webview went away (hidden, reloading): nothing is sent until it says `ready` again. */
  detach(): void {
    this.ready = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
  }

  private sendReport(): void {
    let report: CostReport;
    const clock = this.options.now ?? (() => performance.now());
    const started = clock();
    try {
      report = this.options.report(this.days);
      this.lastReportMs = clock() - started;
    } catch (err) {
      const message = `Could not compute costs: ${err instanceof Error ? err.message : String(err)}`;
      this.options.log.error(`Costs panel: ${message}`);
      this.send({ type: 'error', message: message.slice(0, 2048) });
      return;
    }
    this.send({ type: 'report', report });
  }

  private send(message: CostsHostMessage): void {
    if (!this.ready) return;
    try {
      Promise.resolve(this.options.post(message)).catch((err: unknown) => this.options.log.error(`Costs panel: could not post: ${String(err)}`));
    } catch (err) {
      this.options.log.error(`Costs panel: could not post: ${String(err)}`);
    }
  }
}
