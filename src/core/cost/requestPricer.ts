// Prices many stored model requests exactly and fast: a request's price is linear in each kind of token once its
// long-context tier is fixed, and the tier follows only its total input (input + cache reads + cache writes). So the
// per-token rates are read from the price book (overrides included) at a few total inputs — tiers are steps, and a
// bisection finds where the rates change — and requests of one tier are priced from their token sums (a dot product),
// which SQLite adds up. Same figures as pricing each request on its own (reprice.ts), a few dozen lookups a model.
import type { PriceBook } from '../pricing/priceBook';

export interface PricedKinds {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  /** 5-minute and 1-hour writes together, as stored. */
  readonly cacheWrite: number;
  readonly cacheWrite1h: number;
}

/** Dollars per token of each kind at one total input, plus a per-request fee (0 for every catalog model today). */
export type Rates = { ok: true; fee: number; input: number; output: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number } | { ok: false; reason: string };

/** Total inputs from..to (inclusive) share these rates. */
export interface PriceTier {
  readonly from: number;
  readonly to: number;
  readonly rates: Rates;
}

const OUTPUT_PROBE = 1_000_000;
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-9);
const sameRates = (a: Rates, b: Rates) =>
  a.ok && b.ok ? same(a.fee, b.fee) && same(a.input, b.input) && same(a.output, b.output) && same(a.cacheRead, b.cacheRead) && same(a.cacheWrite5m, b.cacheWrite5m) && same(a.cacheWrite1h, b.cacheWrite1h) : !a.ok && !b.ok && a.reason === b.reason;

export const totalInput = (r: PricedKinds): number => r.input + r.cacheRead + r.cacheWrite;

export class RequestPricer {
  private readonly rates = new Map<string, Map<number, Rates>>();
  /** Price book lookups made (the bench prints it). */
  lookups = 0;

  constructor(private readonly book: Pick<PriceBook, 'price'>) {}

  /** Reads the rates of `model` for every given total input (call before cost()). */
  prepare(model: string, totals: Iterable<number>): void {
    const known = this.rates.get(model) ?? new Map<number, Rates>();
    this.rates.set(model, known);
    const sorted = [...new Set(totals)].filter((t) => !known.has(t)).sort((a, b) => a - b);
    if (sorted.length === 0) return;
    const at = (i: number): Rates => {
      const t = sorted[i]!;
      let r = known.get(t);
      if (!r) known.set(t, (r = this.probe(model, t)));
      return r;
    };
    const fill = (lo: number, hi: number): void => {
      const a = at(lo);
      const b = at(hi);
      if (hi - lo <= 1) return;
      if (sameRates(a, b)) {
        for (let i = lo + 1; i < hi; i++) known.set(sorted[i]!, a);
        return;
      }
      const mid = (lo + hi) >> 1;
      fill(lo, mid);
      fill(mid, hi);
    };
    fill(0, sorted.length - 1);
  }

  /**
   * The tiers of `model` over total inputs min..max: contiguous ranges with their rates (bisection over the integers:
   * where the rates at both ends agree, the range is one tier). Their upper ends but the last are the bounds to group
   * requests by; a group's cost is then sumCost() of its token sums.
   */
  tiers(model: string, min: number, max: number): PriceTier[] {
    const known = this.rates.get(model) ?? new Map<number, Rates>();
    this.rates.set(model, known);
    const at = (t: number): Rates => {
      let r = known.get(t);
      if (!r) known.set(t, (r = this.probe(model, t)));
      return r;
    };
    const out: PriceTier[] = [];
    const push = (from: number, to: number, rates: Rates) => {
      const last = out[out.length - 1];
      if (last && sameRates(last.rates, rates)) out[out.length - 1] = { ...last, to };
      else out.push({ from, to, rates });
    };
    const walk = (lo: number, hi: number): void => {
      const a = at(lo);
      const b = at(hi);
      if (sameRates(a, b)) return push(lo, hi, a);
      if (hi - lo <= 1) {
        push(lo, lo, a);
        return push(hi, hi, b);
      }
      const mid = Math.floor((lo + hi) / 2);
      walk(lo, mid);
      walk(mid, hi);
    };
    walk(Math.max(0, min), Math.max(0, min, max));
    return out;
  }

  /** The cost of `requests` requests in one tier from their token sums. */
  static sumCost(rates: Rates, requests: number, sums: PricedKinds): { ok: true; costUsd: number } | { ok: false; reason: string } {
    if (!rates.ok) return rates;
    const w1h = sums.cacheWrite1h;
    return { ok: true, costUsd: rates.fee * requests + sums.input * rates.input + sums.output * rates.output + sums.cacheRead * rates.cacheRead + (sums.cacheWrite - w1h) * rates.cacheWrite5m + w1h * rates.cacheWrite1h };
  }

  /** The cost of one request, or why its model has no price. */
  cost(model: string, r: PricedKinds): { ok: true; costUsd: number } | { ok: false; reason: string } {
    const t = totalInput(r);
    let rates = this.rates.get(model)?.get(t);
    if (!rates) {
      this.prepare(model, [t]);
      rates = this.rates.get(model)!.get(t)!;
    }
    if (!rates.ok) return rates;
    const w1h = r.cacheWrite1h;
    return { ok: true, costUsd: rates.fee + r.input * rates.input + r.output * rates.output + r.cacheRead * rates.cacheRead + (r.cacheWrite - w1h) * rates.cacheWrite5m + w1h * rates.cacheWrite1h };
  }

  /** Rates at total input `t`: each probe keeps the total at t, so all sit in the same tier. */
  private probe(model: string, t: number): Rates {
    const n = Math.max(t, 1);
    const price = (u: { input: number; output: number; cacheRead?: number; cacheWrite?: number; cacheWrite1h?: number }) => {
      this.lookups++;
      return this.book.price(model, u);
    };
    const fee = price({ input: 0, output: 0 });
    const input = price({ input: n, output: 0 });
    const output = price({ input: n, output: OUTPUT_PROBE });
    const read = price({ input: 0, output: 0, cacheRead: n });
    const write = price({ input: 0, output: 0, cacheWrite: n });
    const write1h = price({ input: 0, output: 0, cacheWrite: n, cacheWrite1h: n });
    for (const p of [fee, input, output, read, write, write1h]) if (!p.ok) return { ok: false, reason: p.reason };
    const f = fee.costUsd!;
    return {
      ok: true,
      fee: f,
      input: (input.costUsd! - f) / n,
      output: (output.costUsd! - input.costUsd!) / OUTPUT_PROBE,
      cacheRead: (read.costUsd! - f) / n,
      cacheWrite5m: (write.costUsd! - f) / n,
      cacheWrite1h: (write1h.costUsd! - f) / n,
    };
  }
}
