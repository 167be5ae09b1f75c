// Today's spending for the status bar on a real SQLite file: read once from the store, then each new request added,
// always equal to the Costs view's "today" (the 7-day report's last day) to 1e-9 dollars, with no further read of the
// store; an unpriced model is named; the day turning at local midnight and an agent's removal read today again (once).
import assert from 'node:assert/strict';
import { buildCostReport } from '../../../src/core/cost/costReport';
import { TodaySpend } from '../../../src/core/cost/todaySpend';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { FleetStore } from '../../../src/core/store/store';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';

describeEachDriver('today spend', (t) => {
  const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();
  const viewToday = (store: FleetStore, book: PriceBook, now: number) => {
    const report = buildCostReport({ days: 7, now, agents: [], budgets: { fleet: undefined, groups: {} }, history: store, book });
    return report.fleet.byDay[report.fleet.byDay.length - 1]!;
  };

  it('equals the Costs view’s today after every added request, reading the store once', () => {
    const store = t.open();
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    let now = local(2026, 5, 12, 9);
    const book = new PriceBook({});
    // Yesterday: not today.
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 50_000, output: 2000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 5, 11, 23, 59) });
    // Today before the status bar started: $0.603 (196k in, 1k out).
    store.addUsageRequest({ agentId: 'a2', model: SONNET, input: 196_000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 5, 12, 8) });
    const spend = new TodaySpend({ history: store, book, now: () => now });
    let changes = 0;
    spend.onDidChange(() => changes++);
    assert.equal(spend.today().usd.toFixed(6), '0.603000');
    assert.equal(spend.reads, 1);

    // 120 requests of both models, some past the 200k tier and with 1-hour cache writes, each stored then added.
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 120; i++) {
      now += 1000;
      const cacheWrite = rand(40_000);
      const r = { input: rand(220_000), output: rand(4000), cacheRead: rand(30_000), cacheWrite, cacheWrite1h: rand(cacheWrite + 1) };
      const model = i % 3 === 0 ? HAIKU : SONNET;
      store.addUsageRequest({ agentId: i % 2 ? 'a1' : 'a2', model, ...r, at: now });
      spend.add(model, r, now);
      const view = viewToday(store, book, now);
      assert.ok(Math.abs(spend.today().usd - view) < 1e-9, `request ${i}: ${spend.today().usd} vs the view's ${view}`);
      assert.equal(spend.today().usd.toFixed(2), view.toFixed(2));
    }
    assert.equal(spend.reads, 1, 'no read of the store after the first');
    assert.equal(changes, 121);
    assert.deepEqual(spend.today().unpriced, []);

    // A model without a price: named, adds nothing.
    const before = spend.today().usd;
    store.addUsageRequest({ agentId: 'a1', model: 'my-local-model', input: 1000, output: 10, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now });
    spend.add('my-local-model', { input: 1000, output: 10, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 }, now);
    assert.equal(spend.today().usd, before);
    assert.deepEqual(spend.today().unpriced, ['my-local-model']);

    // An agent removed: its requests leave the store (and the view); today is read again once, at the next look,
    // however many removals came before it (a request meanwhile is counted by that read).
    store.deleteAgent('a2');
    spend.invalidate();
    spend.invalidate();
    spend.add(SONNET, { input: 10, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 }, now);
    assert.equal(spend.reads, 1, 'not read yet');
    spend.today();
    assert.equal(spend.reads, 2);
    assert.ok(Math.abs(spend.today().usd - viewToday(store, book, now)) < 1e-9);
    assert.deepEqual(spend.today().unpriced, ['my-local-model']);

    // Past local midnight: a new day, read again, nothing spent yet.
    now = local(2026, 5, 13, 0, 1);
    assert.equal(spend.today().usd, 0);
    assert.deepEqual(spend.today().unpriced, []);
    assert.equal(spend.reads, 3);
    spend.dispose();
  });
});
