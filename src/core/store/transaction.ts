// Transactions for drivers that only offer exec(): BEGIN IMMEDIATE at the top level (takes the write lock up
// front, so read-then-write such as the audit chain cannot interleave with another writer), SAVEPOINTs inside.

export class TransactionRunner {
  private depth = 0;

  constructor(private readonly exec: (sql: string) => void) {}

  get active(): boolean {
    return this.depth > 0;
  }

  run<T>(fn: () => T): T {
    const savepoint = this.depth > 0 ? `flotilla_sp_${this.depth}` : undefined;
    this.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN IMMEDIATE');
    this.depth++;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) {
        throw new TypeError('store transactions must be synchronous: the callback returned a Promise');
      }
    } catch (err) {
      this.depth--;
      this.rollback(savepoint);
      throw err;
    }
    this.depth--;
    try {
      this.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
    } catch (err) {
      // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open: undo it so the connection stays usable.
      this.rollback(savepoint);
      throw err;
    }
    return result;
  }

  private rollback(savepoint: string | undefined): void {
    try {
      this.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
    } catch {
      // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); nothing left to undo.
    }
  }
}
