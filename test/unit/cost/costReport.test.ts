// The Costs view's figures on a real SQLite file, to the cent: stored requests priced when read (each in its own
// tier, 1-hour writes apart, overrides applied), bucketed by day in the local time zone (here America/New_York,
// across the 2026-03-08 switch to summer time: that day has 23 hours), totals per fleet, group, agent and model,
// budgets beside their scope, and agents counted before requests were stored flagged (their total in no day).
import assert from 'node:assert/strict';
import { buildCostReport, CostDaysCache, localDayStarts } from '../../../src/core/cost/costReport';
import type { CostHistory } from '../../../src/core/cost/costReport';
import { reprice } from '../../../src/core/cost/reprice';
import { RequestPricer } from '../../../src/core/cost/requestPricer';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { FleetStore } from '../../../src/core/store/store';
import type { CostAgent } from '../../../src/core/cost/costReport';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const usd = (n: number) => n.toFixed(6);
const agent = (id: string, group: string | undefined, costUsd: number, tokens: number, budget?: CostAgent['budget']): CostAgent => ({
  id,
  name: `name <b>${id}</b>`,
  ...(group ? { group } : {}),
  status: 'idle',
  costUsd,
  usage: { input: tokens, output: 0, cacheRead: 0, cacheWrite: 0 },
  ...(budget ? { budget } : {}),
});

describeEachDriver('costs report', (t) => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });
  const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();
  const seed = (store: FleetStore, ids: string[]) => {
    for (const id of ids) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
  };

  it('buckets by local day across a DST change and totals fleet, groups, agents and models to the cent', () => {
    const store = t.open();
    seed(store, ['a1', 'a2', 'a3']);
    const now = local(2026, 3, 10, 12);
    // Before the period (7 days: Mar 4..10): not counted in it.
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 3, 3, 23, 59) });
    // Mar 8 00:30 EST and 23:30 EDT: the same local day. 1000*3 + 500*15 + 10000*0.3 + 1500*3.75 + 500*6 = $0.022125.
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1000, output: 500, cacheRead: 10_000, cacheWrite: 2000, cacheWrite1h: 500, at: local(2026, 3, 8, 0, 30) });
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1000, output: 500, cacheRead: 10_000, cacheWrite: 2000, cacheWrite1h: 500, at: local(2026, 3, 8, 23, 30) });
    // Mar 10: 196000*3 + 1000*15 = $0.603 (under 200k: base rates).
    store.addUsageRequest({ agentId: 'a2', model: SONNET, input: 196_000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 3, 10, 9) });
    // Mar 9: a model without a price: its tokens count, no cost.
    store.addUsageRequest({ agentId: 'a3', model: 'my-local-model', input: 4000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 3, 9, 9) });
    // After "now" (a clock that moved back): not in the period.
    store.addUsageRequest({ agentId: 'a2', model: SONNET, input: 5_000, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 3, 10, 13) });

    const book = new PriceBook({});
    const report = buildCostReport({
      days: 7,
      now,
      agents: [agent('a1', 'web', 3.5, 1_000_000 + 2 * 13_500), agent('a2', 'web', 0.618, 201_000, { usd: 5 }), agent('a3', undefined, 0, 5000), agent('old', 'web', 2, 9_000)],
      budgets: { fleet: { usd: 100, timeMs: 3_600_000 }, groups: { web: { usd: 20 }, empty: { tokens: 1000 } } },
      history: store,
      book,
    });

    assert.equal(report.timeZone, 'America/New_York');
    assert.deepEqual(report.dayLabels, ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    // The day of the switch has 23 hours.
    assert.equal((report.dayStarts[5]! - report.dayStarts[4]!) / 3_600_000, 23);
    assert.deepEqual(report.fleet.byDay.map(usd), ['0.000000', '0.000000', '0.000000', '0.000000', '0.044250', '0.000000', '0.603000']);
    assert.equal(usd(report.fleet.periodUsd), '0.647250');
    assert.equal(report.fleet.requests, 4);
    assert.equal(usd(report.fleet.totalUsd), '6.118000');
    assert.deepEqual(report.fleet.budget, { text: '$100, 1h', usd: 100 });

    const a1 = report.agents.find((a) => a.id === 'a1')!;
    assert.equal(usd(a1.periodUsd), '0.044250');
    assert.equal(a1.totalUsd, 3.5);
    assert.deepEqual(a1.tokens, { input: 2000, output: 1000, cacheRead: 20_000, cacheWrite: 4000 });
    assert.equal(a1.partialHistory, false, 'every token of a1 is in stored requests (the one before the period too)');
    assert.equal(a1.name, 'name <b>a1</b>');
    const a2 = report.agents.find((a) => a.id === 'a2')!;
    assert.deepEqual(a2.budget, { text: '$5', usd: 5 });
    assert.deepEqual(report.agents.find((a) => a.id === 'a3')!.unpriced, ['my-local-model']);
    const old = report.agents.find((a) => a.id === 'old')!;
    assert.equal(old.partialHistory, true);
    assert.equal(old.periodUsd, 0);
    // Sorted by spending in the period.
    assert.deepEqual(report.agents.map((a) => a.id), ['a2', 'a1', 'a3', 'old']);

    const web = report.groups.find((g) => g.group === 'web')!;
    assert.equal(web.agents, 3);
    assert.equal(usd(web.periodUsd), '0.647250');
    assert.equal(usd(web.totalUsd), '6.118000');
    assert.equal(usd(web.byDay[4]!), '0.044250');
    assert.deepEqual(web.budget, { text: '$20', usd: 20 });
    const ungrouped = report.groups.find((g) => g.group === undefined)!;
    assert.equal(ungrouped.agents, 1);
    assert.deepEqual(report.groups.find((g) => g.group === 'empty'), { group: 'empty', agents: 0, periodUsd: 0, totalUsd: 0, byDay: [0, 0, 0, 0, 0, 0, 0], budget: { text: '1k tokens' } });

    const sonnet = report.models.find((m) => m.model === SONNET)!;
    assert.equal(usd(sonnet.periodUsd), '0.647250');
    assert.equal(sonnet.requests, 3);
    assert.match(report.models.find((m) => m.model === 'my-local-model')!.unpriced!, /no price known for model 'my-local-model'/);
  });

  it('prices like pricing each request on its own (tiers, 1-hour writes, overrides), with far fewer price lookups', () => {
    const store = t.open();
    const ids = ['b1', 'b2', 'b3', 'b4'];
    seed(store, ids);
    const now = local(2026, 11, 30, 18);
    const starts = localDayStarts(now, 30);
    let seedValue = 7;
    const rand = (n: number) => {
      seedValue = (seedValue * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seedValue % n;
    };
    for (let i = 0; i < 2000; i++) {
      const cacheWrite = rand(30_000);
      // Some requests above 200k input: the long-context tier.
      const input = rand(10) === 0 ? 150_000 + rand(120_000) : rand(8000);
      store.addUsageRequest({ agentId: ids[i % 4]!, model: [SONNET, HAIKU, 'team-model'][rand(3)]!, input, output: rand(4000), cacheRead: rand(60_000), cacheWrite, cacheWrite1h: rand(cacheWrite + 1), at: starts[rand(30)]! + rand(86_000_000) });
    }
    // On both sides of Sonnet's 200k long-context threshold, exactly.
    for (const input of [200_000, 200_001]) store.addUsageRequest({ agentId: 'b1', model: SONNET, input, output: 10, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: starts[3]! + 1000 });
    let overrides: unknown = { 'team-*': { input: 1.1, output: 4.4, cacheRead: 0.11, cacheWrite: 1.375, cacheWrite1h: 2.2 } };
    const book = new PriceBook(() => overrides);
    const pricer = new RequestPricer(book);
    const run = () => buildCostReport({ days: 30, now, agents: [], budgets: { fleet: undefined, groups: {} }, history: store, book, pricer });
    const expected = reprice(store.usageRequestsSince(starts[0]!), book);
    const report = run();
    assert.ok(report.models.some((m) => m.model === SONNET) && expected.get('b1')!.byModel.size === 3);
    for (const id of ids) assert.equal(report.agents.find((a) => a.id === id)!.periodUsd.toFixed(9), expected.get(id)!.costUsd.toFixed(9), id);
    assert.equal(report.fleet.periodUsd.toFixed(9), [...expected.values()].reduce((s, a) => s + a.costUsd, 0).toFixed(9));
    assert.ok(pricer.lookups < 2000, `${pricer.lookups} price lookups for 2002 requests`);
    // Sonnet 4.5 has two tiers in the catalog, split at 200k input (over 200k: the long-context rates).
    assert.deepEqual(pricer.tiers(SONNET, 0, 300_000).map((t) => [t.from, t.to]), [[0, 200_000], [200_001, 300_000]]);

    // Another override: a fresh pricer sees it (rates are read again).
    overrides = { 'team-*': { input: 2, output: 8 } };
    const after = buildCostReport({ days: 30, now, agents: [], budgets: { fleet: undefined, groups: {} }, history: store, book });
    const again = reprice(store.usageRequestsSince(starts[0]!), book);
    for (const id of ids) assert.equal(after.agents.find((a) => a.id === id)!.periodUsd.toFixed(9), again.get(id)!.costUsd.toFixed(9), id);
  });

  it('keeps past days priced between reports: a refresh reads only today, follows removals and price changes', () => {
    const store = t.open();
    seed(store, ['c1', 'c2']);
    const now = local(2026, 11, 30, 18);
    const starts = localDayStarts(now, 30);
    const add = (agentId: string, day: number, input: number) => store.addUsageRequest({ agentId, model: SONNET, input, output: 100, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: starts[day]! + 3_600_000 });
    add('c1', 3, 1000);
    add('c2', 10, 2000);
    add('c2', 29, 3000);
    let sumsRead = 0;
    const history: CostHistory = {
      usageRequestInputRanges: (since, until) => store.usageRequestInputRanges(since, until),
      usageRequestSums: (dayStarts, until, bounds) => (sumsRead++, store.usageRequestSums(dayStarts, until, bounds)),
      usageRequestTokensPerAgent: () => store.usageRequestTokensPerAgent(),
    };
    let overrides: unknown = {};
    const book = new PriceBook(() => overrides);
    const cache = new CostDaysCache();
    const build = (cached: boolean) => buildCostReport({ days: 30, now, agents: [], budgets: { fleet: undefined, groups: {} }, history, book, ...(cached ? { cache, pricesKey: JSON.stringify(overrides) } : {}) });
    const figures = (r: ReturnType<typeof build>) => JSON.stringify({ days: r.fleet.byDay.map(usd), agents: r.agents.map((a) => [a.id, usd(a.periodUsd), a.requests]).sort() });

    assert.equal(figures(build(true)), figures(build(false)));
    assert.equal(usd(build(false).fleet.periodUsd), usd((6000 * 3 + 300 * 15) / 1e6));
    sumsRead = 0;
    add('c1', 29, 500);
    const refreshed = build(true);
    assert.equal(sumsRead, 1, 'only today is read again');
    assert.equal(figures(refreshed), figures(build(false)));
    assert.equal(refreshed.fleet.requests, 4);

    store.deleteAgent('c2');
    assert.equal(figures(build(true)), figures(build(false)), "a removed agent's past days leave with it");
    assert.deepEqual(build(true).agents.map((a) => a.id), ['c1']);

    overrides = { 'claude-sonnet-4-5*': { input: 6, output: 30 } };
    sumsRead = 0;
    const repriced = build(true);
    assert.equal(sumsRead, 2, 'new prices: the past days are priced again');
    assert.equal(usd(repriced.fleet.periodUsd), usd((1500 * 6 + 200 * 30) / 1e6));
  });
});
