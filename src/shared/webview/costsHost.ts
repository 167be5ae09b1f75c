// The host's end of the Costs panel protocol, free of `vscode` so it runs in plain Node (tests, bench): waits for
// `ready` (with the period the panel showed), sends a report of that period, a new one when the panel picks another
// period, and — coalesced — when the fleet's spending changes while the panel is shown. A report may come back later
// (a promise: src/core/cost/costReportRunner.ts runs it in a worker); only the newest asked for is sent, an older one
// still running is dropped (a report superseded this way is not an error). A report run synchronously on the host's
// thread holds it (bench/costsView.ts), so live refreshes then wait at least ten times as long as it took: the panel
// never holds the host more than a tenth of the time; a report off the thread waits at least its own duration.
import { parseCostsWebviewMessage } from './costsProtocol';
import type { CostPeriod, CostReport, CostsHostMessage } from './costsProtocol';

export interface CostsHostOptions {
  /**
   * Builds the report of a period (src/core/cost/costReport.ts), now or later; may throw or reject: the panel then
   * shows the error — except an error named 'SupersededError' (a newer report replaced it), which is dropped.
   */
  readonly report: (days: CostPeriod) => CostReport | Promise<CostReport>;
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
  private lastReportAsync = false;
  private asked = 0;

  constructor(private readonly options: CostsHostOptions) {
    this.days = options.defaultDays ?? 30;
  }

  /** The wait before a live refresh: the coalescing delay, or ten times the last report's duration if longer. */
  get refreshDelayMs(): number {
    return Math.max(this.options.coalesceMs ?? 1000, (this.lastReportAsync ? 1 : 10) * this.lastReportMs);
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
    const asked = ++this.asked;
    const clock = this.options.now ?? (() => performance.now());
    const started = clock();
    const failed = (err: unknown) => {
      if (asked !== this.asked || this.disposed || (err instanceof Error && err.name === 'SupersededError')) return;
      const message = `Could not compute costs: ${err instanceof Error ? err.message : String(err)}`;
      this.options.log.error(`Costs panel: ${message}`);
      this.send({ type: 'error', message: message.slice(0, 2048) });
    };
    let result: CostReport | Promise<CostReport>;
    try {
      result = this.options.report(this.days);
    } catch (err) {
      failed(err);
      return;
    }
    const done = (report: CostReport) => {
      this.lastReportMs = clock() - started;
      // Only the newest report asked for reaches the panel (an older one may finish after it).
      if (asked !== this.asked || this.disposed) return;
      this.send({ type: 'report', report });
    };
    if (result instanceof Promise) {
      this.lastReportAsync = true;
      result.then(done, failed);
    } else {
      this.lastReportAsync = false;
      done(result);
    }
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
