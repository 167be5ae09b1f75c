// The small SQL driver interface the store is written against, so the same SQL runs on better-sqlite3 or on
// Node's built-in node:sqlite (whichever can load in this Node / Electron).

export type DriverName = 'better-sqlite3' | 'node:sqlite';
export const DRIVER_NAMES: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

/** What a parameter may be; undefined binds as NULL and booleans as 0/1 (both drivers, same behaviour). */
export type SqlValue = string | number | bigint | null | undefined | boolean | Uint8Array;
export type SqlRow = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

export interface SqlStatement {
  run(...params: SqlValue[]): RunResult;
  get<T = SqlRow>(...params: SqlValue[]): T | undefined;
  all<T = SqlRow>(...params: SqlValue[]): T[];
}

export interface SqlDriver {
  readonly name: DriverName;
  readonly path: string;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** Runs fn in BEGIN IMMEDIATE..COMMIT (a SAVEPOINT when nested); rolls back if fn throws. fn must be synchronous. */
  transaction<T>(fn: () => T): T;
  readonly inTransaction: boolean;
  close(): void;
}

export interface DriverFactory {
  readonly name: DriverName;
  /**
   * Loads the driver's module (and native binary) without touching any file: returns undefined when usable,
   * or the reason it is not (the real load error's message).
   */
  probe(): string | undefined;
  open(path: string): SqlDriver;
}

/** Normalises a parameter the same way for both drivers (neither binds undefined; only one binds booleans). */
export function bindable(value: SqlValue): string | number | bigint | null | Uint8Array {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function toRunResult(result: { changes: number | bigint; lastInsertRowid: number | bigint }): RunResult {
  return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
}
