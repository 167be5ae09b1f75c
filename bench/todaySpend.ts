// The status bar's dollars today at scale (`npx tsx bench/todaySpend.ts [--agents 500] [--days 30] [--per-day 10]`):
// a real SQLite store with agents × days × per-day model requests (3 models, some long-context), then
// 1. TodaySpend's read of today (the one-day Costs report; at start, midnight, a price change or a removal);
// 2. TodaySpend.add per new request (priced on its own and added: what each usage fact costs the status bar);
// 3. the same fact answered by a fresh one-day report, and by the Costs view's 7-day report with past days cached
//    (what the status bar would cost without TodaySpend), in the same run; and that the figures agree.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCostReport, CostDaysCache } from '../src/core/cost/costReport';
import { TodaySpend } from '../src/core/cost/todaySpend';
import { PriceBook } from '../src/core/pricing/priceBook';
import { openStore } from '../src/core/store/openDatabase';
import { asc, numberArg, pct } from './benchKit';

const AGENTS = numberArg('agents', 500);
const DAYS = numberArg('days', 30);
const PER_DAY = numberArg('per-day', 10);
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805'];
const median = (xs: number[]) => pct(asc(xs), 50);
const ms = (n: number) => `${n.toFixed(2)} ms`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-today-'));
const store = openStore(path.join(dir, 'fleet.db')).store;
let x = 12_345;
const rand = (n: number) => {
  x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
  return x % n;
};
const request = () => {
  const cacheWrite = rand(20_000);
  return { input: rand(50) === 0 ? 190_000 + rand(40_000) : rand(6000), output: rand(3000), cacheRead: rand(80_000), cacheWrite, cacheWrite1h: rand(cacheWrite + 1) };
};
const now = Date.now();
const midnight = new Date(now).setHours(0, 0, 0, 0);
store.transaction(() => {
  for (let a = 0; a < AGENTS; a++) {
    store.upsertAgent({ id: `agent-${a}`, name: `agent ${a}`, kind: 'claude-code', status: 'idle' });
    for (let d = 0; d < DAYS; d++) {
      for (let r = 0; r < PER_DAY; r++) {
        // Day 0 is today: its requests fall between midnight and now.
        const at = d === 0 ? midnight + rand(Math.max(1, now - midnight)) : midnight - (d - 1) * 86_400_000 - 1 - rand(86_000_000);
        store.addUsageRequest({ agentId: `agent-${a}`, model: MODELS[rand(3)]!, ...request(), at });
      }
    }
  }
});
console.log(`store: ${AGENTS * DAYS * PER_DAY} requests (${AGENTS} agents × ${DAYS} days × ${PER_DAY}), ${AGENTS * PER_DAY} of them today; load ${os.loadavg()[0]!.toFixed(1)}`);

const book = new PriceBook({});
const spend = new TodaySpend({ history: store, book, now: Date.now });
const reads: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  spend.reset();
  reads.push(performance.now() - t);
}
console.log(`1. read of today (one-day report): median ${ms(median(reads))} (${reads.map((r) => r.toFixed(1)).join(', ')})`);

const N = 2000;
let addMs = 0;
for (let i = 0; i < N; i++) {
  const model = MODELS[rand(3)]!;
  const r = request();
  store.addUsageRequest({ agentId: `agent-${rand(AGENTS)}`, model, ...r });
  const t = performance.now();
  spend.add(model, r);
  addMs += performance.now() - t;
}
const perAdd = (addMs / N) * 1000;
console.log(`2. add per new request: ${perAdd.toFixed(2)} µs (${N} requests; reads of the store meanwhile: ${spend.reads - 5})`);
const incremental = spend.today().usd;

const viewToday = buildCostReport({ days: 7, now: Date.now(), agents: [], budgets: { fleet: undefined, groups: {} }, history: store, book }).fleet.byDay.at(-1)!;
console.log(`   today after the adds: TodaySpend $${incremental.toFixed(6)}, the view's 7-day report $${viewToday.toFixed(6)} (|Δ| ${Math.abs(incremental - viewToday).toExponential(1)})`);
const oneDay: number[] = [];
const cached: number[] = [];
const cache = new CostDaysCache();
const week = () => buildCostReport({ days: 7, now: Date.now(), agents: [], budgets: { fleet: undefined, groups: {} }, history: store, book, cache });
week();
for (let i = 0; i < 10; i++) {
  let t = performance.now();
  spend.reset();
  oneDay.push(performance.now() - t);
  t = performance.now();
  week();
  cached.push(performance.now() - t);
}
console.log(`3. per fact without TodaySpend: a one-day report ${ms(median(oneDay))}, the view's 7-day report with past days cached ${ms(median(cached))}; TodaySpend.add is ${(median(oneDay) / (perAdd / 1000)).toFixed(0)}× cheaper than the first`);
store.close();
fs.rmSync(dir, { recursive: true, force: true });
