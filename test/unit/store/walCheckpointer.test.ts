// WAL checkpoints from a worker thread (walCheckpointer.ts), on a real SQLite file: once the worker is ready the main
// connection no longer checkpoints inside its commits, the worker moves the WAL into the database file, what was
// committed is all there after closing, and without the worker the main connection checkpoints by itself again.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { WalCheckpointer } from '../../../src/core/store/walCheckpointer';
import type { SqlDriver } from '../../../src/core/store/driver';
import { describeEachDriver } from './storeTestKit';

const autoCheckpoint = (db: SqlDriver): number => db.prepare('PRAGMA wal_autocheckpoint').get<{ wal_autocheckpoint: number }>()!.wal_autocheckpoint;

/** Yields to the event loop until `done()` holds (the test's own timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describeEachDriver('WAL checkpoints in a worker thread', (t) => {
  it('takes the checkpoints off the main connection and copies the WAL into the database file', async () => {
    const db = t.raw();
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const checkpointer = WalCheckpointer.start(db, (level, message) => t.logs.push({ level, message }), 20);
    assert.equal(await checkpointer.started, true, JSON.stringify(t.logs));
    assert.equal(checkpointer.active, true);
    assert.equal(autoCheckpoint(db), 0, 'the main connection no longer checkpoints in its commits');
    const dbFileBefore = fs.statSync(t.dbPath).size;
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    // About 8 MB in 2 000 commits: past the 1 000 pages at which SQLite would checkpoint inside a commit.
    for (let i = 0; i < 2000; i++) db.transaction(() => insert.run('x'.repeat(4000)));
    await until(() => fs.statSync(t.dbPath).size > dbFileBefore + 4_000_000);
    checkpointer.stop();
    assert.equal(autoCheckpoint(db), 1000, 'stopped: SQLite checkpoints by itself again');
    db.close();
    const again = t.raw();
    assert.equal(again.prepare('SELECT COUNT(*) AS n FROM t').get<{ n: number }>()!.n, 2000);
  });

  it('leaves the checkpoints to SQLite when the worker cannot open the database', async () => {
    const db = t.raw();
    db.exec('PRAGMA journal_mode = WAL');
    fs.rmSync(t.dir, { recursive: true, force: true });
    const checkpointer = WalCheckpointer.start(db, (level, message) => t.logs.push({ level, message }), 20);
    assert.equal(await checkpointer.started, false);
    assert.equal(checkpointer.active, false);
    assert.equal(autoCheckpoint(db), 1000);
    assert.match(t.logs.map((l) => l.message).join('\n'), /checkpoints stay on the main thread/);
  });

  it('is what openStore({ backgroundCheckpoints }) uses, and closing the store stops it', async () => {
    const store = t.open({ backgroundCheckpoints: true });
    store.remoteFrames.commit('a', 's', 0, [{ seq: 0, type: 'event', body: '{}' }]);
    store.close();
    const again = t.open();
    assert.equal(again.remoteFrames.count(), 1);
  });
});
