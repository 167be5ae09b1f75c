// Runs Costs reports off the extension host's thread: a worker (costReportWorker.ts) with its own read-only
// connection to the store's file and the same SQLite driver, started on the first report and kept. A newer report
// supersedes an older one still running (its promise rejects with SupersededError; the worker stops it before its
// next query). When the worker cannot start (no script, a driver that does not load in a worker, a crash), the
// reports run in this thread instead, and the log says why — once.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CostReport } from '../../shared/webview/costsProtocol';
import type { DriverName } from '../store/driver';
import type { CostHistory } from './costReport';
import { CostReportState, runCostReportJob, SupersededError } from './costReportJob';
import type { CostReportJob } from './costReportJob';
import type { CostWorkerData, CostWorkerReply, CostWorkerRequest } from './costReportProtocol';

export interface CostReportRunnerOptions {
  /** The bundled worker (dist/costReportWorker.js). */
  readonly workerScript: string;
  readonly dbPath: string;
  readonly driver: DriverName;
  /** The store itself, for the in-thread fallback. */
  readonly history: CostHistory;
  readonly log: { info(message: string): void; warn(message: string): void };
  /** Tests: no worker at all (the in-thread path). */
  readonly inThread?: boolean;
}

interface Pending {
  readonly id: number;
  readonly resolve: (report: CostReport) => void;
  readonly reject: (err: Error) => void;
}

export class CostReportRunner {
  private worker: Worker | undefined;
  private starting: Promise<boolean> | undefined;
  private fallbackWhy: string | undefined;
  private readonly latest = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  private pending: Pending | undefined;
  private readonly state = new CostReportState();
  private disposed = false;

  constructor(private readonly options: CostReportRunnerOptions) {
    if (options.inThread) this.fallbackWhy = 'asked for (inThread)';
  }

  /** Where reports run now: 'worker', or 'in-thread' with why. */
  get mode(): { kind: 'worker' } | { kind: 'in-thread'; why: string } | { kind: 'not started' } {
    if (this.fallbackWhy !== undefined) return { kind: 'in-thread', why: this.fallbackWhy };
    return this.worker ? { kind: 'worker' } : { kind: 'not started' };
  }

  /** The report of a job; rejects with SupersededError when a newer report was asked for first. */
  async report(job: CostReportJob): Promise<CostReport> {
    const id = ++this.nextId;
    Atomics.store(this.latest, 0, id);
    this.pending?.reject(new SupersededError());
    this.pending = undefined;
    this.worker?.unref();
    if (this.disposed) throw new Error('the costs report runner was disposed');
    if (this.fallbackWhy === undefined && (await this.start()) && this.worker && id === this.nextId) {
      const worker = this.worker;
      return new Promise<CostReport>((resolve, reject) => {
        this.pending = { id, resolve, reject };
        // Held while a job runs (a plain Node program would otherwise end while it waits), let go when idle.
        worker.ref();
        try {
          // As JSON: settings objects from VS Code (the overrides, the budgets) are proxies, which cannot be cloned.
          const request: CostWorkerRequest = { type: 'job', id, job: JSON.parse(JSON.stringify(job)) as CostReportJob };
          worker.postMessage(request);
        } catch (err) {
          this.pending = undefined;
          worker.unref();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    }
    if (id !== this.nextId) throw new SupersededError();
    return runCostReportJob(job, this.options.history, this.state);
  }

  dispose(): void {
    this.disposed = true;
    this.pending?.reject(new SupersededError());
    this.pending = undefined;
    // Kept for the process's life otherwise; a terminated worker's connection closes with it.
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Promise<boolean> {
    this.starting ??= new Promise<boolean>((resolve) => {
      const { workerScript, dbPath, driver } = this.options;
      if (!existsSync(workerScript)) {
        this.fallBack(`no worker script at ${workerScript}`);
        resolve(false);
        return;
      }
      let worker: Worker;
      try {
        const data: CostWorkerData = { dbPath, driver, latest: this.latest.buffer as SharedArrayBuffer };
        worker = new Worker(workerScript, { workerData: data, name: 'flotilla-costs' });
      } catch (err) {
        this.fallBack(`the worker did not start: ${err instanceof Error ? err.message : String(err)}`);
        resolve(false);
        return;
      }
      worker.unref();
      worker.on('message', (m: CostWorkerReply) => {
        if (m.type === 'ready') {
          this.worker = worker;
          this.options.log.info(`Costs reports run in a worker thread (${driver}, read-only connection to ${dbPath})`);
          resolve(true);
        } else if (m.type === 'failed') {
          this.fallBack(`the worker could not open the store: ${m.reason}`);
          void worker.terminate();
          resolve(false);
        } else this.settle(m);
      });
      worker.on('error', (err) => {
        this.fallBack(`the worker failed: ${err.message}`);
        this.worker = undefined;
        resolve(false);
        this.pending?.reject(new Error(`the costs worker failed: ${err.message}`));
        this.pending = undefined;
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        if (!this.disposed) this.fallBack(`the worker exited (code ${code})`);
        this.pending?.reject(new Error(`the costs worker exited (code ${code})`));
        this.pending = undefined;
      });
    });
    return this.starting;
  }

  private settle(m: Exclude<CostWorkerReply, { type: 'ready' | 'failed' }>): void {
    const p = this.pending;
    if (!p || p.id !== m.id) return;
    this.pending = undefined;
    this.worker?.unref();
    if (m.type === 'report') p.resolve(m.report);
    else if (m.type === 'superseded') p.reject(new SupersededError());
    else p.reject(new Error(m.message));
  }

  private fallBack(why: string): void {
    if (this.fallbackWhy !== undefined) return;
    this.fallbackWhy = why;
    this.options.log.warn(`Costs reports run on the extension host's thread: ${why}`);
  }
}
