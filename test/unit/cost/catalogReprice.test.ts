// Re-pricing at startup after a price catalog upgrade, on a real SQLite file across restarts: the agents' costs kept
// in their snapshots were computed under catalog A; a Flotilla with catalog B (here: the real catalog, then a "new
// catalog" twice as dear, standing in as a PriceBook with those rates) re-prices them at start and says so in the log;
// the next start with B changes nothing and logs nothing; an agent whose usage is not all in stored requests keeps its
// cost.
import assert from 'node:assert/strict';
import { CATALOG_FACT, priceCatalogKey, repriceAfterCatalogChange } from '../../../src/core/cost/catalogReprice';
import { Fleet } from '../../../src/core/fleet/fleet';
import { StoreFleetPersistence } from '../../../src/core/fleet/storePersistence';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { FleetStore } from '../../../src/core/store/store';
import { memoryLogger } from '../core/fleetKit';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const cents = (usd: number | undefined) => (usd === undefined ? 'none' : usd.toFixed(6));
const CATALOG_A = new PriceBook({});
// "Catalog B": the same models at twice the rates.
const CATALOG_B = new PriceBook({ 'claude-sonnet-4-5*': { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 } });

describeEachDriver('re-pricing after a catalog upgrade', (t) => {
  const start = (store: FleetStore) => {
    const log = memoryLogger();
    return { fleet: new Fleet(new StoreFleetPersistence(store, '/ws', log), log), log };
  };

  it('re-prices the stored agents once when the catalog changed, and says so', () => {
    // First run, catalog A: an agent meters two requests (cost summed as they came), another has usage from before
    // requests were stored.
    let store = t.open();
    let { fleet } = start(store);
    const whole = fleet.create({ name: 'whole', kind: 'claude-code', cwd: '/ws' }).agent.id;
    const old = fleet.create({ name: 'old', kind: 'claude-code', cwd: '/ws' }).agent.id;
    const requests = [
      { input: 1000, output: 500, cacheRead: 10_000, cacheWrite: 2000, cacheWrite1h: 500 },
      { input: 196_000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 },
    ];
    for (const r of requests) {
      const { cacheWrite1h, ...u } = r;
      const p = CATALOG_A.price(SONNET, r);
      assert.ok(p.ok);
      fleet.addUsage(whole, SONNET, u, p.costUsd);
      store.addUsageRequest({ agentId: whole, model: SONNET, ...u, cacheWrite1h });
    }
    fleet.addUsage(old, SONNET, { input: 1000, output: 0, cacheRead: 0, cacheWrite: 0 }, 0.003);
    const first = memoryLogger();
    assert.deepEqual(repriceAfterCatalogChange({ fleet, store, book: CATALOG_A, catalogKey: 'catalog-A', log: first }), []);
    assert.deepEqual(first.lines, ['info: price catalog catalog-A (not recorded before): 0 agent(s) re-priced from their stored requests']);
    assert.equal(store.storeFact(CATALOG_FACT), 'catalog-A');
    // $0.022125 + $0.603 under catalog A.
    assert.equal(cents(fleet.get(whole)!.costUsd), '0.625125');
    fleet.dispose();
    store.close();

    // Restart with catalog B: the stored figure is re-priced from the stored requests.
    store = t.open();
    ({ fleet } = start(store));
    assert.equal(cents(fleet.get(whole)!.costUsd), '0.625125', 'the snapshot kept the catalog A figure');
    const second = memoryLogger();
    assert.deepEqual(repriceAfterCatalogChange({ fleet, store, book: CATALOG_B, catalogKey: 'catalog-B', log: second }), [whole]);
    assert.deepEqual(second.lines, ['info: price catalog catalog-B (was catalog-A): 1 agent(s) re-priced from their stored requests']);
    assert.equal(cents(fleet.get(whole)!.costUsd), '1.250250');
    assert.equal(cents(fleet.get(old)!.costUsd), '0.003000', 'usage from before requests were stored keeps its cost');
    fleet.dispose();
    store.close();

    // Restart again with B: the re-priced figure was stored; nothing to do, nothing logged.
    store = t.open();
    ({ fleet } = start(store));
    assert.equal(cents(fleet.get(whole)!.costUsd), '1.250250');
    const third = memoryLogger();
    assert.deepEqual(repriceAfterCatalogChange({ fleet, store, book: CATALOG_B, catalogKey: 'catalog-B', log: third }), []);
    assert.deepEqual(third.lines, []);
    fleet.dispose();
  });

  it("the real catalog's key is stable and names the catalog", () => {
    assert.match(priceCatalogKey(), /^genai-prices#[0-9a-f]{16}$/);
    assert.equal(priceCatalogKey(), priceCatalogKey());
  });
});
