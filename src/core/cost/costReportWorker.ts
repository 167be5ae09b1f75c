// The Costs report's worker thread (bundled by esbuild.mjs as dist/costReportWorker.js): its own connection to the
// fleet's SQLite file (WAL lets it read while the extension host writes), with the driver the host opened the store
// with, made read-only (query_only). Runs one job at a time; a job whose id is no longer the newest the host asked for
// (a shared counter) stops before its next query. Messages: see costReportProtocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { betterSqliteDriver } from '../store/betterSqliteDriver';
import { nodeSqliteDriver } from '../store/nodeSqliteDriver';
import { Connection } from '../store/connection';
import { UsageRepo } from '../store/usageRepo';
import type { CostHistory } from './costReport';
import { CostReportState, runCostReportJob, SupersededError } from './costReportJob';
import { CostWorkerDataSchema, CostWorkerRequestSchema } from './costReportProtocol';
import type { CostWorkerReply } from './costReportProtocol';

const port = parentPort;
const reply = (m: CostWorkerReply) => port?.postMessage(m);
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

function open(): { history: CostHistory; latest: Int32Array } {
  const data = CostWorkerDataSchema.parse(workerData);
  const factory = data.driver === 'better-sqlite3' ? betterSqliteDriver : nodeSqliteDriver;
  const why = factory.probe();
  if (why !== undefined) throw new Error(`${data.driver} does not load in the worker: ${why}`);
  const driver = factory.open(data.dbPath);
  driver.exec('PRAGMA busy_timeout = 5000');
  driver.exec('PRAGMA query_only = ON');
  const repo = new UsageRepo(new Connection(driver, () => undefined));
  const history: CostHistory = {
    usageRequestInputRanges: (since, until) => repo.requestInputRanges(since, until),
    usageRequestSums: (dayStarts, until, bounds) => repo.requestSums(dayStarts, until, bounds),
    usageRequestTokensPerAgent: () => repo.requestTokensPerAgent(),
    usageSubagentRequests: (filter) => repo.subagentRequests(filter),
  };
  return { history, latest: new Int32Array(data.latest) };
}

if (port) {
  let opened: ReturnType<typeof open> | undefined;
  try {
    opened = open();
    reply({ type: 'ready' });
  } catch (err) {
    reply({ type: 'failed', reason: reason(err) });
  }
  const state = new CostReportState();
  port.on('message', (raw: unknown) => {
    const parsed = CostWorkerRequestSchema.safeParse(raw);
    if (!parsed.success || !opened) return;
    const { id, job } = parsed.data;
    const { history, latest } = opened;
    try {
      const report = runCostReportJob(job, history, state, () => Atomics.load(latest, 0) === id);
      reply({ type: 'report', id, report });
    } catch (err) {
      reply(err instanceof SupersededError ? { type: 'superseded', id } : { type: 'error', id, message: reason(err) });
    }
  });
}
