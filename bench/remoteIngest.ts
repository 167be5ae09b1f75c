// Remote ingest with ack over loopback: a real supervisor (BridgeServer, agent socket, remote adapter, core sink,
// remote frame journal on a real SQLite file: an ack means stored) in this process, the agents in a child process
// (so the two use the two cores), each scenario against a raw `ws` echo server measured in the same run:
//   1. ingest: one agent sends events in windows of 1 and 100 and waits for the ack that covers the window;
//   2. ack latency at a steady 5 000 events/s: send -> the cumulative ack covering it, p50/p99;
//   3. 500 agents x 10 events/s for --seconds (60): this process's event-loop lag p50/p99/max and RSS.
// Targets: >= 50k events/s batched, ack p99 < 20 ms, lag p99 < 50 ms.
// Each figure comes with this process's CPU time per 1 000 events (the machine is shared: load moves wall times).
// Run: npx tsx bench/remoteIngest.ts [--seconds 60] [--agents 500] [--only 1|2|3] [--main-checkpoints]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { ApprovalQueue } from '../src/core/approvals/approvalQueue';
import { BridgeServer } from '../src/core/bridge/bridgeServer';
import { AGENT_SOCKET_PATH } from '../src/core/bridge/agentSocketServer';
import { openStore } from '../src/core/store/openDatabase';
import { Fleet } from '../src/core/fleet/fleet';
import type { Logger } from '../src/core/log';
import { MemoryPersistence } from '../test/unit/core/fleetKit';
import { startRemoteCore } from '../test/unit/remote/remoteKit';
import { asc, numberArg, pct } from './benchKit';

type Mode = 'protocol' | 'echo';
interface ClientSpec {
  readonly scenario: 'ingest' | 'latency' | 'fleet';
  readonly mode: Mode;
  readonly url: string;
  readonly agents: ReadonlyArray<{ readonly id: string; readonly token: string }>;
  readonly batch?: number;
  readonly total?: number;
  readonly rate?: number;
  readonly seconds?: number;
}
interface ClientResult {
  readonly events: number;
  readonly ms: number;
  readonly latencies?: number[];
}


// ---------- the agents (child process) ----------

/** One connection speaking as an agent (protocol) or as a plain client of the echo server; `sent` resolves per ack. */
class Link {
  private seq = 0;
  /** Highest of our seq acked (protocol) or echoes received (echo). */
  acked = -1;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  onAck: (upTo: number, at: number) => void = () => undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly mode: Mode,
  ) {
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      if (mode === 'echo') {
        this.advance(this.acked + 1, at);
        return;
      }
      const frame = JSON.parse(data.toString('utf8')) as { type: string; seq: number; ack_seq?: number };
      if (frame.type === 'ack') this.advance(frame.ack_seq!, at);
      else if (frame.type !== 'error') ws.send(JSON.stringify({ type: 'ack', seq: this.seq++, ack_seq: frame.seq }));
    });
  }

  static async open(spec: ClientSpec, agent: { id: string; token: string }): Promise<Link> {
    const ws = new WebSocket(spec.url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const link = new Link(ws, spec.mode);
    if (spec.mode === 'protocol') {
      const welcome = new Promise<void>((resolve) => ws.once('message', () => resolve()));
      ws.send(JSON.stringify({ type: 'hello', seq: link.seq++, v: 1, agent_id: agent.id, name: agent.id, kind: 'remote', token: agent.token, capabilities: ['events'] }));
      await welcome;
      link.acked = link.seq - 1;
    }
    return link;
  }

  /** Sends one event; its number for latency bookkeeping. */
  send(n: number): number {
    const seq = this.mode === 'protocol' ? this.seq++ : n;
    this.ws.send(JSON.stringify({ type: 'event', seq, kind: 'log', name: `e${n}`, ts: Date.now(), message: 'remote ingest bench event' }));
    return seq;
  }

  until(seq: number): Promise<void> {
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  close(): void {
    this.ws.close();
  }

  private advance(upTo: number, at: number): void {
    if (upTo <= this.acked) return;
    this.acked = upTo;
    this.onAck(upTo, at);
    const ready = this.waiters.filter((w) => w.seq <= upTo);
    this.waiters = this.waiters.filter((w) => w.seq > upTo);
    for (const w of ready) w.resolve();
  }
}

async function runClient(spec: ClientSpec): Promise<ClientResult> {
  if (spec.scenario === 'ingest') {
    const link = await Link.open(spec, spec.agents[0]!);
    const started = performance.now();
    let n = 0;
    while (n < spec.total!) {
      let last = 0;
      for (let i = 0; i < spec.batch!; i++) last = link.send(n++);
      await link.until(last);
    }
    const ms = performance.now() - started;
    link.close();
    return { events: n, ms };
  }
  if (spec.scenario === 'latency') {
    const link = await Link.open(spec, spec.agents[0]!);
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    link.onAck = (upTo, at) => {
      for (const [seq, t] of sentAt) {
        if (seq > upTo) break;
        latencies.push(at - t);
        sentAt.delete(seq);
      }
    };
    const started = performance.now();
    const end = started + spec.seconds! * 1000;
    let n = 0;
    let last = -1;
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - started) / 1000) * spec.rate!);
      while (n < due) {
        last = link.send(n++);
        sentAt.set(last, performance.now());
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await link.until(last);
    const ms = performance.now() - started;
    link.close();
    return { events: n, ms, latencies };
  }
  // fleet: every agent sends `rate` events/s, spread over the second.
  const links = await Promise.all(spec.agents.map((a) => Link.open(spec, a)));
  process.stdout.write('connected\n');
  const started = performance.now();
  const end = started + spec.seconds! * 1000;
  let n = 0;
  const period = 1000 / spec.rate!;
  await Promise.all(
    links.map(async (link, i) => {
      await new Promise((r) => setTimeout(r, (i / links.length) * period));
      while (performance.now() < end) {
        link.send(n++);
        await new Promise((r) => setTimeout(r, period));
      }
    }),
  );
  const ms = performance.now() - started;
  for (const link of links) link.close();
  return { events: n, ms };
}

// ---------- the supervisor and the echo baseline (this process) ----------

function child(spec: ClientSpec, dir: string, onLine?: (line: string) => void): Promise<ClientResult> {
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const proc = spawn(process.execPath, ['--import', 'tsx', __filename, '--client', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    for (const line of c.toString('utf8').split('\n')) if (line) onLine?.(line);
  });
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`client exited ${code}: ${out}`));
      else resolve(JSON.parse(readFileSync(`${file}.out`, 'utf8')) as ClientResult);
    }),
  );
}

/** This process's CPU time (user + system) per 1 000 events since `start`: the cost, whatever the machine's load. */
const cpuPer1000 = (start: NodeJS.CpuUsage, events: number): string => {
  const used = process.cpuUsage(start);
  return `CPU ${(((used.user + used.system) / 1000 / Math.max(1, events)) * 1000).toFixed(1)} ms per 1 000 events`;
};
const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
const f1 = (n: number): string => n.toFixed(1);

async function main(): Promise<void> {
  const seconds = numberArg('seconds', 60);
  const agentCount = numberArg('agents', 500);
  // --main-checkpoints: SQLite checkpoints inside the commits on this thread (as before the checkpoint worker).
  const mainCheckpoints = process.argv.includes('--main-checkpoints');
  const dir = mkdtempSync(join(os.tmpdir(), 'flotilla-remote-ingest-'));
  const { store } = openStore(join(dir, 'flotilla.db'), { backgroundCheckpoints: !mainCheckpoints });
  // Warnings and errors only, not kept: a logger that keeps every line would grow with the frames and skew RSS.
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) };
  const fleet = new Fleet(new MemoryPersistence(), log);
  const approvals = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 600_000 }));
  // Scenarios 1-2 lift the per-connection flood limit (100 frames/s after a 1 000 burst), which would cap one agent
  // far below the target; scenario 3 runs with the production limit. One bridge each, one store and fleet.
  const bridge = new BridgeServer(log);
  const unlimited = { burst: 1e9, perSecond: 1e9, maxRefused: 1000 };
  const fast = startRemoteCore(bridge.httpServer, { fleet, approvals, log, journal: store.remoteFrames, frameRate: unlimited, stallMs: 600_000 });
  const url = `ws://127.0.0.1:${(await bridge.listen(0)).port}${AGENT_SOCKET_PATH}`;
  const prodBridge = new BridgeServer(log);
  const prod = startRemoteCore(prodBridge.httpServer, { fleet, approvals, log, journal: store.remoteFrames, stallMs: 600_000 });
  const prodUrl = `ws://127.0.0.1:${(await prodBridge.listen(0)).port}${AGENT_SOCKET_PATH}`;
  const echo = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((r) => echo.once('listening', r));
  echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  const echoUrl = `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const newAgents = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const { agent, token } = fleet.create({ name: `bench-${fleet.list().length}-${i}`, kind: 'remote', cwd: '/remote/work' });
      return { id: agent.id, token };
    });

  console.log(`remote ingest with ack (journal: ${store.driverName}, WAL, checkpoints ${mainCheckpoints ? 'in commits on this thread' : 'in a worker thread'}), ${os.cpus().length} cores, load ${os.loadavg().map(f1).join(' ')}`);
  const only = numberArg('only', 0);
  const runs = (n: number): boolean => only === 0 || only === n;
  if (runs(1)) console.log('\n1. ingest, one agent, wait for the ack covering each window');
  for (const [batch, total] of runs(1)
    ? ([
        [1, 5_000],
        [100, 100_000],
      ] as const)
    : []) {
    const before = store.remoteFrames.count();
    let cpu0 = process.cpuUsage();
    const sup = await child({ scenario: 'ingest', mode: 'protocol', url, agents: newAgents(1), batch, total }, dir);
    const supCpu = cpuPer1000(cpu0, sup.events);
    const stored = store.remoteFrames.count() - before;
    cpu0 = process.cpuUsage();
    const base = await child({ scenario: 'ingest', mode: 'echo', url: echoUrl, agents: [{ id: 'x', token: 'x' }], batch, total }, dir);
    const baseCpu = cpuPer1000(cpu0, base.events);
    const rate = (r: ClientResult) => (r.events / r.ms) * 1000;
    console.log(
      `   batch ${String(batch).padStart(3)}: ${Math.round(rate(sup)).toLocaleString('en')} events/s stored+acked (${stored} rows; ${supCpu}) | ws echo ${Math.round(rate(base)).toLocaleString('en')}/s (${baseCpu}) | ratio ${f1(rate(base) / rate(sup))}x${batch === 100 ? ` | target >= 50 000: ${rate(sup) >= 50_000 ? 'met' : 'NOT met'}` : ''}`,
    );
  }

  if (runs(2)) {
    console.log('\n2. ack latency at 5 000 events/s for 5 s (send -> ack covering it)');
    const sup = await child({ scenario: 'latency', mode: 'protocol', url, agents: newAgents(1), rate: 5000, seconds: 5 }, dir);
    const base = await child({ scenario: 'latency', mode: 'echo', url: echoUrl, agents: [{ id: 'x', token: 'x' }], rate: 5000, seconds: 5 }, dir);
    const s = asc(sup.latencies!);
    const b = asc(base.latencies!);
    console.log(`   Flotilla: p50 ${f1(pct(s, 50))} ms, p99 ${f1(pct(s, 99))} ms, max ${f1(s.at(-1)!)} ms (${s.length} events) | target p99 < 20 ms: ${pct(s, 99) < 20 ? 'met' : 'NOT met'}`);
    console.log(`   ws echo:  p50 ${f1(pct(b, 50))} ms, p99 ${f1(pct(b, 99))} ms, max ${f1(b.at(-1)!)} ms | p99 ratio ${f1(pct(s, 99) / Math.max(0.001, pct(b, 99)))}x`);
  }

  if (runs(3)) console.log(`\n3. ${agentCount} agents x 10 events/s for ${seconds} s (production flood limit): this process's event-loop lag and RSS`);
  for (const [label, mode, target] of runs(3)
    ? ([
        ['Flotilla', 'protocol', prodUrl],
        ['ws echo ', 'echo', echoUrl],
      ] as const)
    : []) {
    const agents = mode === 'protocol' ? newAgents(agentCount) : Array.from({ length: agentCount }, () => ({ id: 'x', token: 'x' }));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 500);
    const before = store.remoteFrames.count();
    const cpu0 = process.cpuUsage();
    const result = await child({ scenario: 'fleet', mode, url: target, agents, rate: 10, seconds }, dir, (line) => line === 'connected' && lag.enable());
    lag.disable();
    clearInterval(sampler);
    const stored = store.remoteFrames.count() - before;
    const cpu = cpuPer1000(cpu0, result.events);
    const p = (q: number) => lag.percentile(q) / 1e6;
    console.log(
      `   ${label}: ${Math.round((result.events / result.ms) * 1000)} events/s${mode === 'protocol' ? ` (${stored} stored)` : ''}; lag p50 ${f1(p(50))} ms, p99 ${f1(p(99))} ms, max ${f1(lag.max / 1e6)} ms; RSS ${mb(rssBefore)} -> peak ${mb(rssPeak)}; ${cpu}${mode === 'protocol' ? ` | target p99 < 50 ms: ${p(99) < 50 ? 'met' : 'NOT met'}` : ''}`,
    );
  }
  fast.dispose();
  prod.dispose();
  echo.close();
  approvals.dispose();
  bridge.dispose();
  prodBridge.dispose();
  fleet.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--client') {
  const spec = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as ClientSpec;
  runClient(spec).then(
    (result) => {
      writeFileSync(`${process.argv[3]!}.out`, JSON.stringify(result));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
