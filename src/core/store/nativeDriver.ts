// The SqlDriver both backends share: better-sqlite3 and node:sqlite expose the same synchronous shape
// (exec, prepare -> run/get/all, close), so only loading differs between them.
import { bindable, toRunResult } from './driver';
import type { DriverName, RunResult, SqlDriver, SqlRow, SqlStatement, SqlValue } from './driver';
import { TransactionRunner } from './transaction';

type Bound = string | number | bigint | null | Uint8Array;

export interface NativeStatement {
  run(...params: Bound[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: Bound[]): unknown;
  all(...params: Bound[]): unknown[];
}

export interface NativeDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): NativeStatement;
  close(): unknown;
}

class NativeSqlStatement implements SqlStatement {
  constructor(private readonly stmt: NativeStatement) {}

  run(...params: SqlValue[]): RunResult {
    return toRunResult(this.stmt.run(...params.map(bindable)));
  }

  get<T = SqlRow>(...params: SqlValue[]): T | undefined {
    return this.stmt.get(...params.map(bindable)) as T | undefined;
  }

  all<T = SqlRow>(...params: SqlValue[]): T[] {
    return this.stmt.all(...params.map(bindable)) as T[];
  }
}

export class NativeDriver implements SqlDriver {
  private readonly tx: TransactionRunner;

  constructor(
    readonly name: DriverName,
    readonly path: string,
    private readonly db: NativeDatabase,
  ) {
    // Our own BEGIN/SAVEPOINT runner for both, so both drivers run the very same SQL.
    this.tx = new TransactionRunner((sql) => void this.db.exec(sql));
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    return new NativeSqlStatement(this.db.prepare(sql));
  }

  transaction<T>(fn: () => T): T {
    return this.tx.run(fn);
  }

  get inTransaction(): boolean {
    return this.tx.active;
  }

  close(): void {
    this.db.close();
  }
}

/** Caches a module load attempt: the value, or the load error's message for every later call. */
export function cachedLoader<T>(load: () => T, explain: (message: string) => string = (m) => m): () => T {
  let loaded: { value: T } | { error: string } | undefined;
  return () => {
    if (!loaded) {
      try {
        loaded = { value: load() };
      } catch (err) {
        loaded = { error: explain(err instanceof Error ? err.message : String(err)) };
      }
    }
    if ('error' in loaded) throw new Error(loaded.error);
    return loaded.value;
  };
}

export function probeWith(load: () => unknown): string | undefined {
  try {
    load();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
