// How soon the agents tree can show a new status: from the moment a Claude Code hook POST is written to the
// moment the Fleet fires onDidChangeAgent with the new status (what the tree provider listens to), against a
// bare HTTP round trip to a trivial route on the same bridge, interleaved in the same run.
// Run: npx tsx bench/statusLatency.ts
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentStatus } from '../src/shared/status';
import { HOOK_SAMPLES } from '../test/unit/claudeCode/hookSamples';
import { asc, ms, pct, postJson, startHookBridge } from './benchKit';

const EVENTS = 1000;
const WARM_UP = 100;
const TARGET_P99_MS = 50;
const TRIVIAL_PATH = '/bench/trivial';



async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-status-'));
  const transcript = path.join(dir, 'session.jsonl');
  fs.writeFileSync(transcript, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'hi' } })}\n`);

  const ctx = await startHookBridge();
  const { port } = ctx;
  ctx.bridge.route(TRIVIAL_PATH, () => Promise.resolve({ status: 200, body: {} }));
  const { agent, token } = ctx.fleet.create({ name: 'bench-1', kind: 'claude-code', cwd: dir });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  // The event the tree would react to: the first change of this agent to the status we are waiting for.
  let waiting: { status: AgentStatus; sentAt: number; seenAt?: number } | undefined;
  const listener = ctx.fleet.onDidChangeAgent((snapshot) => {
    const now = performance.now();
    if (waiting && waiting.seenAt === undefined && snapshot.id === agent.id && snapshot.status === waiting.status) waiting.seenAt = now;
  });

  const payload = (event: 'SessionStart' | 'UserPromptSubmit' | 'Stop') => JSON.stringify({ ...HOOK_SAMPLES[event], cwd: dir, transcript_path: transcript });
  const bodies = { working: payload('UserPromptSubmit'), idle: payload('Stop') };

  try {
    const started = await ctx.post(httpAgent, token, payload('SessionStart'), () => undefined);
    if (started.status !== 200 || ctx.fleet.get(agent.id)?.status !== 'idle') throw new Error(`SessionStart did not make the agent idle: ${started.status} ${started.body}`);

    const statusTimes: number[] = [];
    const bareTimes: number[] = [];
    const eventTimes: number[] = [];
    for (let i = 0; i < WARM_UP + EVENTS; i++) {
      // Baseline first, then the event, so both see the same moment of a busy machine.
      let bareStart = 0;
      const bare = await postJson(httpAgent, port, TRIVIAL_PATH, token, '{}', () => (bareStart = performance.now()));
      const bareMs = performance.now() - bareStart;
      if (bare.status !== 200) throw new Error(`trivial route answered ${bare.status}`);

      const status: AgentStatus = i % 2 === 0 ? 'working' : 'idle';
      const w: { status: AgentStatus; sentAt: number; seenAt?: number } = { status, sentAt: 0 };
      waiting = w;
      const reply = await ctx.post(httpAgent, token, bodies[status], () => (w.sentAt = performance.now()));
      const eventMs = performance.now() - w.sentAt;
      waiting = undefined;
      if (reply.status !== 200) throw new Error(`event #${i} (${status}) answered ${reply.status} ${reply.body}`);
      if (w.seenAt === undefined) throw new Error(`event #${i}: no onDidChangeAgent with status ${status} before the reply`);
      if (i >= WARM_UP) {
        statusTimes.push(w.seenAt - w.sentAt);
        bareTimes.push(bareMs);
        eventTimes.push(eventMs);
      }
    }
    const problems = ctx.log.lines.filter((l) => l.startsWith('warn') || l.startsWith('error'));
    if (problems.length > 0) throw new Error(`the bridge logged problems:\n${problems.slice(0, 5).join('\n')}`);

    const s = asc(statusTimes);
    const b = asc(bareTimes);
    const e = asc(eventTimes);
    const p50 = pct(s, 50);
    const p99 = pct(s, 99);
    console.log(`Status latency: hook POST written -> Fleet.onDidChangeAgent with the new status (Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
    console.log(`  ${EVENTS} events alternating UserPromptSubmit -> working / Stop -> idle, one keep-alive connection, after ${WARM_UP} warm-up:`);
    console.log(`    p50 ${ms(p50)}  p90 ${ms(pct(s, 90))}  p99 ${ms(p99)}  max ${ms(s.at(-1)!)}`);
    console.log(`  baseline: bare HTTP round trip to a trivial route on the same bridge (interleaved, ${EVENTS} requests):`);
    console.log(`    p50 ${ms(pct(b, 50))}  p90 ${ms(pct(b, 90))}  p99 ${ms(pct(b, 99))}  max ${ms(b.at(-1)!)}`);
    console.log(`  for context, the same hook events' full round trip (reply received): p50 ${ms(pct(e, 50))}  p99 ${ms(pct(e, 99))}`);
    console.log(`  ratio status p50 / bare round trip p50: ${(p50 / pct(b, 50)).toFixed(2)}x; p99: ${(p99 / pct(b, 99)).toFixed(2)}x`);
    console.log('  (the status changes before the reply is written, so a ratio under 1 means the handler costs less than the way back)');
    console.log(`  target status p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'NOT met'}`);
  } finally {
    listener.dispose();
    httpAgent.destroy();
    ctx.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
