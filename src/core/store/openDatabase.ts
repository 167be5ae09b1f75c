// Opens the fleet store: picks a SQLite driver that really loads in this runtime (better-sqlite3 first, then
// node:sqlite), applies the connection pragmas, runs the migrations and hands back a FleetStore.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { betterSqliteDriver } from './betterSqliteDriver';
import type { StoreLog } from './connection';
import type { DriverFactory, DriverName, SqlDriver } from './driver';
import { StoreUnavailableError } from './errors';
import { migrate } from './migrations';
import { nodeSqliteDriver } from './nodeSqliteDriver';
import { FleetStore } from './store';
import { WalCheckpointer } from './walCheckpointer';

export type DriverChoice = 'auto' | DriverName;

export interface OpenStoreOptions {
  driver?: DriverChoice;
  log?: StoreLog;
  /** Clock for created/updated times; tests pin it. */
  now?: () => number;
  /** WAL checkpoints from a worker thread instead of inside commits on this thread (walCheckpointer.ts). */
  backgroundCheckpoints?: boolean;
}

export interface OpenedStore {
  store: FleetStore;
  driverName: DriverName;
}

export const DRIVER_FACTORIES: Readonly<Record<DriverName, DriverFactory>> = {
  'better-sqlite3': betterSqliteDriver,
  'node:sqlite': nodeSqliteDriver,
};

const BUSY_TIMEOUT_MS = 5000;

/** Tries to load a driver (module and native binary): undefined when it works here, else why not. */
export function probeDriver(name: DriverName): string | undefined {
  return DRIVER_FACTORIES[name].probe();
}

export function openStore(path: string, options: OpenStoreOptions = {}): OpenedStore {
  const choice = options.driver ?? 'auto';
  const factories = choice === 'auto' ? [betterSqliteDriver, nodeSqliteDriver] : [DRIVER_FACTORIES[choice]];
  return openWithDrivers(path, factories, options);
}

/** openStore with the candidate drivers given (in order of preference); exported for tests. */
export function openWithDrivers(path: string, candidates: readonly DriverFactory[], options: OpenStoreOptions = {}): OpenedStore {
  const log = options.log ?? (() => undefined);
  const reasons: Record<string, string> = {};
  for (const factory of candidates) {
    const reason = factory.probe();
    if (reason === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      const driver = factory.open(path);
      try {
        configure(driver, log);
        const { from, to } = migrate(driver);
        if (from !== to) log('info', `store ${path}: schema migrated from version ${from} to ${to}`);
      } catch (err) {
        driver.close();
        throw err;
      }
      log('debug', `store ${path} opened with ${factory.name}`);
      const store = new FleetStore(driver, log, options.now);
      if (options.backgroundCheckpoints && path !== ':memory:') {
        const checkpointer = WalCheckpointer.start(driver, log);
        store.whenClosing(() => checkpointer.stop());
      }
      return { store, driverName: factory.name };
    }
    reasons[factory.name] = reason;
    const next = candidates[candidates.indexOf(factory) + 1];
    if (next) {
      log('warn', `${factory.name} cannot load in this runtime (${oneLine(reason)}); falling back to ${next.name}`);
    }
  }
  throw new StoreUnavailableError(unavailableMessage(reasons), reasons);
}

function configure(db: SqlDriver, log: StoreLog): void {
  // busy_timeout first, so switching to WAL waits for another window holding the file instead of failing.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const mode = db.prepare('PRAGMA journal_mode = WAL').get<{ journal_mode: string }>()?.journal_mode;
  if (mode !== 'wal') log('warn', `store ${db.path}: WAL journal mode unavailable (got ${mode}); writes will be slower`);
  // NORMAL is crash-safe for the process in WAL mode; the audit log raises it to FULL per append (auditLog.ts).
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
}

function unavailableMessage(reasons: Record<string, string>): string {
  const runtime = process.versions.electron
    ? `Electron ${process.versions.electron} (Node ${process.version}, NODE_MODULE_VERSION ${process.versions.modules})`
    : `Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules})`;
  const rebuild = process.versions.electron
    ? `npx @electron/rebuild --version ${process.versions.electron} --only better-sqlite3`
    : 'npm rebuild better-sqlite3';
  const lines = Object.entries(reasons).map(([name, reason]) => `  - ${name}: ${oneLine(reason)}`);
  return [
    `Flotilla cannot open its database: no SQLite driver loads in ${runtime}.`,
    ...lines,
    `Fix it either way: rebuild better-sqlite3 for this runtime, from the extension's folder: ${rebuild}`,
    `or use a VS Code (or Node) whose built-in Node has node:sqlite (Node >= 22.13, or >= 22.5 with --experimental-sqlite).`,
  ].join('\n');
}

function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}
