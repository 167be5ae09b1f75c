// The SqlDriver both backends share: better-sqlite3 and node:sqlite expose the same synchronous shape
// (exec, prepare -> run/get/all, close), so only loading differs between them.
import { bindable, toRunResult } from './driver';
import type { DriverName, RunResult, SqlDriver, SqlRow, SqlStatement, SqlValue } from './driver';
import { TransactionRunner } from './transaction';

type Bound = string | number | bigint | null | Uint8Array;

/**
 * Every database and statement object a native driver makes is kept for the life of the process, never left to the
 * garbage collector: under Node 24 a better-sqlite3 object (a node::ObjectWrap) that V8 collects outside a context
 * aborts the whole process in its destructor ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook,
 * SIGABRT) — it took the extension host down a second after start when the driver probe's closed database was
 * collected. A closed database or a finalized statement is a few hundred bytes; statements are cached by SQL text.
 */
const keptAlive: unknown[] = [];
export function keepAlive<T>(object: T): T {
  keptAlive.push(object);
  return object;
}

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
  /** By SQL text; kept alive with the database (see keepAlive). */
  private readonly statements = keepAlive(new Map<string, NativeSqlStatement>());

  constructor(
    readonly name: DriverName,
    readonly path: string,
    private readonly db: NativeDatabase,
  ) {
    keepAlive(db);
    // Our own BEGIN/SAVEPOINT runner for both, so both drivers run the very same SQL.
    this.tx = new TransactionRunner((sql) => void this.db.exec(sql));
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = new NativeSqlStatement(this.db.prepare(sql));
      this.statements.set(sql, stmt);
    }
    return stmt;
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
