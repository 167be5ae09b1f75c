// The store's single writer connection: prepared statements cached by SQL text, a clock, and the logger that
// tolerant reads report to. Repositories take one of these.
import type { DriverName, RunResult, SqlDriver, SqlStatement, SqlValue } from './driver';

export type StoreLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StoreLog = (level: StoreLogLevel, message: string) => void;

export class Connection {
  private readonly statements = new Map<string, SqlStatement>();

  constructor(
    readonly driver: SqlDriver,
    readonly log: StoreLog,
    readonly now: () => number = Date.now,
  ) {}

  get driverName(): DriverName {
    return this.driver.name;
  }

  statement(sql: string): SqlStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.driver.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  run(sql: string, ...params: SqlValue[]): RunResult {
    return this.statement(sql).run(...params);
  }

  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statement(sql).get<T>(...params);
  }

  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.statement(sql).all<T>(...params);
  }

  exec(sql: string): void {
    this.driver.exec(sql);
  }

  transaction<T>(fn: () => T): T {
    return this.driver.transaction(fn);
  }

  close(): void {
    this.statements.clear();
    this.driver.close();
  }
}
