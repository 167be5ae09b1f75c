// Driver choice: 'auto' takes better-sqlite3 when its binary loads and otherwise falls back to node:sqlite,
// saying so; a driver that cannot load, or no driver at all, gives a StoreUnavailableError that says what to do.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoreLogLevel } from '../../../src/core/store/connection';
import type { DriverFactory, DriverName } from '../../../src/core/store/driver';
import { StoreUnavailableError } from '../../../src/core/store/errors';
import { openStore, openWithDrivers, probeDriver } from '../../../src/core/store/openDatabase';
import { tempDir } from './storeTestKit';

describe('openStore driver choice', function () {
  let dir: string;
  let logs: { level: StoreLogLevel; message: string }[];
  const log = (level: StoreLogLevel, message: string) => logs.push({ level, message });

  beforeEach(() => {
    dir = tempDir();
    logs = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const better = () => probeDriver('better-sqlite3');
  const nodeSqlite = () => probeDriver('node:sqlite');

  it("'auto' uses better-sqlite3 when its native binary loads in this Node", function () {
    if (better() !== undefined) {
      console.log(`    [skipped] better-sqlite3 cannot load in Node ${process.version}; the fallback case covers this runtime`);
      this.skip();
    }
    const { store, driverName } = openStore(path.join(dir, 'fleet.db'), { log });
    store.close();
    assert.equal(driverName, 'better-sqlite3');
    assert.deepEqual(logs.filter((l) => l.level === 'warn'), []);
  });

  it("'auto' falls back to node:sqlite when better-sqlite3 cannot load, and logs why", function () {
    if (better() === undefined || nodeSqlite() !== undefined) {
      console.log(
        `    [skipped] needs a Node where better-sqlite3 fails to load and node:sqlite loads (Node ${process.version}: ` +
          `better-sqlite3 ${better() === undefined ? 'loads' : 'fails'}, node:sqlite ${nodeSqlite() === undefined ? 'loads' : 'fails'})`,
      );
      this.skip();
    }
    const { store, driverName } = openStore(path.join(dir, 'fleet.db'), { log });
    store.upsertAgent({ id: 'a', name: 'a', kind: 'custom', status: 'idle' });
    store.close();
    assert.equal(driverName, 'node:sqlite');
    const warns = logs.filter((l) => l.level === 'warn').map((l) => l.message);
    assert.equal(warns.length, 1);
    assert.match(warns[0]!, /better-sqlite3 cannot load/);
    assert.match(warns[0]!, /NODE_MODULE_VERSION/);
    assert.match(warns[0]!, /falling back to node:sqlite/);
  });

  for (const driver of ['better-sqlite3', 'node:sqlite'] as DriverName[]) {
    it(`asking for ${driver} where it cannot load throws StoreUnavailableError saying what to do`, function () {
      if (probeDriver(driver) === undefined) {
        console.log(`    [skipped] ${driver} loads in Node ${process.version}, so it cannot be refused here`);
        this.skip();
      }
      const dbPath = path.join(dir, 'sub', 'fleet.db');
      assert.throws(
        () => openStore(dbPath, { driver, log }),
        (err: unknown) =>
          err instanceof StoreUnavailableError &&
          Object.keys(err.reasons).join() === driver &&
          err.message.includes(`- ${driver}: `) &&
          err.message.includes('npm rebuild better-sqlite3') &&
          err.message.includes('node:sqlite (Node >= 22.13'),
      );
      assert.equal(fs.existsSync(dbPath), false, 'no file is created when no driver loads');
    });
  }

  it('with no loadable driver at all, the error lists each reason and both ways out', () => {
    const broken = (name: DriverName, reason: string): DriverFactory => ({
      name,
      probe: () => reason,
      open: () => assert.fail('open must not be called on a driver that did not load'),
    });
    const candidates = [
      broken('better-sqlite3', 'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115'),
      broken('node:sqlite', 'No such built-in module: node:sqlite'),
    ];
    let error: unknown;
    try {
      openWithDrivers(path.join(dir, 'fleet.db'), candidates, { log });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof StoreUnavailableError);
    assert.match(error.message, /no SQLite driver loads in Node v\d+/);
    assert.match(error.message, /- better-sqlite3: was compiled against a different Node.js version using NODE_MODULE_VERSION 115/);
    assert.match(error.message, /- node:sqlite: No such built-in module/);
    assert.match(error.message, /npm rebuild better-sqlite3/);
    assert.match(error.message, /whose built-in Node has node:sqlite/);
    assert.deepEqual(
      logs.map((l) => l.message),
      ['better-sqlite3 cannot load in this runtime (was compiled against a different Node.js version using NODE_MODULE_VERSION 115); falling back to node:sqlite'],
    );
  });
});
