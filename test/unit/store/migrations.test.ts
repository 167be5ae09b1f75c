// Schema migrations: from an empty file, idempotent reopen, refusal of a newer file, one transaction per step.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreVersionError } from '../../../src/core/store/errors';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/migrations';
import { describeEachDriver } from './storeTestKit';

const TABLES = ['agents', 'approvals', 'audit', 'budgets', 'remote_frames', 'remote_sessions', 'sessions', 'spans', 'store_meta', 'usage', 'usage_requests'];

describeEachDriver('store migrations', (t) => {
  it('creates the parent folder and every table on an empty file, in WAL mode', () => {
    const dbPath = path.join(t.dir, 'nested', 'deeper', 'fleet.db');
    const store = t.open({}, dbPath);
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    assert.ok(t.logs.some((l) => l.message.includes(`migrated from version 0 to ${SCHEMA_VERSION}`)));
    store.close();

    const raw = t.raw(dbPath);
    const tables = raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all<{ name: string }>()
      .map((r) => r.name);
    assert.deepEqual(tables, TABLES);
    assert.equal(raw.prepare('PRAGMA journal_mode').get<{ journal_mode: string }>()?.journal_mode, 'wal');
  });

  it('turns foreign keys on: usage for an unknown agent is refused (spans have no key: they outlive agents)', () => {
    const store = t.open();
    assert.throws(() => store.addUsage('ghost', 'm', { input: 1 }), /FOREIGN KEY/);
    assert.equal(store.insertSpan({ agentId: 'ghost', kind: 'tool', name: 'Bash', startedAt: 1 }).agentId, 'ghost');
  });

  it('keeps data across close and reopen and does not migrate again', () => {
    const first = t.open();
    first.upsertAgent({ id: 'a1', name: 'one', kind: 'claude-code', status: 'idle' });
    first.appendAudit({ actor: 'user', action: 'launch', agentId: 'a1' });
    first.close();
    t.logs = [];

    const second = t.open();
    assert.equal(second.getAgent('a1')?.name, 'one');
    assert.equal(second.verifyAudit().ok, true);
    assert.equal(second.schemaVersion, SCHEMA_VERSION);
    assert.ok(!t.logs.some((l) => l.message.includes('migrated')), 'a reopen must not run migrations');
  });

  it('refuses a file whose schema version is newer than the code knows, and leaves it untouched', () => {
    const raw = t.raw();
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    assert.throws(
      () => t.open(),
      (err: unknown) =>
        err instanceof StoreVersionError &&
        err.fileVersion === SCHEMA_VERSION + 1 &&
        err.knownVersion === SCHEMA_VERSION &&
        /newer Flotilla/.test(err.message),
    );
    const check = t.raw();
    assert.equal(schemaVersionOf(check), SCHEMA_VERSION + 1);
    assert.equal(check.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'agents'`).get<{ n: number }>()?.n, 0);
  });

  it('runs each step in a transaction: a failing step leaves the previous version and no partial schema', () => {
    const raw = t.raw();
    const failing = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'half done, then fails',
        up(db: typeof raw) {
          db.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom in step');
        },
      },
    ];
    assert.throws(() => migrate(raw, failing), /boom in step/);
    assert.equal(schemaVersionOf(raw), SCHEMA_VERSION);
    assert.equal(raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get<{ n: number }>()?.n, 0);
    assert.equal(raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'agents'`).get<{ n: number }>()?.n, 1);
    assert.ok(fs.existsSync(t.dbPath));
  });
});
