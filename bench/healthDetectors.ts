// The fleet health detectors under load, in plain Node: 500 agents x 10 facts/s through the real SignalRouter and
// Fleet, with FleetHealth observing every fact (progress, loops, stuck sweep, blockers, risk) against the same load
// with the detectors off, in alternating blocks of the same run. Prints event-loop lag p50/p99/max per mode and the
// ratio. Usage: npx tsx bench/healthDetectors.ts [--seconds 60] [--agents 500] [--rate 10]
import * as os from 'node:os';
import type { AgentSignal, ToolAction } from '../src/core/agents/agentSignal';
import { ActionApprover } from '../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../src/core/approvals/approvalQueue';
import { gateChain } from '../src/core/approvals/gateChain';
import { systemClock } from '../src/core/clock';
import { Fleet } from '../src/core/fleet/fleet';
import { SignalRouter } from '../src/core/fleet/signalRouter';
import { FleetHealth } from '../src/core/health/fleetHealth';
import { DEFAULT_THRESHOLDS } from '../src/core/health/healthThresholds';
import type { Logger } from '../src/core/log';
import { MemoryPersistence } from '../test/unit/core/fleetKit';
import { asc, numberArg, pacedLoad, pct } from './benchKit';

const SECONDS = numberArg('seconds', 60);
const AGENTS = numberArg('agents', 500);
const RATE = numberArg('rate', 10);
const BLOCKS = 4; // off, on, off, on: drift of a shared machine hits both modes alike

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const fleet = new Fleet(new MemoryPersistence(), quiet);
const queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }));
const router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, quiet), log: quiet, clock: systemClock, price: () => 0.001 });
let flags = 0;
let asks = 0;

const ids = Array.from({ length: AGENTS }, (_, i) => fleet.create({ name: `a${i}`, kind: 'claude-code', cwd: `/w/${i}` }).agent.id);
ids.forEach((id) => router.signal(id, { type: 'session', phase: 'started', sessionId: `s-${id}` }));

const tool = (t: string, input: unknown): ToolAction => ({ tool: t, input, summary: `${t}: ${JSON.stringify(input).slice(0, 60)}` });
/** One agent's turn, 24 facts: a plan update, reads, edits, a test run, usage, the end (a question every 7th turn). */
function script(agent: number, round: number): AgentSignal[] {
  const step = round % 4;
  const plan = tool('TodoWrite', { todos: [0, 1, 2, 3].map((k) => ({ content: `task ${k}`, activeForm: `doing task ${k}`, status: k < step ? 'completed' : k === step ? 'in_progress' : 'pending' })) });
  const read = tool('Read', { file_path: `/w/${agent}/src/f${round % 13}.ts` });
  const edit = tool('Edit', { file_path: `/w/${agent}/src/f${round % 13}.ts`, old_string: `v${round}`, new_string: `v${round + 1}` });
  // Every 5th agent repeats a failing build: the loop detector flags it.
  const build = tool('Bash', { command: agent % 5 === 0 ? 'npm run build' : `npm test -- ${round}` });
  const facts: AgentSignal[] = [{ type: 'turn', phase: 'started' }, { type: 'tool', phase: 'started', action: plan }, { type: 'tool', phase: 'ended', action: plan }];
  for (let i = 0; i < 3; i++) facts.push({ type: 'tool', phase: 'started', action: read }, { type: 'tool', phase: 'ended', action: read });
  facts.push({ type: 'tool', phase: 'started', action: edit }, { type: 'tool', phase: 'ended', action: edit });
  for (let i = 0; i < 3; i++) facts.push({ type: 'tool', phase: 'started', action: build, timeoutMs: 120_000 }, agent % 5 === 0 ? { type: 'tool', phase: 'failed', action: build, detail: 'exit 1' } : { type: 'tool', phase: 'ended', action: build });
  facts.push({ type: 'usage', model: 'm', delta: { input: 1000, output: 200, cacheRead: 5000, cacheWrite: 0 } }, { type: 'activity' }, { type: 'activity' });
  facts.push({ type: 'turn', phase: 'ended', lastMessage: round % 7 === 0 ? 'Tests pass. Shall I open a PR?' : 'Done.' });
  return facts;
}

const cursor = ids.map(() => ({ round: 0, i: 0, facts: [] as AgentSignal[] }));
function nextFact(agent: number): AgentSignal {
  const c = cursor[agent]!;
  if (c.i >= c.facts.length) {
    c.facts = script(agent, c.round++);
    c.i = 0;
  }
  return c.facts[c.i++]!;
}

let health: FleetHealth | undefined;
function detectors(on: boolean): void {
  if (on && !health) {
    health = new FleetHealth({ fleet, clock: systemClock, log: quiet, thresholds: () => DEFAULT_THRESHOLDS, quarantine: (id, r, e) => fleet.quarantine(id, r, e), sweepMs: 15_000 });
    health.onDidFlag(() => flags++);
    health.onDidAsk(() => asks++);
  } else if (!on && health) {
    health.dispose();
    health = undefined;
  }
}

/** Runs the load for `ms` (lag sampled every 20 ms); returns the lag samples, the facts sent and the CPU used. */
async function block(ms: number): Promise<{ lag: number[]; facts: number; cpuMs: number }> {
  const r = await pacedLoad(ms, AGENTS * RATE, (i) => {
    const agent = i % AGENTS;
    const fact = nextFact(agent);
    router.signal(ids[agent]!, fact);
    health?.observe(ids[agent]!, fact);
  });
  return { lag: r.lag, facts: r.sent, cpuMs: r.cpuMs };
}


async function main(): Promise<void> {
  console.log(`health detectors: ${AGENTS} agents x ${RATE} facts/s, ${SECONDS} s per mode in ${BLOCKS} alternating blocks; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results = { off: { lag: [] as number[], facts: 0, cpuMs: 0 }, on: { lag: [] as number[], facts: 0, cpuMs: 0 } };
  for (let b = 0; b < BLOCKS; b++) {
    const mode = b % 2 === 0 ? 'off' : 'on';
    detectors(mode === 'on');
    const r = await block((SECONDS * 1000) / (BLOCKS / 2));
    results[mode].lag.push(...r.lag);
    results[mode].facts += r.facts;
    results[mode].cpuMs += r.cpuMs;
  }
  detectors(false);
  const line = (mode: 'off' | 'on') => {
    const r = results[mode];
    const s = asc(r.lag);
    return { p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1]!, cpuPerFactUs: (1000 * r.cpuMs) / r.facts, facts: r.facts };
  };
  const off = line('off');
  const on = line('on');
  for (const [name, r] of [['detectors off', off], ['detectors on ', on]] as const) {
    console.log(`${name}: event-loop lag p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms; ${r.facts} facts, CPU ${r.cpuPerFactUs.toFixed(1)} µs/fact`);
  }
  console.log(`ratio on/off: lag p99 ${(on.p99 / Math.max(off.p99, 0.01)).toFixed(2)}x, CPU per fact ${(on.cpuPerFactUs / off.cpuPerFactUs).toFixed(2)}x; flags raised ${flags}, questions ${asks}; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  queue.dispose();
}

void main();
