// SqlDriver on better-sqlite3 (native addon). Loaded lazily and guarded: its binary is built for one
// NODE_MODULE_VERSION, and VS Code's Electron or another Node cannot load it; openStore then falls back.
import type BetterSqlite3 from 'better-sqlite3';
import type { DriverFactory, SqlDriver } from './driver';
import { cachedLoader, keepAlive, NativeDriver, probeWith } from './nativeDriver';
import type { NativeDatabase } from './nativeDriver';

type DatabaseConstructor = typeof BetterSqlite3;

const load = cachedLoader((): DatabaseConstructor => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- guarded load of an optional native module
  const ctor = require('better-sqlite3') as DatabaseConstructor;
  // require() succeeds anywhere; the native binary is only loaded by the constructor, so really open one (and keep
  // the object: see keepAlive).
  keepAlive(new ctor(':memory:')).close();
  return ctor;
});

export const betterSqliteDriver: DriverFactory = {
  name: 'better-sqlite3',
  probe: () => probeWith(load),
  open(path: string): SqlDriver {
    const ctor = load();
    return new NativeDriver('better-sqlite3', path, new ctor(path) as unknown as NativeDatabase);
  },
};
