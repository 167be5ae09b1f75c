// What budgets per day and per task cost the budget watch, in plain Node: usage events into a real Fleet of N agents
// watched by BudgetWatch, as fast as they go, under three sets of budgets in alternating blocks of one run: none,
// totals (each agent $1000, its group $10000, the fleet $100000) and periods (each agent $1000/day, its group
// $1000 per task, the fleet $100000/day: the fleet's day sums every agent at each event). Prints CPU µs per event per
// set and the ratios against "none".
// Usage: npx tsx bench/budgetPeriods.ts [--agents 100] [--events 20000]
import { BudgetWatch } from '../src/core/budget/budgetWatch';
import type { ScopeBudgets } from '../src/core/budget/budgetSettings';
import { systemClock } from '../src/core/clock';
import { Fleet } from '../src/core/fleet/fleet';
import type { Logger } from '../src/core/log';
import type { BudgetLimits } from '../src/shared/agent';
import { MemoryPersistence } from '../test/unit/core/fleetKit';
import { numberArg } from './benchKit';

const AGENTS = numberArg('agents', 100);
const EVENTS = numberArg('events', 20_000);
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Mode {
  readonly name: string;
  readonly own: BudgetLimits | undefined;
  readonly scopes: ScopeBudgets;
}
const MODES: readonly Mode[] = [
  { name: 'none', own: undefined, scopes: { fleet: undefined, groups: {} } },
  { name: 'totals', own: { usd: 1000 }, scopes: { fleet: { usd: 100_000 }, groups: { g0: { usd: 10_000 }, g1: { usd: 10_000 } } } },
  { name: 'periods', own: { usd: 1000, period: 'day' }, scopes: { fleet: { usd: 100_000, period: 'day' }, groups: { g0: { usd: 1000, period: 'task' }, g1: { usd: 1000, period: 'task' } } } },
];

function run(mode: Mode): number {
  const fleet = new Fleet(new MemoryPersistence(), quiet);
  const ids = Array.from({ length: AGENTS }, (_, i) => fleet.create({ name: `a${i}`, kind: 'claude-code', cwd: '/tmp', group: `g${i % 2}`, ...(mode.own ? { budget: mode.own } : {}) }).agent.id);
  for (const id of ids) fleet.apply(id, 'sessionStarted');
  const watch = new BudgetWatch({ fleet, clock: systemClock, log: quiet, budgets: mode.scopes, tickMs: 3_600_000 });
  const start = process.cpuUsage();
  for (let i = 0; i < EVENTS; i++) fleet.addUsage(ids[i % AGENTS]!, 'm', { input: 10, output: 1, cacheRead: 0, cacheWrite: 0 }, 0.0001);
  const used = process.cpuUsage(start);
  watch.dispose();
  fleet.dispose();
  return (used.user + used.system) / EVENTS;
}

const results = new Map<string, number[]>(MODES.map((m) => [m.name, []]));
for (let block = 0; block < 4; block++) for (const mode of MODES) results.get(mode.name)!.push(run(mode));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(results.get('none')!);
console.log(`budget periods: ${AGENTS} agents, ${EVENTS} usage events per block, 4 blocks per set (median)`);
for (const mode of MODES) {
  const m = median(results.get(mode.name)!);
  console.log(`  ${mode.name.padEnd(8)} ${m.toFixed(1).padStart(7)} µs CPU per event  (${(m / base).toFixed(2)}x none)`);
}
