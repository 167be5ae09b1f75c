// The bridge under attack: a child process runs hostile clients against a real BridgeServer (Claude hook route +
// agent socket, production defaults) while a legitimate agent keeps sending hooks. Prints the bridge process's RSS
// before / peak / after, what each attack got back, and the legitimate agent's p50/p99 hook latency during the
// attack against the same agent without attack (ratio, same run).
// Run: npx tsx --expose-gc bench/bridgeAttack.ts [--seconds 12]
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import WebSocket from 'ws';
import { BRIDGE_DEFAULTS, MAX_BODY_BYTES } from '../src/core/bridge/bridgeServer';
import { HOOKS_PATH as CLAUDE_HOOK_PATH } from '../src/adapters/claudeCode/hookSettings';
import type { ActionPolicy } from '../src/core/approvals/policyGate';
import { HOOK_SAMPLES } from '../test/unit/claudeCode/hookSamples';
import { startRemoteCore } from '../test/unit/remote/remoteKit';
import { asc, ms, pct, postJson, startHookBridge } from './benchKit';

const BASELINE_REQUESTS = 1000;
const SAMPLE_RSS_MS = 20;
/** A legitimate hook not answered by then counts as failed (Claude Code would fall back to its own prompt). */
const LEGIT_TIMEOUT_MS = 10_000;

interface AttackConfig {
  readonly port: number;
  readonly seconds: number;
  /** Claude Code agents gone rogue (valid tokens), one per attack so each attack meets its own limit. */
  readonly floodToken: string;
  readonly deepToken: string;
  readonly slowToken: string;
  /** A remote agent gone rogue (valid hello). */
  readonly remoteId: string;
  readonly remoteToken: string;
}

type Tally = Record<string, Record<string, number>>;

// ---- the attacker (child process) -----------------------------------------------------------------------

async function attack(config: AttackConfig): Promise<void> {
  const { port } = config;
  const tally: Tally = {};
  const count = (attackName: string, outcome: string) => {
    const t = (tally[attackName] ??= {});
    t[outcome] = (t[outcome] ?? 0) + 1;
  };
  const deadline = Date.now() + config.seconds * 1000;
  const live = () => Date.now() < deadline;
  const sockets = new Set<net.Socket | WebSocket | http.ClientRequest>();
  const bigBody = Buffer.alloc(MAX_BODY_BYTES, 0x61);
  const deep = JSON.stringify({ ...HOOK_SAMPLES.PreToolUse, tool_input: { command: '@' } }).replace('"@"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);

  /** One POST; resolves with the status or the error code. */
  const request = (headers: http.OutgoingHttpHeaders, body: Buffer | string | undefined, path = CLAUDE_HOOK_PATH): Promise<string> =>
    new Promise((resolve) => {
      const length = body === undefined ? 0 : Buffer.byteLength(body);
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-length': length, ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve('reset'));
      });
      // Requests the bridge holds (the rogue agent's, waiting for a human) are dropped at the end of the attack.
      sockets.add(req);
      req.on('close', () => sockets.delete(req));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(live() ? (err.code ?? 'error') : 'dropped at the end'));
      req.end(body);
    });
  const loop = (workers: number, attackName: string, once: () => Promise<string>) =>
    Array.from({ length: workers }, async () => {
      while (live()) count(attackName, await once());
    });

  /** Keeps `n` raw connections open (reconnecting when the bridge closes one), each writing `opening` then a byte now and then. */
  const hold = (n: number, attackName: string, opening: string, drip: boolean) =>
    Array.from({ length: n }, async () => {
      while (live()) {
        await new Promise<void>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          sockets.add(s);
          let timer: ReturnType<typeof setInterval> | undefined;
          s.on('connect', () => {
            if (opening) s.write(opening);
            if (drip) timer = setInterval(() => s.write('a'), 500);
          });
          s.on('data', () => undefined);
          s.on('error', () => undefined);
          s.on('close', () => {
            clearInterval(timer);
            sockets.delete(s);
            count(attackName, live() ? 'closed by the bridge' : 'dropped at the end');
            resolve();
          });
        });
      }
    });

  const as = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const held = JSON.stringify(HOOK_SAMPLES.PreToolUse);
  const work = [
    ...loop(200, 'no token, 1 MiB body', () => request({ authorization: 'Bearer stolen?' }, bigBody)),
    ...loop(20, 'Origin: https://evil.example', () => request({ origin: 'https://evil.example', ...as(config.floodToken) }, held)),
    ...loop(20, 'Host: rebound.evil.example', () => request({ host: `rebound.evil.example:${port}`, ...as(config.floodToken) }, held)),
    ...loop(50, 'rogue agent: open-request flood', () => request(as(config.floodToken), held)),
    ...loop(10, 'rogue agent: 20 000-deep payload', () => request(as(config.deepToken), deep)),
    ...hold(300, 'slowloris headers', `POST ${CLAUDE_HOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, true),
    ...hold(20, 'rogue agent: slow body', `POST ${CLAUDE_HOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${config.slowToken}\r\nContent-Length: 1000\r\n\r\n{`, true),
    ...hold(BRIDGE_DEFAULTS.maxConnections, 'idle connections (cap fill)', '', false),
    ...Array.from({ length: 100 }, async () => {
      while (live()) {
        await new Promise<void>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/agents`);
          sockets.add(ws);
          ws.on('error', () => undefined);
          ws.on('close', () => {
            sockets.delete(ws);
            count('WebSocket without hello', live() ? 'closed by the bridge' : 'dropped at the end');
            resolve();
          });
        });
      }
    }),
    (async () => {
      while (live()) {
        await new Promise<void>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/agents`);
          sockets.add(ws);
          let seq = 0;
          ws.on('open', () => {
            ws.send(JSON.stringify({ type: 'hello', seq: seq++, v: 1, agent_id: config.remoteId, name: 'rogue', kind: 'remote', token: config.remoteToken, capabilities: [] }));
            const flood = () => {
              // A batch per turn of the event loop: as fast as the socket takes them, without starving our timers.
              for (let i = 0; i < 200 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 1 << 20; i++) ws.send(JSON.stringify({ type: 'heartbeat', seq: seq++, elapsed_ms: 1 }));
              if (ws.readyState === WebSocket.OPEN) setImmediate(flood);
            };
            flood();
          });
          ws.on('message', (data: Buffer) => {
            const frame = JSON.parse(data.toString()) as { type: string; code?: string };
            if (frame.type === 'error') count('rogue remote agent: frame flood', `error ${frame.code}`);
          });
          ws.on('error', () => undefined);
          ws.on('close', (code) => {
            sockets.delete(ws);
            count('rogue remote agent: frame flood', live() ? `closed ${code}` : 'dropped at the end');
            resolve();
          });
        });
      }
    })(),
  ];
  process.stdout.write('attacking\n');
  await new Promise((resolve) => setTimeout(resolve, config.seconds * 1000));
  for (const s of sockets) {
    if (s instanceof WebSocket) s.terminate();
    else s.destroy();
  }
  // Whatever is still in flight a moment later is not counted.
  await Promise.race([Promise.all(work), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  process.stdout.write(`${JSON.stringify(tally)}\n`);
  process.exit(0);
}

// ---- the bridge and the legitimate agent (this process) -------------------------------------------------

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 12;
  // The rogue agents' tool calls wait for a human (and so stay open); the legitimate agent's are allowed at once.
  const policy: ActionPolicy = (agent) => (agent.name === 'legit' ? { kind: 'allow', tier: 'autonomous', rule: 'bench.allow' } : { kind: 'approve', tier: 'approve', rule: 'bench.ask' });
  const ctx = await startHookBridge({ policy, timings: { timeoutMs: 600_000, escalateAfterMs: 600_000 } });
  const sockets = startRemoteCore(ctx.bridge.httpServer, { fleet: ctx.fleet, approvals: ctx.approvals, log: ctx.log, stallMs: 600_000, policy });
  const legit = ctx.fleet.create({ name: 'legit', kind: 'claude-code', cwd: '/tmp/legit' });
  const rogue = (name: string) => ctx.fleet.create({ name, kind: 'claude-code', cwd: `/tmp/${name}` }).token;
  const remote = ctx.fleet.create({ name: 'rogue-remote', kind: 'remote', cwd: '/tmp/remote' });

  let peak = process.memoryUsage().rss;
  let peakConnections = 0;
  let logLines = 0;
  const sampler = setInterval(() => {
    // The bench logger keeps every line in an array; a real log does not, so its growth is not the bridge's.
    logLines += ctx.log.lines.length;
    ctx.log.lines.length = 0;
    peak = Math.max(peak, process.memoryUsage().rss);
    peakConnections = Math.max(peakConnections, ctx.bridge.connectionCounts.open);
  }, SAMPLE_RSS_MS);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let failures = 0;
  const hook = async (i: number): Promise<number> => {
    const body = JSON.stringify(i % 2 === 0 ? { ...HOOK_SAMPLES.PreToolUse, tool_use_id: `toolu_${i}` } : { ...HOOK_SAMPLES.PostToolUse, tool_use_id: `toolu_${i - 1}` });
    const started = performance.now();
    const timeout = new Promise<{ status: number }>((resolve) => setTimeout(() => resolve({ status: -1 }), LEGIT_TIMEOUT_MS).unref());
    const reply = await Promise.race([postJson(agent, ctx.port, CLAUDE_HOOK_PATH, legit.token, body).catch(() => ({ status: 0 })), timeout]);
    if (reply.status !== 200) failures++;
    return performance.now() - started;
  };

  try {
    for (let i = 0; i < 200; i++) await hook(i); // warm up
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_REQUESTS; i++) baseline.push(await hook(i));
    const baselineFailures = failures;
    gc?.();
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    peak = rssBefore;

    const config: AttackConfig = { port: ctx.port, seconds, floodToken: rogue('rogue-flood'), deepToken: rogue('rogue-deep'), slowToken: rogue('rogue-slow'), remoteId: remote.agent.id, remoteToken: remote.token };
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--attacker', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      const check = () => (out.includes('attacking\n') ? resolve() : child.stdout.once('data', check));
      check();
    });
    const during: number[] = [];
    let attacking = true;
    void exited.then(() => (attacking = false));
    for (let i = 0; attacking; i++) during.push(await hook(i));
    const duringFailures = failures - baselineFailures;
    const tally = JSON.parse(out.split('\n').filter(Boolean).at(-1)!) as Tally;

    // Let the bridge close what the attacker left behind, then look again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    gc?.();
    const rssAfter = process.memoryUsage().rss;
    const heapAfter = process.memoryUsage().heapUsed;

    const b = asc(baseline);
    const d = asc(during);
    console.log(`bridge attack (${seconds} s, production limits: ${BRIDGE_DEFAULTS.maxConnections} connections, ${BRIDGE_DEFAULTS.maxPendingPerAgent} open requests per agent, ${BRIDGE_DEFAULTS.headersTimeoutMs / 1000} s header/body deadlines), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('what the attacks got back:');
    for (const [name, outcomes] of Object.entries(tally)) {
      console.log(`  ${name.padEnd(36)} ${Object.entries(outcomes).map(([o, n]) => `${o}: ${n}`).join(', ')}`);
    }
    const c = ctx.bridge.connectionCounts;
    console.log(`connections: peak ${peakConnections} open, ${c.evicted} evicted to make room, ${c.refused} refused (every slot an agent's)`);
    console.log(`bridge RSS: before ${mb(rssBefore)}, peak ${mb(peak)} (+${mb(peak - rssBefore)}), after ${mb(rssAfter)}; heap in use before ${mb(heapBefore)}, after ${mb(heapAfter)}${gc ? ' (after a full GC)' : ' (run with --expose-gc for after-GC figures)'}; ${logLines} log lines`);
    console.log(`legit agent, no attack: ${b.length} hooks, p50 ${ms(pct(b, 50))}, p99 ${ms(pct(b, 99))}, failed ${baselineFailures}`);
    console.log(`legit agent, attacked:  ${d.length} hooks, p50 ${ms(pct(d, 50))}, p99 ${ms(pct(d, 99))}, failed ${duringFailures}`);
    console.log(`ratio attacked / no attack: p50 ${(pct(d, 50) / pct(b, 50)).toFixed(1)}x, p99 ${(pct(d, 99) / pct(b, 99)).toFixed(1)}x`);
    if (baselineFailures + duringFailures > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    agent.destroy();
    sockets.dispose();
    ctx.dispose();
  }
}

if (process.argv[2] === '--attacker') void attack(JSON.parse(process.argv[3]!) as AttackConfig);
else void main();
