// The Costs report off the host's thread, on a real SQLite file: the bundled worker opens its own read-only connection
// with the store's driver and returns the very report the in-thread path computes; it sees requests written after it
// started (WAL); a newer report supersedes an older one; and when the worker cannot start the report
// runs in this thread and the log says why.
import assert from 'node:assert/strict';
import { CostReportRunner } from '../../../src/core/cost/costReportRunner';
import { CostReportState, runCostReportJob, SupersededError } from '../../../src/core/cost/costReportJob';
import type { CostReportJob } from '../../../src/core/cost/costReportJob';
import type { FleetStore } from '../../../src/core/store/store';
import { describeEachDriver } from '../store/storeTestKit';
import { costWorkerBundle } from './costWorkerBundle';

const SONNET = 'claude-sonnet-4-5-20250929';
const HOUR = 3_600_000;

describeEachDriver('costs report runner', (t) => {
  const runners: CostReportRunner[] = [];
  afterEach(() => runners.splice(0).forEach((r) => r.dispose()));
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`) };
  const runner = (store: FleetStore, workerScript: string) => {
    const r = new CostReportRunner({ workerScript, dbPath: t.dbPath, driver: t.driver, history: store, log });
    runners.push(r);
    return r;
  };
  const seed = (store: FleetStore, now: number) => {
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: `<i>${id}</i>`, kind: 'claude-code', status: 'idle', groupName: 'team' });
    for (let h = 1; h < 100; h++) store.addUsageRequest({ agentId: h % 2 ? 'a1' : 'a2', model: SONNET, input: 1000 * h, output: 100, cacheRead: 5000, cacheWrite: 2000, cacheWrite1h: 500, at: now - h * HOUR });
  };
  const job = (now: number, overrides: unknown = {}): CostReportJob => ({
    days: 7,
    now,
    agents: [{ id: 'a1', name: '<i>a1</i>', group: 'team', status: 'idle', costUsd: 1, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } }],
    budgets: { fleet: { usd: 10 }, groups: {} },
    overrides,
  });
  beforeEach(() => logs.splice(0));

  it('computes in the worker the same report as in this thread, and sees later writes', async () => {
    const store = t.open();
    const now = Date.now();
    seed(store, now);
    const r = runner(store, await costWorkerBundle());
    const fromWorker = await r.report(job(now));
    assert.deepEqual(r.mode, { kind: 'worker' });
    assert.ok(logs.some((l) => l.startsWith('info Costs reports run in a worker thread')), logs.join('\n'));
    const inThread = runCostReportJob(job(now), store, new CostReportState());
    assert.deepEqual(fromWorker, inThread);
    assert.equal(fromWorker.fleet.requests, 99);
    assert.ok(fromWorker.fleet.periodUsd > 0);

    // A request written by the host after the worker opened its connection, and new overrides: both in the next report.
    store.addUsageRequest({ agentId: 'a2', model: SONNET, input: 100_000, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now });
    const later = await r.report(job(now + 1));
    assert.equal(later.fleet.requests, 100);
    assert.equal((later.fleet.periodUsd - fromWorker.fleet.periodUsd).toFixed(6), '0.300000');
    // Overrides as VS Code hands them over: a proxy (structured clone refuses one).
    const doubled = await r.report(job(now + 1, new Proxy({ 'claude-sonnet-*': { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 } }, {})));
    assert.equal(doubled.fleet.periodUsd.toFixed(6), (2 * later.fleet.periodUsd).toFixed(6));
  });

  it('a newer report supersedes an older one still asked for', async () => {
    const store = t.open();
    const now = Date.now();
    seed(store, now);
    const r = runner(store, await costWorkerBundle());
    await r.report(job(now)); // started
    const first = r.report(job(now));
    const second = r.report({ ...job(now), days: 30 });
    await assert.rejects(first, SupersededError);
    const report = await second;
    assert.equal(report.days, 30);
  });

  it('runs in this thread, and says why, when the worker cannot start', async () => {
    const store = t.open();
    const now = Date.now();
    seed(store, now);
    const r = runner(store, `${t.dir}/no-such-worker.js`);
    const report = await r.report(job(now));
    assert.equal(report.fleet.requests, 99);
    assert.equal(r.mode.kind, 'in-thread');
    assert.ok(logs.some((l) => l.startsWith("warn Costs reports run on the extension host's thread: no worker script at")), logs.join('\n'));
  });
});
