// The fleet's spending today (since local midnight), as the Costs view's "today" figure, kept cheaply for the status
// bar: one Costs report of today alone from the store when it starts (and again at midnight, after a price change or
// an agent's removal, whose requests leave with it), then each new stored request priced on its own in its price
// tier (tiers found once per model, as the report finds them) and added. The report prices today's requests by
// their sums per tier and this adds them one by one: the same figure up to float rounding (1e-9 dollars), so equal
// to the cent.
import { buildCostReport, localDayStarts } from './costReport';
import type { CostHistory } from './costReport';
import type { CostPeriod } from '../../shared/webview/costsProtocol';
import { RequestPricer, totalInput } from './requestPricer';
import type { PricedKinds, PriceTier } from './requestPricer';
import type { PriceBook } from '../pricing/priceBook';
import { Emitter } from '../events';
import type { Event } from '../events';

/** Total inputs up to this are priced from cached tiers; larger ones (none today) from the price book. */
const TIER_SPAN = 10_000_000;

export interface TodaySpendDeps {
  readonly history: CostHistory;
  readonly book: Pick<PriceBook, 'price'>;
  readonly now: () => number;
}

export interface TodayFigure {
  readonly usd: number;
  /** Models used today that have no price: their requests add nothing to `usd`. */
  readonly unpriced: readonly string[];
}

export class TodaySpend {
  private readonly _onDidChange = new Emitter<void>();
  /** A request was added or today was read again. */
  readonly onDidChange: Event<void> = this._onDidChange.event;
  private dayStart = Number.NaN;
  private stale = true;
  private usd = 0;
  private unpriced = new Set<string>();
  private pricer: RequestPricer;
  private tiers = new Map<string, PriceTier[]>();
  /** Full reads of today from the store (the bench and tests count them). */
  reads = 0;

  constructor(private readonly d: TodaySpendDeps) {
    this.pricer = new RequestPricer(d.book);
  }

  /** Today's figure; read again from the store when stale (see invalidate) or after local midnight. */
  today(): TodayFigure {
    if (this.stale || this.currentDayStart() !== this.dayStart) this.reset();
    return { usd: this.usd, unpriced: [...this.unpriced].sort() };
  }

  /** A request was just stored: priced and added (when today is to be read again anyway, that read counts it). */
  add(model: string, request: PricedKinds, at: number = this.d.now()): void {
    if (this.stale || this.currentDayStart() !== this.dayStart) return this._onDidChange.fire();
    if (at < this.dayStart) return;
    const priced = this.price(model, request);
    if (priced.ok) this.usd += priced.costUsd;
    else this.unpriced.add(model);
    this._onDidChange.fire();
  }

  /**
   * Prices changed or an agent was removed (its requests left the store): today is read again at the next today(),
   * once for any number of such changes before it.
   */
  invalidate(): void {
    this.stale = true;
    this._onDidChange.fire();
  }

  /** Reads today from the store now. */
  reset(): void {
    this.stale = false;
    this.reads++;
    const now = this.d.now();
    this.pricer = new RequestPricer(this.d.book);
    this.tiers = new Map();
    this.dayStart = localDayStarts(now, 1)[0]!;
    // One day: the report sums any number of days (the view offers 7 or 30), and today's sums are the same either way.
    const report = buildCostReport({ days: 1 as CostPeriod, now, agents: [], budgets: { fleet: undefined, groups: {} }, history: this.d.history, book: this.d.book, pricer: this.pricer });
    this.usd = report.fleet.byDay[0] ?? 0;
    this.unpriced = new Set(report.models.filter((m) => m.unpriced !== undefined).map((m) => m.model));
    this._onDidChange.fire();
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  /**
   * One request's cost from its model's price tiers (found once per model by bisection over total inputs, as the
   * report does): a tier lookup instead of price book probes at each new total input.
   */
  private price(model: string, r: PricedKinds): { ok: true; costUsd: number } | { ok: false; reason: string } {
    const total = totalInput(r);
    if (total > TIER_SPAN) return this.pricer.cost(model, r);
    let tiers = this.tiers.get(model);
    if (!tiers) this.tiers.set(model, (tiers = this.pricer.tiers(model, 0, TIER_SPAN)));
    const tier = tiers.find((t) => total >= t.from && total <= t.to);
    return tier ? RequestPricer.sumCost(tier.rates, 1, r) : this.pricer.cost(model, r);
  }

  private currentDayStart(): number {
    return localDayStarts(this.d.now(), 1)[0]!;
  }
}
