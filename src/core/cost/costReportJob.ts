// One Costs report as a job that can run on another thread: its input is plain data (the fleet's agents, the budgets,
// the credential rows, the price overrides as configured), and the worker (costReportWorker.ts) and the in-thread
// fallback (costReportRunner.ts) both run it here, each keeping its own price rates and past-days cache per prices key.
// A job asks `stillWanted()` before each query: a newer job supersedes it between queries (it throws Superseded).
import type { CostCredentialRow, CostPeriod, CostReport } from '../../shared/webview/costsProtocol';
import type { ScopeBudgets } from '../budget/budgetSettings';
import { PriceBook } from '../pricing/priceBook';
import type { CostAgent, CostHistory } from './costReport';
import { buildCostReport, CostDaysCache } from './costReport';
import { RequestPricer } from './requestPricer';

export interface CostReportJob {
  readonly days: CostPeriod;
  readonly now: number;
  readonly agents: readonly CostAgent[];
  readonly budgets: ScopeBudgets;
  readonly credentials?: readonly CostCredentialRow[];
  /** `flotilla.pricing.overrides` as read from the settings (PriceBook validates it). */
  readonly overrides: unknown;
}

/** A newer report was asked for before this one finished. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer costs report');
    this.name = 'SupersededError';
  }
}

/** The rates and past days of the last prices key (overrides as JSON): kept between jobs on one thread. */
export class CostReportState {
  private key: string | undefined;
  private book: PriceBook | undefined;
  private pricer: RequestPricer | undefined;
  private cache = new CostDaysCache();

  prices(overrides: unknown): { key: string; book: PriceBook; pricer: RequestPricer; cache: CostDaysCache } {
    const key = JSON.stringify(overrides ?? {});
    if (key !== this.key || !this.book || !this.pricer) {
      this.key = key;
      this.book = new PriceBook(overrides ?? {});
      this.pricer = new RequestPricer(this.book);
      this.cache = new CostDaysCache();
    }
    return { key, book: this.book, pricer: this.pricer, cache: this.cache };
  }
}

/** The history with a check before each query, so a superseded job stops at the next one. */
function guarded(history: CostHistory, stillWanted: () => boolean): CostHistory {
  const check = () => {
    if (!stillWanted()) throw new SupersededError();
  };
  return {
    usageRequestInputRanges: (since, until) => (check(), history.usageRequestInputRanges(since, until)),
    usageRequestSums: (dayStarts, until, bounds) => (check(), history.usageRequestSums(dayStarts, until, bounds)),
    usageRequestTokensPerAgent: () => (check(), history.usageRequestTokensPerAgent()),
    ...(history.usageSubagentRequests ? { usageSubagentRequests: (filter: { since: number; until: number }) => (check(), history.usageSubagentRequests!(filter)) } : {}),
  };
}

export function runCostReportJob(job: CostReportJob, history: CostHistory, state: CostReportState, stillWanted: () => boolean = () => true): CostReport {
  const { key, book, pricer, cache } = state.prices(job.overrides);
  return buildCostReport({
    days: job.days,
    now: job.now,
    agents: job.agents,
    budgets: job.budgets,
    history: guarded(history, stillWanted),
    book,
    pricer,
    cache,
    pricesKey: key,
    ...(job.credentials ? { credentials: job.credentials } : {}),
  });
}
