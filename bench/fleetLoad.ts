// The extension host under a fleet's load in a real code-server: 200 remote agents (registered with Connect Remote
// Agent from the palette, connected over the protocol's WebSocket) each reporting 5 facts a second for 60 s —
// turn started (heartbeat working), tool started and ended (spans), usage (a model span with tokens), turn ended
// (heartbeat idle) — so the runtime, the store and the Agents tree all work. Event-loop lag is measured INSIDE the
// extension host with perf_hooks.monitorEventLoopDelay by a preload (bench/extHostProbe.cjs: NODE_OPTIONS on the
// bench's code-server, handed on to the extension host in execArgv; the extension is unchanged), with its RSS.
// Baseline, same run, first: the same agents connected for the same time sending only the heartbeats the supervisor
// asks for (none here: flotilla.stallSeconds 600 asks for one every 200 s).
// Run: npx tsx bench/fleetLoad.ts [--seconds 60] [--agents 200] [--no-build]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { connectRemoteAgent } from '../test/e2e/remoteSteps';
import type { RemoteDetails } from '../test/e2e/remoteSteps';
import { loadLine, numberFlag, startBenchWorkbench } from './workbenchKit';

const SECONDS = numberFlag('seconds', 60);
const AGENTS = numberFlag('agents', 200);
const FACTS_PER_SECOND = 5;
const TARGET_P99_MS = 50;
const PROBE = path.join(__dirname, 'extHostProbe.cjs');

interface PhaseResult {
  pid: number;
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
}

/** One connected remote agent: says hello, acks what it gets, counts refusals, sends frames with its own seq. */
class BenchAgent {
  private seq = 0;
  private k = 0;
  heartbeatMs = 30_000;
  readonly refusals = new Map<string, number>();
  closed = false;
  private readonly started = Date.now();

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { type: string; seq: number; code?: string; heartbeat_interval_ms?: number };
      if (frame.type !== 'ack') this.send({ type: 'ack', ack_seq: frame.seq });
      if (frame.type === 'welcome' && frame.heartbeat_interval_ms) this.heartbeatMs = frame.heartbeat_interval_ms;
      if (frame.type === 'error') this.refusals.set(frame.code ?? '?', (this.refusals.get(frame.code ?? '?') ?? 0) + 1);
    });
    ws.on('close', () => (this.closed = true));
  }

  static async connect(details: RemoteDetails, name: string): Promise<BenchAgent> {
    const ws = new WebSocket(details.url);
    const agent = new BenchAgent(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const welcomed = new Promise<void>((resolve, reject) => {
      ws.on('message', (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data)) as { type: string; code?: string };
        if (frame.type === 'welcome') resolve();
        if (frame.type === 'error') reject(new Error(`${name}: hello refused: ${String(data)}`));
      });
    });
    agent.send({
      type: 'hello',
      v: 1,
      agent_id: details.agentId,
      name,
      kind: 'custom',
      host: os.hostname(),
      pid: process.pid,
      token: details.token,
      capabilities: ['heartbeats', 'spans', 'events', 'control'],
    });
    await welcomed;
    return agent;
  }

  send(frame: Record<string, unknown>): void {
    if (!this.closed) this.ws.send(JSON.stringify({ ...frame, seq: this.seq++ }));
  }

  heartbeat(status: 'working' | 'idle'): void {
    this.send({ type: 'heartbeat', task_id: 'bench', elapsed_ms: Date.now() - this.started, status });
  }

  /** The next fact of its cycle: turn started, tool started, tool ended, usage, turn ended. */
  nextFact(): void {
    const k = this.k++;
    const tool = `tool-${Math.floor(k / 5)}`;
    switch (k % 5) {
      case 0:
        return this.heartbeat('working');
      case 1:
        return this.send({ type: 'span', task_id: 'bench', span_id: tool, kind: 'tool', name: 'Bash', status: 'running', started_at: Date.now() });
      case 2:
        return this.send({ type: 'span', task_id: 'bench', span_id: tool, kind: 'tool', name: 'Bash', status: 'ok', started_at: Date.now() - 50, ended_at: Date.now() });
      case 3:
        return this.send({
          type: 'span',
          task_id: 'bench',
          span_id: `model-${Math.floor(k / 5)}`,
          kind: 'model',
          name: 'bench turn',
          status: 'ok',
          duration_ms: 100,
          model: 'bench-model',
          tokens_in: 100,
          tokens_out: 10,
        });
      default:
        return this.heartbeat('idle');
    }
  }

  close(): void {
    this.ws.close(1000, 'bench over');
  }
}

const delay = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await delay(100);
  }
}

/** Runs `tick` for `seconds`, then returns how many facts were sent. */
async function phase(probeDir: string, name: string, seconds: number, agents: BenchAgent[], load: boolean): Promise<number> {
  fs.writeFileSync(path.join(probeDir, 'phase'), name);
  let sent = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  // Agent i sends at start + i/AGENTS of the period, then every period: the load is spread, not bursty.
  const period = load ? 1000 / FACTS_PER_SECOND : agents[0]!.heartbeatMs;
  const due = agents.map((_, i) => start + (i / agents.length) * period);
  while (performance.now() < end) {
    const now = performance.now();
    agents.forEach((agent, i) => {
      while (due[i]! <= now) {
        if (load) agent.nextFact();
        else agent.heartbeat('idle');
        sent += 1;
        due[i]! += period;
      }
    });
    await delay(5);
  }
  return sent;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function line(label: string, r: PhaseResult, facts: number, seconds: number): string {
  return (
    `  ${label.padEnd(9)} ${(facts / seconds).toFixed(0).padStart(5)} frames/s  lag p50 ${r.p50.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms  ` +
    `p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  |  RSS start ${mb(r.rssStart)}  peak ${mb(r.rssPeak)}  end ${mb(r.rssEnd)}`
  );
}

async function main(): Promise<void> {
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-fleet-'));
  console.log(`Fleet load in the extension host: ${AGENTS} remote agents x ${FACTS_PER_SECOND} facts/s for ${SECONDS} s (${loadLine()} at start)`);
  const wb = await startBenchWorkbench({
    env: { NODE_OPTIONS: `--require ${PROBE}`, FLOTILLA_BENCH_PROBE_DIR: probeDir },
    // Heartbeats asked every few seconds, and no agent marked stalled during the silent baseline.
    settings: { 'flotilla.stallSeconds': 600 },
  });
  let failed = false;
  const agents: BenchAgent[] = [];
  try {
    const pid = await waitFor(
      'no extension host loaded bench/extHostProbe.cjs (NODE_OPTIONS did not reach it)',
      () => fs.readdirSync(probeDir).find((f) => f.startsWith('ready-'))?.slice('ready-'.length),
      60_000,
    );
    const registering = performance.now();
    const details: RemoteDetails[] = [];
    for (let i = 0; i < AGENTS; i++) {
      details.push(await connectRemoteAgent(wb.page, `load-${i + 1}`));
      if ((i + 1) % 50 === 0) console.log(`  registered ${i + 1} agents (${((performance.now() - registering) / 1000).toFixed(0)} s)`);
    }
    for (const [i, d] of details.entries()) agents.push(await BenchAgent.connect(d, `load-${i + 1}`));
    console.log(`  ${agents.length} agents connected; extension host pid ${pid}; heartbeat asked every ${agents[0]!.heartbeatMs} ms`);

    const idleFacts = await phase(probeDir, 'idle', SECONDS, agents, false);
    const loadFacts = await phase(probeDir, 'load', SECONDS, agents, true);
    fs.writeFileSync(path.join(probeDir, 'phase'), 'end');
    const read = (name: string) => waitFor(`no result-${name}.json from the probe`, () => {
      const file = path.join(probeDir, `result-${name}.json`);
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PhaseResult) : undefined;
    }, 10_000);
    const idle = await read('idle');
    const load = await read('load');

    const refusals = new Map<string, number>();
    for (const a of agents) for (const [code, n] of a.refusals) refusals.set(code, (refusals.get(code) ?? 0) + n);
    const closed = agents.filter((a) => a.closed).length;
    console.log('  extension host event-loop lag (monitorEventLoopDelay, what exceeds its 10 ms timer) and RSS, per phase:');
    console.log(line('no load', idle, idleFacts, SECONDS));
    console.log(line('load', load, loadFacts, SECONDS));
    console.log(`  ratio lag p99 load / no load: ${(load.p99 / idle.p99).toFixed(2)}x; RSS growth under load: ${mb(load.rssPeak - idle.rssEnd)}`);
    console.log(`  refused frames: ${refusals.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(refusals))}; connections closed by the supervisor: ${closed}`);
    console.log(`  target lag p99 < ${TARGET_P99_MS} ms: ${load.p99 < TARGET_P99_MS ? 'met' : 'NOT met'}  (${loadLine()} at the end)`);
    if (closed > 0 || refusals.size > 0) throw new Error('the supervisor refused frames or closed connections: the load was not what it claims');
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    for (const a of agents) a.close();
    await wb.stop(failed);
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
