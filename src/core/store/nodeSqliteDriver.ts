// SqlDriver on Node's built-in node:sqlite (DatabaseSync, Node >= 22.5; unflagged from 22.13). Required behind a
// guard because the module does not exist on Node 20: importing this file must never crash there.
import type { DriverFactory, SqlDriver } from './driver';
import { cachedLoader, NativeDriver, probeWith } from './nativeDriver';
import type { NativeDatabase } from './nativeDriver';

// The slice of node:sqlite we use; @types/node 20 has no typings for it.
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NativeDatabase;
}

const load = cachedLoader(
  (): NodeSqliteModule => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- guarded: node:sqlite is absent before Node 22.5
    const mod = require('node:sqlite') as NodeSqliteModule;
    new mod.DatabaseSync(':memory:').close();
    return mod;
  },
  (message) => `${message} (this is Node ${process.version}; node:sqlite needs Node >= 22.5, unflagged from 22.13)`,
);

export const nodeSqliteDriver: DriverFactory = {
  name: 'node:sqlite',
  probe: () => probeWith(load),
  open(path: string): SqlDriver {
    const mod = load();
    return new NativeDriver('node:sqlite', path, new mod.DatabaseSync(path));
  },
};
