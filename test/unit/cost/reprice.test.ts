// Re-pricing after a price change, to the cent: model requests are stored one by one in a real SQLite file
// (usage_requests, schema 4) and priced when read, so a price override added later re-prices history (an unknown
// model gets a price; a known one a new rate), each request on its own with its 1-hour cache writes apart.
import assert from 'node:assert/strict';
import { reprice } from '../../../src/core/cost/reprice';
import { repricedFromStore, repriceFleet } from '../../../src/core/cost/repriceFleet';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { Connection } from '../../../src/core/store/connection';
import { UsageRepo } from '../../../src/core/store/usageRepo';
import { newFleet } from '../core/fleetKit';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const cents = (usd: number | undefined): string => (usd === undefined ? 'none' : usd.toFixed(6));

describeEachDriver('re-pricing stored requests', (t) => {
  it('prices each stored request under the overrides in force when read: history follows an override', () => {
    const store = t.open();
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    const usage = new UsageRepo(new Connection(t.raw(), () => {}, () => 1_000));
    // $3 in, $15 out, $0.30 cache read, $3.75 5-minute and $6 1-hour writes per million (catalog, Sonnet 4.5):
    // 1000*3 + 500*15 + 10000*0.3 + 1500*3.75 + 500*6 = $0.022125; 196000*3 + 1000*15 = $0.603 (under 200k: base).
    usage.addRequest({ agentId: 'a1', model: SONNET, requestId: 'req_1', input: 1000, output: 500, cacheRead: 10_000, cacheWrite: 2000, cacheWrite1h: 500 });
    usage.addRequest({ agentId: 'a1', model: SONNET, requestId: 'req_2', input: 196_000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
    usage.addRequest({ agentId: 'a2', model: 'my-local-model', input: 4000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
    assert.deepEqual(usage.requests('a1').map((r) => [r.requestId, r.cacheWrite1h, r.at]), [['req_1', 500, 1_000], ['req_2', 0, 1_000]]);

    let overrides: unknown = {};
    const book = new PriceBook(() => overrides);
    const before = reprice(usage.requests(), book);
    assert.equal(cents(before.get('a1')!.costUsd), '0.625125');
    assert.equal(before.get('a1')!.requests, 2);
    assert.equal(before.get('a2')!.costUsd, 0);
    assert.match(before.get('a2')!.unpriced.get('my-local-model')!, /no price known for model 'my-local-model': add an override/);

    // An override for the unknown model and a new rate for Sonnet (twice the catalog): the same history, re-priced.
    overrides = { 'my-local-*': { input: 1, output: 2 }, 'claude-sonnet-4-5*': { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 } };
    const after = reprice(usage.requests(), book);
    assert.equal(cents(after.get('a1')!.costUsd), '1.250250');
    assert.equal(cents(after.get('a1')!.byModel.get(SONNET)), '1.250250');
    // 4000*1 + 1000*2 = $0.006.
    assert.equal(cents(after.get('a2')!.costUsd), '0.006000');
    assert.equal(after.get('a2')!.unpriced.size, 0);

    // Removing the override brings the catalog back; the store's own methods read the same rows.
    overrides = {};
    assert.equal(cents(reprice(store.usageRequests('a1'), book).get('a1')!.costUsd), '0.625125');
    // Removing an agent removes its requests.
    store.deleteAgent('a2');
    assert.deepEqual(store.usageRequests().map((r) => r.agentId), ['a1', 'a1']);
  });

  it("prices the store's sums per agent, model and tier to the same dollars as each request on its own", () => {
    const store = t.open();
    for (const id of ['a1', 'a2', 'a3']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    let x = 7;
    const rand = (n: number) => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let i = 0; i < 300; i++) {
      const cacheWrite = rand(30_000);
      // Some requests over 200k total input (the long-context tier), some exactly at it, 1-hour writes, two models.
      const input = i % 25 === 0 ? 200_000 - cacheWrite : i % 10 === 0 ? 190_000 + rand(40_000) : rand(8000);
      store.addUsageRequest({ agentId: `a${1 + (i % 3)}`, model: i % 4 ? SONNET : 'claude-haiku-4-5-20251001', input, output: rand(4000), cacheRead: i % 25 === 0 ? 0 : rand(20_000), cacheWrite, cacheWrite1h: rand(cacheWrite + 1), at: 1000 + i });
    }
    store.addUsageRequest({ agentId: 'a3', model: 'my-local-model', input: 10, output: 10, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: 5000 });
    for (const overrides of [{}, { 'claude-sonnet-4-5*': { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 } }]) {
      const book = new PriceBook(overrides);
      const each = reprice(store.usageRequests(), book);
      const sums = repricedFromStore(store, book);
      assert.deepEqual([...sums.keys()].sort(), ['a1', 'a2', 'a3']);
      for (const [id, e] of each) {
        assert.equal(sums.get(id)!.costUsd.toFixed(9), e.costUsd.toFixed(9), `${id} under ${JSON.stringify(overrides)}`);
        assert.deepEqual([...sums.get(id)!.unpriced].sort(), [...e.unpriced.keys()].sort());
      }
      assert.ok(each.get('a1')!.costUsd > 1, 'long-context requests were priced');
    }
  });

  it('refuses a request with impossible counts, naming the field', () => {
    t.open();
    const usage = new UsageRepo(new Connection(t.raw(), () => {}));
    assert.throws(() => usage.addRequest({ agentId: 'a', model: 'm', input: -1, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 }), /usage request\.input must be an integer >= 0/);
    assert.throws(() => usage.addRequest({ agentId: 'a', model: 'm', input: 1, output: 0, cacheRead: 0, cacheWrite: 10, cacheWrite1h: 20 }), /cacheWrite1h \(20\) is part of cacheWrite \(10\)/);
    assert.deepEqual(usage.requests(), []);
  });
});

describe('re-pricing the fleet', () => {
  it('replaces the summed cost of agents whose stored requests hold all their tokens, and only theirs', () => {
    const { fleet } = newFleet();
    const whole = fleet.create({ name: 'whole', kind: 'claude-code', cwd: '/tmp' }).agent.id;
    const partial = fleet.create({ name: 'partial', kind: 'claude-code', cwd: '/tmp' }).agent.id;
    const u = { input: 1000, output: 500, cacheRead: 0, cacheWrite: 0 };
    fleet.addUsage(whole, SONNET, u, 0.0105);
    fleet.addUsage(partial, SONNET, u, 0.0105);
    fleet.addUsage(partial, SONNET, u, 0.0105); // counted before requests were stored: no row for it
    const row = (agentId: string) => ({ agentId, model: SONNET, ...u, cacheWrite1h: 0, at: 0 });
    let overrides: unknown = { 'claude-sonnet-4-5*': { input: 6, output: 30 } };
    const book = new PriceBook(() => overrides);
    assert.deepEqual(repriceFleet(fleet, [row(whole), row(partial)], book), [whole]);
    // 1000*6 + 500*30 = $0.021, twice the catalog's $0.0105.
    assert.equal(cents(fleet.get(whole)!.costUsd), '0.021000');
    assert.equal(cents(fleet.get(partial)!.costUsd), '0.021000', 'partial keeps its summed cost (2 x $0.0105)');
    overrides = {};
    assert.deepEqual(repriceFleet(fleet, [row(whole)], book), [whole]);
    assert.equal(cents(fleet.get(whole)!.costUsd), '0.010500');
    assert.deepEqual(repriceFleet(fleet, [row(whole)], book), [], 'nothing changes twice');
  });
});
