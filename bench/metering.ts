// Metering under load, in plain Node: 100 agents x 50 usage events/s through the real SignalRouter and Fleet, each
// request priced on its own by the real PriceBook and kept in a real SQLite store (usage_requests), against the same
// load with budgets on (BudgetWatch over per-agent, per-group and fleet budgets, 70/90/100 % alerts, pauses, and the
// budget gate asked once per 10 events as a tool call would), in alternating blocks of one run. Prints event-loop
// lag p50/p99/max and CPU per event per mode and the ratio.
// Usage: npx tsx bench/metering.ts [--seconds 30] [--agents 100] [--rate 50]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentSignal } from '../src/core/agents/agentSignal';
import { ActionApprover } from '../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../src/core/approvals/approvalQueue';
import { budgetGate } from '../src/core/approvals/budgetGate';
import type { ActionGate } from '../src/core/approvals/gateChain';
import { gateChain } from '../src/core/approvals/gateChain';
import { BudgetWatch } from '../src/core/budget/budgetWatch';
import { systemClock } from '../src/core/clock';
import { Fleet } from '../src/core/fleet/fleet';
import { SignalRouter } from '../src/core/fleet/signalRouter';
import type { Logger } from '../src/core/log';
import { PriceBook } from '../src/core/pricing/priceBook';
import { openStore } from '../src/core/store/openDatabase';
import { MemoryPersistence } from '../test/unit/core/fleetKit';
import { asc, numberArg, pacedLoad, pct } from './benchKit';

const SECONDS = numberArg('seconds', 30);
const AGENTS = numberArg('agents', 100);
const RATE = numberArg('rate', 50);
const BLOCKS = 4; // off, on, off, on: drift of a shared machine hits both modes alike
const MODEL = 'claude-sonnet-4-5-20250929';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-metering-'));
const { store } = openStore(path.join(dir, 'fleet.db'));
const fleet = new Fleet(new MemoryPersistence(), quiet);
const book = new PriceBook();
const queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }));
const router = new SignalRouter({
  fleet,
  approvals: queue,
  approver: new ActionApprover(gateChain([]), queue, quiet),
  log: quiet,
  clock: systemClock,
  price: (model, u, request) => {
    const p = book.price(model, { ...u, cacheWrite1h: request?.cacheWrite1h ?? 0 });
    return p.ok ? p.costUsd : undefined;
  },
  onRequest: (agentId, r) => store.addUsageRequest({ agentId, model: r.model, requestId: r.requestId, input: r.delta.input, output: r.delta.output, cacheRead: r.delta.cacheRead, cacheWrite: r.delta.cacheWrite, cacheWrite1h: r.cacheWrite1h ?? 0 }),
});

// Each agent: a budget it reaches within the run (about $0.01 per event), in one of 10 groups with budgets too.
const ids = Array.from({ length: AGENTS }, (_, i) => {
  const { agent } = fleet.create({ name: `a${i}`, kind: 'claude-code', cwd: `/w/${i}`, group: `g${i % 10}`, budget: { usd: 5 + (i % 7) * 5 } });
  store.upsertAgent({ id: agent.id, name: agent.name, kind: 'claude-code', status: 'working' });
  return agent.id;
});
const groups = Object.fromEntries(Array.from({ length: 10 }, (_, g) => [`g${g}`, { usd: 100 + g * 20 }]));

let seq = 0;
function usage(): AgentSignal {
  seq++;
  // 1-hour cache writes every 4th request, a long context every 50th: the pricing paths a real session takes.
  return { type: 'usage', model: MODEL, requestId: `req_${seq}`, delta: { input: seq % 50 === 0 ? 150_000 : 1200, output: 180, cacheRead: 4000, cacheWrite: 600 }, ...(seq % 4 === 0 ? { cacheWrite1h: 300 } : {}) };
}

let watch: BudgetWatch | undefined;
let gate: ActionGate | undefined;
let alerts = 0;
let denials = 0;
function budgets(on: boolean): void {
  if (on && !watch) {
    const w = new BudgetWatch({ fleet, clock: systemClock, log: quiet, budgets: { fleet: { usd: 5000 }, groups } });
    w.onDidAlert(() => alerts++);
    watch = w;
    gate = budgetGate(systemClock, (a) => w.spentScopes(a), () => denials++);
  } else if (!on && watch) {
    watch.dispose();
    watch = undefined;
    gate = undefined;
  }
}

/** Runs the load for `ms` (lag sampled every 20 ms); returns the lag samples, the events sent and the CPU used. */
async function block(ms: number): Promise<{ lag: number[]; events: number; cpuMs: number }> {
  const action = { tool: 'Bash', input: { command: 'npm test' }, summary: 'Bash: npm test' };
  const r = await pacedLoad(ms, AGENTS * RATE, (i) => {
    const id = ids[i % AGENTS]!;
    router.signal(id, usage());
    if (gate && i % 10 === 0) gate({ agent: fleet.get(id)!, action, cwd: '/w' });
  });
  return { lag: r.lag, events: r.sent, cpuMs: r.cpuMs };
}


async function main(): Promise<void> {
  console.log(`metering: ${AGENTS} agents x ${RATE} usage events/s, ${SECONDS} s per mode in ${BLOCKS} alternating blocks (store: ${store.driverName}); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results = { off: { lag: [] as number[], events: 0, cpuMs: 0 }, on: { lag: [] as number[], events: 0, cpuMs: 0 } };
  for (let b = 0; b < BLOCKS; b++) {
    const mode = b % 2 === 0 ? 'off' : 'on';
    budgets(mode === 'on');
    const r = await block((SECONDS * 1000) / (BLOCKS / 2));
    results[mode].lag.push(...r.lag);
    results[mode].events += r.events;
    results[mode].cpuMs += r.cpuMs;
  }
  const paused = fleet.list().filter((a) => a.budgetPaused).length;
  budgets(false);
  const line = (mode: 'off' | 'on') => {
    const r = results[mode];
    const s = asc(r.lag);
    return { p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1]!, cpuPerEventUs: (1000 * r.cpuMs) / r.events, events: r.events, cpuShare: r.cpuMs / ((SECONDS * 1000) / 1) };
  };
  const off = line('off');
  const on = line('on');
  for (const [name, r] of [['budgets off', off], ['budgets on ', on]] as const) {
    console.log(`${name}: event-loop lag p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms; ${r.events} events, CPU ${r.cpuPerEventUs.toFixed(1)} µs/event (${(100 * r.cpuShare).toFixed(0)} % of a core)`);
  }
  const fleetCost = fleet.list().reduce((n, a) => n + a.costUsd, 0);
  console.log(`ratio on/off: lag p99 ${(on.p99 / Math.max(off.p99, 0.01)).toFixed(2)}x, CPU per event ${(on.cpuPerEventUs / off.cpuPerEventUs).toFixed(2)}x; alerts ${alerts}, denials ${denials}, paused at the end ${paused}; fleet $${fleetCost.toFixed(2)}, ${store.usageRequests().length} requests stored; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  queue.dispose();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
