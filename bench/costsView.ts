// Costs view at scale (`npx tsx bench/costsView.ts [--agents 500] [--days 30] [--per-day 10] [--runs 3]`): a real
// SQLite store holding `agents` agents (20 groups, 3 models, some long-context requests) with `per-day` model requests
// each per day over `days` days; then
// 1. the report query (src/core/cost/costReport.ts: read the period's requests, price them, total per fleet, group,
//    agent, model and local day) for 30 and 7 days, each run with fresh price rates and no cache; then a live
//    refresh (past days cached, today read again after a new request);
// 1b. the host's event-loop lag while a 30-day report runs, in this thread vs in the worker (src/core/cost/
//    costReportRunner.ts with the bundled dist/costReportWorker.js), alternating, fresh rates and no cache each run:
//    a 10 ms timer's lateness, p99 and max over the report's duration;
// 2. first paint of the real panel bundle in headless Chromium under its real CSP (stub acquireVsCodeApi, messages
//    delivered as VS Code does) through the real CostsHostEndpoint: `ready` -> report -> painted, against the same
//    page on an empty fleet in the same run. "handled": the report message's handler; "painted": from delivery to the
//    end of the next frame (rAF, then a task); "open": from navigation start to that frame (script load, ready, the
//    query, delivery). Run Chromium benches under `flock /tmp/flotilla-workbench.lock`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildCostReport, CostDaysCache } from '../src/core/cost/costReport';
import type { CostAgent } from '../src/core/cost/costReport';
import { CostReportRunner } from '../src/core/cost/costReportRunner';
import { RequestPricer } from '../src/core/cost/requestPricer';
import { PriceBook } from '../src/core/pricing/priceBook';
import { openStore } from '../src/core/store/openDatabase';
import type { FleetStore } from '../src/core/store/store';
import { CostsHostEndpoint } from '../src/shared/webview/costsHost';
import type { CostPeriod } from '../src/shared/webview/costsProtocol';
import { launchChromium } from '../test/unit/webview/approvalsPage';
import { bundleCosts, openCostsPage } from '../test/unit/webview/costsPage';
import type { CostsBundle } from '../test/unit/webview/costsPage';
import { costWorkerBundle } from '../test/unit/cost/costWorkerBundle';
import { asc, numberArg, pct } from './benchKit';

const AGENTS = numberArg('agents', 500);
const DAYS = numberArg('days', 30);
const PER_DAY = numberArg('per-day', 10);
const RUNS = numberArg('runs', 3);
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805'];
const fmt = (n: number) => `${n.toFixed(1)} ms`;
const quiet = { warn: (m: string) => console.error(m), error: (m: string | Error) => console.error(String(m)) };
const median = (xs: number[]) => pct(asc(xs), 50);

interface Fleet {
  readonly store: FleetStore;
  readonly agents: CostAgent[];
  readonly rows: number;
  readonly dir: string;
  readonly dbPath: string;
}

function seed(agentCount: number): Fleet {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-costs-'));
  const store = openStore(path.join(dir, 'fleet.db')).store;
  const now = Date.now();
  let x = 12_345;
  const rand = (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % n;
  };
  const agents: CostAgent[] = [];
  let rows = 0;
  store.transaction(() => {
    for (let a = 0; a < agentCount; a++) {
      const id = `agent-${a}`;
      const group = `team-${a % 20}`;
      store.upsertAgent({ id, name: `agent ${a} <${group}>`, kind: 'claude-code', status: 'idle', groupName: group });
      const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
      for (let d = 0; d < DAYS; d++) {
        for (let r = 0; r < PER_DAY; r++) {
          const cacheWrite = rand(20_000);
          const input = rand(50) === 0 ? 190_000 + rand(40_000) : rand(6000);
          const req = { agentId: id, model: MODELS[rand(10) < 6 ? 0 : rand(10) < 8 ? 1 : 2]!, input, output: rand(3000), cacheRead: rand(80_000), cacheWrite, cacheWrite1h: rand(cacheWrite + 1), at: now - d * 86_400_000 - rand(86_000_000) };
          store.addUsageRequest(req);
          usage.input += req.input;
          usage.output += req.output;
          usage.cacheRead += req.cacheRead;
          usage.cacheWrite += req.cacheWrite;
          rows++;
        }
      }
      agents.push({ id, name: `agent ${a} <${group}>`, group, status: a % 7 === 0 ? 'working' : 'idle', costUsd: 0, usage, ...(a % 5 === 0 ? { budget: { usd: 50 } } : {}) });
    }
  });
  return { store, agents, rows, dir, dbPath: path.join(dir, 'fleet.db') };
}

const budgets = { fleet: { usd: 20_000 }, groups: Object.fromEntries(Array.from({ length: 10 }, (_, g) => [`team-${g}`, { usd: 1000 }])) };
const book = new PriceBook({});
const report = (f: Fleet, days: CostPeriod, pricer?: RequestPricer) => buildCostReport({ days, now: Date.now(), agents: f.agents, budgets, history: f.store, book, ...(pricer ? { pricer } : {}) });

// In-page: the first report message's handling and the frame after it, from delivery and from navigation start.
const DELIVER = `(message) => {
  const t = performance.now();
  window.dispatchEvent(new MessageEvent('message', { data: message }));
  const handled = performance.now() - t;
  if (window.__paint === undefined && message.type === 'report') {
    window.__paint = null;
    requestAnimationFrame(() => setTimeout(() => { const end = performance.now(); window.__paint = { handled, painted: end - t, open: end }; }, 0));
  }
}`;

async function firstPaint(browser: Browser, bundle: CostsBundle, f: Fleet): Promise<{ handled: number; painted: number; open: number; query: number; rows: number; bytes: number }> {
  const state: { endpoint?: CostsHostEndpoint; page?: Awaited<ReturnType<typeof openCostsPage>>['page']; query: number; bytes: number } = { query: 0, bytes: 0 };
  const early: unknown[] = [];
  const deliveries: Promise<unknown>[] = [];
  const opened = await openCostsPage(browser, bundle, (m) => (state.endpoint ? state.endpoint.receive(m) : early.push(m)));
  try {
    state.page = opened.page;
    await opened.page.evaluate(`window.__deliver = ${DELIVER}`);
    state.endpoint = new CostsHostEndpoint({
      report: (days) => {
        const t = performance.now();
        const r = report(f, days);
        state.query = performance.now() - t;
        return r;
      },
      post: (m) => {
        state.bytes = JSON.stringify(m).length;
        const sent = opened.page.evaluate((message) => (globalThis as unknown as { __deliver(m: unknown): void }).__deliver(message), m);
        deliveries.push(sent);
        return sent;
      },
      log: quiet,
    });
    for (const m of early) state.endpoint.receive(m);
    await opened.page.waitForFunction(() => Boolean((globalThis as unknown as { __paint?: unknown }).__paint), undefined, { timeout: 120_000 });
    await Promise.all(deliveries);
    const paint = await opened.page.evaluate<{ handled: number; painted: number; open: number }>('window.__paint');
    const rows = await opened.page.evaluate<number>("document.querySelectorAll('[data-testid=agents-table] tbody tr').length");
    const csp = await opened.page.evaluate<string[]>('window.__csp');
    if (csp.length > 0 || opened.problems.length > 0) console.error(`page problems: ${[...csp, ...opened.problems].slice(0, 5).join(' | ')}`);
    return { ...paint, query: state.query, rows, bytes: state.bytes };
  } finally {
    state.endpoint?.dispose();
    await opened.page.context().close();
  }
}

/** The host's event-loop lag (a 10 ms timer's lateness, ms) while `work` runs, and how long it took. */
async function lagDuring(work: () => Promise<unknown>): Promise<{ lags: number[]; ms: number }> {
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    lags.push(Math.max(0, t - last - 10));
    last = t;
  }, 10);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const end = performance.now();
  lags.push(Math.max(0, end - last - 10));
  return { lags, ms: end - started };
}

async function lagInThreadVsWorker(f: Fleet): Promise<void> {
  const log = { info: () => undefined, warn: (m: string) => console.error(m) };
  const workerScript = await costWorkerBundle();
  const inThread = new CostReportRunner({ workerScript, dbPath: f.dbPath, driver: f.store.driverName, history: f.store, log, inThread: true });
  const worker = new CostReportRunner({ workerScript, dbPath: f.dbPath, driver: f.store.driverName, history: f.store, log });
  // The worker's start (thread, bundle, connection) once, outside the measure; it is printed apart.
  const t = performance.now();
  await worker.report({ days: 7, now: Date.now(), agents: [], budgets, overrides: {} });
  console.log(`   worker start + first 7-day report ${fmt(performance.now() - t)} (${worker.mode.kind})`);
  const runs = { 'in-thread': [] as { lags: number[]; ms: number }[], worker: [] as { lags: number[]; ms: number }[] };
  try {
    for (let i = 0; i < Math.max(RUNS, 3); i++) {
      for (const [label, runner] of [['in-thread', inThread], ['worker', worker]] as const) {
        // An override no model matches: a new prices key, so fresh rates and no cached days each run.
        const job = { days: 30 as const, now: Date.now(), agents: f.agents, budgets, overrides: { [`bench-none-${label}-${i}`]: { input: 0, output: 0 } } };
        runs[label].push(await lagDuring(() => runner.report(job)));
      }
    }
  } finally {
    inThread.dispose();
    worker.dispose();
  }
  for (const [label, xs] of Object.entries(runs)) {
    const lags = asc(xs.flatMap((x) => x.lags));
    console.log(`   ${label.padEnd(10)} report median ${fmt(median(xs.map((x) => x.ms)))}  host lag p50 ${fmt(pct(lags, 50))}  p99 ${fmt(pct(lags, 99))}  max ${fmt(lags[lags.length - 1]!)}  (${lags.length} samples, n=${xs.length})`);
  }
  const p99 = (xs: { lags: number[] }[]) => pct(asc(xs.flatMap((x) => x.lags)), 99);
  console.log(`   host lag p99 in-thread / worker: x${(p99(runs['in-thread']) / Math.max(p99(runs.worker), 0.001)).toFixed(0)}`);
}

async function main(): Promise<void> {
  let t = performance.now();
  const full = seed(AGENTS);
  const seedMs = performance.now() - t;
  const empty = seed(0);
  console.log(`Costs view bench: ${AGENTS} agents x ${DAYS} days x ${PER_DAY} requests/day = ${full.rows} stored requests (seeded in ${fmt(seedMs)}); ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    console.log('\n1. Report query (read + price + totals), fresh rates each run');
    for (const days of [30, 7] as const) {
      const times: number[] = [];
      let lookups = 0;
      for (let i = 0; i < Math.max(RUNS, 3); i++) {
        const pricer = new RequestPricer(book);
        t = performance.now();
        const r = report(full, days, pricer);
        times.push(performance.now() - t);
        lookups = pricer.lookups;
        if (i === 0) console.log(`   ${days} days: ${r.fleet.requests} requests, fleet $${r.fleet.periodUsd.toFixed(2)}, ${r.groups.length} groups, ${r.models.length} models, ${lookups} price-book lookups`);
      }
      console.log(`   ${`${days} days`.padEnd(10)} median ${fmt(median(times))}  min ${fmt(Math.min(...times))}  max ${fmt(Math.max(...times))}  (n=${times.length})`);
    }
    // A live refresh: past days from the cache, today read again (one new request each time).
    const cache = new CostDaysCache();
    buildCostReport({ days: 30, now: Date.now(), agents: full.agents, budgets, history: full.store, book, cache, pricesKey: '{}' });
    const refreshes: number[] = [];
    for (let i = 0; i < 5; i++) {
      full.store.addUsageRequest({ agentId: 'agent-0', model: MODELS[0]!, input: 1000, output: 100, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
      t = performance.now();
      buildCostReport({ days: 30, now: Date.now(), agents: full.agents, budgets, history: full.store, book, cache, pricesKey: '{}' });
      refreshes.push(performance.now() - t);
    }
    console.log(`   30 days, live refresh (past days cached) median ${fmt(median(refreshes))}  min ${fmt(Math.min(...refreshes))}  max ${fmt(Math.max(...refreshes))}  (n=${refreshes.length})`);
    t = performance.now();
    const rows = full.store.usageRequestsSince(0).length;
    console.log(`   (reading the ${rows} rows alone: ${fmt(performance.now() - t)})`);

    console.log('\n1b. Host event-loop lag while a 30-day report runs, in this thread vs in the worker (alternating)');
    await lagInThreadVsWorker(full);

    const bundle = await bundleCosts();
    const browser = await launchChromium();
    try {
      console.log(`\n2. First paint in headless Chromium (bundle ${(bundle.js.length / 1024).toFixed(0)} KiB js), ${RUNS} runs each, alternating`);
      const e: Awaited<ReturnType<typeof firstPaint>>[] = [];
      const b: Awaited<ReturnType<typeof firstPaint>>[] = [];
      for (let i = 0; i < RUNS; i++) {
        e.push(await firstPaint(browser, bundle, empty));
        b.push(await firstPaint(browser, bundle, full));
      }
      const show = (label: string, xs: typeof b) =>
        `   ${label.padEnd(28)} query ${fmt(median(xs.map((x) => x.query))).padStart(9)}  handled ${fmt(median(xs.map((x) => x.handled))).padStart(9)}  painted ${fmt(median(xs.map((x) => x.painted))).padStart(9)}  open->painted ${fmt(median(xs.map((x) => x.open))).padStart(9)}  (${xs[0]!.rows} agent rows, message ${(xs[0]!.bytes / 1024).toFixed(0)} KiB)`;
      console.log(show('empty fleet (baseline)', e));
      console.log(show(`${AGENTS} agents x ${DAYS} days`, b));
      console.log(`   ratio painted x${(median(b.map((x) => x.painted)) / median(e.map((x) => x.painted))).toFixed(1)}, open->painted x${(median(b.map((x) => x.open)) / median(e.map((x) => x.open))).toFixed(1)} (medians)`);
    } finally {
      await browser.close();
    }
  } finally {
    for (const f of [full, empty]) {
      f.store.close();
      fs.rmSync(f.dir, { recursive: true, force: true });
    }
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
