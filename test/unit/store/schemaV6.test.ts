// Schema 6 on a real file written by the previous schema (5): the migration keeps every stored request (naming no
// subagent), adds the subagent columns, the partial index and store_meta; new requests name their subagent and type;
// the Costs report's subagent query reads the partial index.
import assert from 'node:assert/strict';
import { migrate, MIGRATIONS, schemaVersionOf } from '../../../src/core/store/migrations';
import { describeEachDriver } from './storeTestKit';

describeEachDriver('schema 6: usage requests name their subagent', (t) => {
  it('migrates a schema 5 file with requests in it, and stores subagents from then on', () => {
    // A file as the previous Flotilla left it: schema 5, an agent, two requests.
    const old = t.raw();
    migrate(old, MIGRATIONS.filter((m) => m.version <= 5));
    assert.equal(schemaVersionOf(old), 5);
    old.exec(`INSERT INTO agents (id, name, kind, status, created_at, updated_at) VALUES ('a1', 'a1', 'claude-code', 'idle', 0, 0)`);
    for (const at of [1000, 2000]) old.prepare('INSERT INTO usage_requests (agent_id, model, input, output, at) VALUES (?, ?, ?, ?, ?)').run('a1', 'm', 100, 10, at);
    old.close();

    const store = t.open();
    assert.equal(store.schemaVersion, 6);
    assert.ok(t.logs.some((l) => l.message.includes('schema migrated from version 5 to 6')), JSON.stringify(t.logs));
    assert.deepEqual(
      store.usageRequests().map((r) => [r.at, r.input, r.subagent]),
      [
        [1000, 100, undefined],
        [2000, 100, undefined],
      ],
    );
    store.addUsageRequest({ agentId: 'a1', model: 'm', input: 5, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: 3000, subagent: 'afec462623b30aa68', subagentType: 'Explore' });
    store.addUsageRequest({ agentId: 'a1', model: 'm', input: 7, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: 4000, subagent: 'aa91f1027daeb7c12' });
    assert.deepEqual(
      store.usageSubagentRequests({ since: 0, until: 10_000 }).map((r) => [r.subagent, r.subagentType]),
      [
        ['afec462623b30aa68', 'Explore'],
        ['aa91f1027daeb7c12', undefined],
      ],
    );
    assert.equal(store.usageSubagentRequests({ agentId: 'a1' }).length, 2);
    assert.equal(store.usageSubagentRequests({ since: 3500, until: 10_000 }).length, 1);
    // The period query reads the partial index (only subagent requests), not the whole table.
    const plan = t
      .raw()
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM usage_requests WHERE subagent IS NOT NULL AND at >= ? AND at <= ? ORDER BY id')
      .all<{ detail: string }>(0, 1)
      .map((r) => r.detail)
      .join(' | ');
    assert.match(plan, /usage_requests_subagent/);
    // store_meta: facts about the stored figures.
    assert.equal(store.storeFact('price-catalog'), undefined);
    store.setStoreFact('price-catalog', 'x');
    store.setStoreFact('price-catalog', 'y');
    assert.equal(store.storeFact('price-catalog'), 'y');
  });
});
