// Shared kit for the store tests: the table of drivers every suite runs against (a driver that cannot load
// in this Node is skipped with the reason printed), a fresh temp folder per test, and captured store logs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoreLogLevel } from '../../../src/core/store/connection';
import type { DriverName, SqlDriver } from '../../../src/core/store/driver';
import { DRIVER_FACTORIES, openStore, probeDriver } from '../../../src/core/store/openDatabase';
import type { OpenStoreOptions } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';

export const DRIVERS: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

export interface StoreTestContext {
  readonly driver: DriverName;
  /** A fresh temp folder for the current test. */
  dir: string;
  dbPath: string;
  logs: { level: StoreLogLevel; message: string }[];
  open(options?: Omit<OpenStoreOptions, 'driver' | 'log'>, dbPath?: string): FleetStore;
  /** A second, raw connection to the same file (what a tamperer or another tool would have). */
  raw(dbPath?: string): SqlDriver;
}

export function tempDir(prefix = 'flotilla-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function skipUnlessLoads(ctx: Mocha.Context, driver: DriverName): void {
  const reason = probeDriver(driver);
  if (reason !== undefined) {
    console.log(`    [skipped] ${driver} cannot load in Node ${process.version}: ${reason.replace(/\s*\n\s*/g, ' ')}`);
    ctx.skip();
  }
}

export function describeEachDriver(title: string, body: (t: StoreTestContext) => void): void {
  for (const driver of DRIVERS) {
    describe(`${title} [${driver}]`, function () {
      const closers: (() => void)[] = [];
      const t: StoreTestContext = {
        driver,
        dir: '',
        dbPath: '',
        logs: [],
        open(options = {}, dbPath = t.dbPath) {
          const { store, driverName } = openStore(dbPath, {
            ...options,
            driver,
            log: (level, message) => t.logs.push({ level, message }),
          });
          if (driverName !== driver) throw new Error(`asked for ${driver}, got ${driverName}`);
          closers.push(() => store.close());
          return store;
        },
        raw(dbPath = t.dbPath) {
          const db = DRIVER_FACTORIES[driver].open(dbPath);
          closers.push(() => db.close());
          return db;
        },
      };

      before(function () {
        skipUnlessLoads(this, driver);
      });

      beforeEach(() => {
        t.dir = tempDir();
        t.dbPath = path.join(t.dir, 'fleet.db');
        t.logs = [];
      });

      afterEach(() => {
        for (const close of closers.splice(0).reverse()) {
          try {
            close();
          } catch {
            // already closed by the test
          }
        }
        fs.rmSync(t.dir, { recursive: true, force: true });
      });

      body(t);
    });
  }
}

export function warnings(t: StoreTestContext): string[] {
  return t.logs.filter((l) => l.level === 'warn').map((l) => l.message);
}
