// WAL checkpoints off the main thread. By default SQLite checkpoints inside a COMMIT once the WAL passes 1 000 pages:
// it copies pages into the database file and fsyncs it, blocking the thread that committed (the extension host) for
// tens of milliseconds, more on a busy disk. Here a worker thread with its own connection to the same file runs a
// PASSIVE checkpoint every few hundred milliseconds (it never blocks the writer), and the main connection stops
// checkpointing by itself only once the worker is ready (and again for one commit whenever the WAL grows past
// MAX_WAL_FRAMES, so that it starts over); if the worker cannot start or dies, the main connection goes back to
// SQLite's automatic checkpoints. Durability does not change: a commit is in the WAL either way.
import { Worker } from 'node:worker_threads';
import type { StoreLog } from './connection';
import type { DriverName, SqlDriver } from './driver';

/** SQLite's default, restored when the worker is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;
/**
 * WAL frames (pages) past which the main connection checkpoints once more by itself. A PASSIVE checkpoint never
 * restarts the WAL: under a steady stream of commits it always lags a little, and only a checkpoint inside a commit
 * (nothing written meanwhile) completes so that the next commit starts the WAL over. The worker has copied nearly
 * everything by then, so that checkpoint is short. About 64 MB with 4 KB pages.
 */
export const MAX_WAL_FRAMES = 16_384;
export const CHECKPOINT_INTERVAL_MS = 250;

// Plain CommonJS run in the worker (eval): no bundling needed, the driver module is resolved by the main thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  db = workerData.driver === 'node:sqlite'
    ? new (require('node:sqlite').DatabaseSync)(workerData.path)
    : new (require(workerData.modulePath))(workerData.path);
  db.exec('PRAGMA busy_timeout = 5000');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  checkpoint.get();
  let large = false;
  const timer = setInterval(() => {
    try {
      const log = checkpoint.get().log;
      if ((log > workerData.maxFrames) !== large) {
        large = !large;
        parentPort.postMessage({ type: large ? 'large' : 'small' });
      }
    } catch (err) { parentPort.postMessage({ type: 'warn', message: String(err && err.message || err) }); }
  }, workerData.intervalMs);
  parentPort.on('message', (m) => {
    if (m !== 'stop') return;
    clearInterval(timer);
    try { db.close(); } catch {}
    parentPort.close();
  });
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  try { if (db) db.close(); } catch {}
  parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) });
}
`;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private ready = false;
  private stopped = false;
  private settle: (active: boolean) => void = () => undefined;
  /** Resolves once the worker took over (true) or could not (false). */
  readonly started = new Promise<boolean>((resolve) => (this.settle = resolve));

  private constructor(
    private readonly driver: SqlDriver,
    private readonly log: StoreLog,
  ) {}

  /** Starts checkpointing `driver`'s database file from a worker thread (a file database in WAL mode). */
  static start(driver: SqlDriver, log: StoreLog, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
    const checkpointer = new WalCheckpointer(driver, log);
    checkpointer.spawn(intervalMs);
    return checkpointer;
  }

  /** Whether the worker took the checkpoints over (false: SQLite's automatic ones run on the main connection). */
  get active(): boolean {
    return this.ready && !this.stopped;
  }

  /** Lets the worker close its connection and end; the main connection checkpoints by itself again. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.settle(false);
    this.worker?.postMessage('stop');
    this.worker = undefined;
    if (this.ready) this.autoCheckpoints(true);
  }

  private autoCheckpoints(on: boolean): void {
    try {
      this.driver.exec(`PRAGMA wal_autocheckpoint = ${on ? AUTO_CHECKPOINT_PAGES : 0}`);
    } catch {
      // The store was closed meanwhile: nothing left to checkpoint.
    }
  }

  private spawn(intervalMs: number): void {
    let modulePath = '';
    if (this.driver.name === 'better-sqlite3') {
      try {
        modulePath = require.resolve('better-sqlite3');
      } catch (err) {
        this.log('warn', `store ${this.driver.path}: checkpoints stay on the main thread (better-sqlite3 not found: ${String(err)})`);
        this.settle(false);
        return;
      }
    }
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: this.driver.name satisfies DriverName, path: this.driver.path, modulePath, intervalMs, maxFrames: MAX_WAL_FRAMES },
    });
    worker.unref();
    this.worker = worker;
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') {
        if (this.stopped) {
          worker.postMessage('stop');
          return;
        }
        this.ready = true;
        this.autoCheckpoints(false);
        this.settle(true);
      } else if ((m.type === 'large' || m.type === 'small') && this.ready && !this.stopped) {
        // Large: the next commit checkpoints and the WAL starts over; then the worker alone again.
        this.autoCheckpoints(m.type === 'large');
      } else if (m.type === 'failed') {
        this.settle(false);
        this.log('warn', `store ${this.driver.path}: checkpoints stay on the main thread (the checkpoint worker could not open the database: ${m.message})`);
      } else if (m.type === 'warn') {
        this.log('debug', `store ${this.driver.path}: background checkpoint failed (tried again): ${m.message}`);
      }
    });
    const gone = (why: string): void => {
      this.settle(false);
      if (this.stopped || this.worker !== worker) return;
      this.worker = undefined;
      if (!this.ready) return;
      this.ready = false;
      this.log('warn', `store ${this.driver.path}: the checkpoint worker ended (${why}); checkpoints are back on the main thread`);
      this.autoCheckpoints(true);
    };
    worker.on('error', (err) => gone(err.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
  }
}
