// What one Claude Code hook event costs the agent when Flotilla lets it through: the bridge's HTTP round trip
// (real BridgeServer + ClaudeHookHandler + Fleet + ApprovalQueue + UsageTracker) against the baseline a command
// hook pays per event, a bare `node -e 0` process start; plus the bundled fallback command hook (dist/hook.js).
// Run: npx tsx bench/hookOverhead.ts
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { BRIDGE_URL_ENV, TOKEN_ENV } from '../src/adapters/claudeCode/hookSettings';
import { HOOK_SAMPLES } from '../test/unit/claudeCode/hookSamples';
import { asc, ms, pct, startHookBridge } from './benchKit';

const REQUESTS = 1000;
const WARM_UP = 200;
const PROCESS_STARTS = 30;
const HOOK_RUNS = 20;
const TARGET_P50_MS = 2;
const TARGET_RATIO = 30;
const repoRoot = path.resolve(__dirname, '..');



/** A transcript the size of a short session, so the usage poll each hook triggers reads a real file. */
function writeTranscript(file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    lines.push(JSON.stringify({ type: 'user', message: { role: 'user', content: `step ${i}` } }));
    lines.push(
      JSON.stringify({
        type: 'assistant',
        requestId: `req_${i}`,
        timestamp: '2026-01-01T00:00:00.000Z',
        message: {
          id: `msg_${i}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [{ type: 'text', text: 'working on it' }],
          usage: { input_tokens: 150, output_tokens: 40, cache_read_input_tokens: 2000, cache_creation_input_tokens: 0, service_tier: 'standard' },
        },
      }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Runs dist/hook.js once with the payload on stdin, as Claude Code runs a command hook. */
function runHookProgram(hookJs: string, env: NodeJS.ProcessEnv, payload: string): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [hookJs, '--timeout', '10'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
    child.stdin.end(payload);
  });
}

/** The environment a child gets, minus what tsx or npm put there (it would slow every start). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
  return env;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-hook-'));
  const transcript = path.join(dir, 'session.jsonl');
  writeTranscript(transcript);

  // No policy (no opinion), so PreToolUse is recorded and answered at once.
  const ctx = await startHookBridge();
  const { bridge, port } = ctx;
  let connections = 0;
  bridge.httpServer.on('connection', () => connections++);
  const { agent, token } = ctx.fleet.create({ name: 'bench-1', kind: 'claude-code', cwd: dir });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const sample = (i: number, event: 'PreToolUse' | 'UserPromptSubmit') =>
    JSON.stringify({ ...HOOK_SAMPLES[event], cwd: dir, transcript_path: transcript, ...(event === 'PreToolUse' ? { tool_use_id: `toolu_${i}` } : {}) });

  try {
    // A session under way: the prompt moved the agent to working, then the tool calls come.
    const prompt = await ctx.post(httpAgent, token, sample(0, 'UserPromptSubmit'));
    if (prompt.status !== 200) throw new Error(`UserPromptSubmit answered ${prompt.status}: ${prompt.body}`);

    const times: number[] = [];
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      const body = sample(i, 'PreToolUse');
      const started = performance.now();
      const reply = await ctx.post(httpAgent, token, body);
      const elapsed = performance.now() - started;
      if (reply.status !== 200 || reply.body !== '{}') throw new Error(`PreToolUse #${i} answered ${reply.status} ${reply.body}`);
      if (i >= WARM_UP) times.push(elapsed);
    }
    const recorded = ctx.fleet.get(agent.id);
    if (recorded?.status !== 'working' || recorded.currentTool?.name !== 'Bash') throw new Error(`the fleet did not record the tool calls: ${JSON.stringify(recorded)}`);
    const problems = ctx.log.lines.filter((l) => l.startsWith('warn') || l.startsWith('error'));
    if (problems.length > 0) throw new Error(`the bridge logged problems:\n${problems.slice(0, 5).join('\n')}`);
    const bridgeSorted = asc(times);
    const bridgeP50 = pct(bridgeSorted, 50);

    // Baseline: what a command hook pays before doing anything, once per event.
    const env = childEnv();
    const starts: number[] = [];
    for (let i = 0; i < PROCESS_STARTS + 2; i++) {
      const started = performance.now();
      const r = spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
      const elapsed = performance.now() - started;
      if (r.status !== 0) throw new Error(`node -e 0 exited ${r.status ?? r.signal}`);
      if (i >= 2) starts.push(elapsed); // the first two warm the page cache
    }
    const startSorted = asc(starts);
    const startP50 = pct(startSorted, 50);
    const ratio = startP50 / bridgeP50;

    console.log(`Hook overhead: PreToolUse let through by Flotilla (Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
    console.log(`  bridge round trip, ${REQUESTS} POSTs on ${connections} keep-alive connection(s) after ${WARM_UP} warm-up (payload ${Buffer.byteLength(sample(0, 'PreToolUse'))} B):`);
    console.log(`    p50 ${ms(bridgeP50)}  p90 ${ms(pct(bridgeSorted, 90))}  p99 ${ms(pct(bridgeSorted, 99))}  max ${ms(bridgeSorted.at(-1)!)}`);
    console.log(`  baseline: \`node -e 0\` process start (spawnSync, ${PROCESS_STARTS} runs):`);
    console.log(`    p50 ${ms(startP50)}  p99 ${ms(pct(startSorted, 99))}`);
    console.log(`  ratio process start p50 / bridge p50: ${ratio.toFixed(1)}x`);
    console.log(`  target bridge p50 < ${TARGET_P50_MS} ms: ${bridgeP50 < TARGET_P50_MS ? 'met' : 'NOT met'}`);
    console.log(`  target at least ${TARGET_RATIO}x below a process start: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`);

    await measureHookProgram(port, token, sample, bridgeP50, startP50);
  } finally {
    httpAgent.destroy();
    ctx.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fallback command hook (a Node process per event) against the same bridge. */
async function measureHookProgram(port: number, token: string, sample: (i: number, e: 'PreToolUse') => string, bridgeP50: number, startP50: number): Promise<void> {
  const hookJs = path.join(repoRoot, 'dist', 'hook.js');
  if (!fs.existsSync(hookJs)) {
    console.log('  dist/hook.js missing: building it with `node esbuild.mjs`');
    const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, env: childEnv(), encoding: 'utf8' });
    if (built.status !== 0 || !fs.existsSync(hookJs)) {
      console.log(`  fallback command hook: not measured, the build failed (exit ${built.status}):\n${built.stderr.trim().split('\n').slice(-10).join('\n')}`);
      return;
    }
  }
  const env = childEnv({ [BRIDGE_URL_ENV]: `http://127.0.0.1:${port}`, [TOKEN_ENV]: token });
  const times: number[] = [];
  for (let i = 0; i < HOOK_RUNS + 2; i++) {
    const run = await runHookProgram(hookJs, env, sample(100_000 + i, 'PreToolUse'));
    if (run.code !== 0 || run.stdout.trim() !== '{}' || run.stderr !== '') {
      throw new Error(`dist/hook.js run #${i}: exit ${run.code}, stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`);
    }
    if (i >= 2) times.push(run.ms);
  }
  const sorted = asc(times);
  const p50 = pct(sorted, 50);
  console.log(`  fallback command hook dist/hook.js (spawn + stdin + POST + reply, ${HOOK_RUNS} runs after 2 warm-up):`);
  console.log(`    p50 ${ms(p50)}  p99 ${ms(pct(sorted, 99))}  = ${(p50 / bridgeP50).toFixed(1)}x the bridge p50, ${(p50 / startP50).toFixed(2)}x a bare process start`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
