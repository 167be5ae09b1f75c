// Records what the real Claude Code CLI reports when the model API answers 429 (the quota wall), for the quota unit
// tests: runs the CLI headless against test/fixtures/quotaServer.ts for each case below with a command hook that logs
// every payload, and writes <case>.recorded.json here: the hook payloads (sandbox paths replaced by /sandbox, with the
// time each arrived), the transcript's API-error line, how many main-loop requests the server refused, and the
// reset time the server sent. Run by hand when Claude Code changes: npx tsx test/unit/claudeCode/quota/record.ts
//
// Cases: an API-key agent over a rate limit (retry-after: Claude Code retries, then gives up with no reset time), and
// a subscription agent (OAuth token) at its usage limit (anthropic-ratelimit-unified-* headers: no retry, and the
// message names the reset time in the CLI's time zone, "resets 2:05pm (Europe/Berlin)"; a day's date when over 24 h).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rateLimitReply, startQuotaServer } from '../../../fixtures/quotaServer';
import { createSandbox, runClaude } from '../claudeRunner';

const HERE = __dirname;
const HOOK = path.join(HERE, '../../health/traces/hookRecorder.cjs');
const EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop', 'StopFailure', 'Notification', 'SessionEnd'];
const RECORDED_ZONE = 'Europe/Berlin';

interface Case {
  readonly name: string;
  /** Seconds from now to the reset, rounded to a whole minute (Claude Code shows minutes). */
  readonly resetInS: number;
  readonly subscription: boolean;
  readonly headers: (resetEpochS: number) => Record<string, string>;
}

const CASES: readonly Case[] = [
  { name: 'api-key-rate-limit', resetInS: 60, subscription: false, headers: (r) => ({ 'retry-after': '1', 'anthropic-ratelimit-requests-reset': new Date(r * 1000).toISOString() }) },
  {
    name: 'subscription-usage-limit',
    resetInS: 3 * 3600,
    subscription: true,
    headers: (r) => ({ 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(r), 'anthropic-ratelimit-unified-representative-claim': 'five_hour' }),
  },
  {
    name: 'subscription-weekly-limit',
    resetInS: 30 * 3600,
    subscription: true,
    headers: (r) => ({ 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(r), 'anthropic-ratelimit-unified-representative-claim': 'seven_day' }),
  },
];

async function record(c: Case): Promise<void> {
  const resetEpochS = Math.ceil((Date.now() / 1000 + c.resetInS) / 60) * 60;
  const server = await startQuotaServer(() => rateLimitReply(c.headers(resetEpochS)));
  const sandbox = createSandbox();
  const raw = path.join(sandbox.root, 'trace.jsonl');
  const hooks = Object.fromEntries(EVENTS.map((e) => [e, [{ ...(e.includes('ToolUse') ? { matcher: '*' } : {}), hooks: [{ type: 'command', command: `node ${HOOK}`, timeout: 30 }] }]]));
  const auth: Record<string, string> = c.subscription ? { ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-fixture-not-a-token' } : {};
  try {
    const run = await runClaude({ sandbox, prompt: 'go', settings: { hooks }, modelUrl: server.url, env: { TRACE_FILE: raw, TZ: RECORDED_ZONE, CLAUDE_CODE_MAX_RETRIES: '2', ...auth }, timeoutMs: 120_000 });
    if (run.timedOut) throw new Error(`${c.name}: claude timed out`);
    const root = fs.realpathSync(sandbox.root);
    const clean = (text: string): string => text.split(root).join('/sandbox').split(sandbox.root).join('/sandbox');
    const hooksSeen = fs.readFileSync(raw, 'utf8').trim().split('\n').map((l) => JSON.parse(clean(l)) as unknown);
    const projects = path.join(sandbox.configDir, 'projects');
    const transcriptLines = fs.readdirSync(projects).flatMap((d) =>
      fs.readdirSync(path.join(projects, d)).filter((f) => f.endsWith('.jsonl')).flatMap((f) => fs.readFileSync(path.join(projects, d, f), 'utf8').trim().split('\n')),
    );
    const apiError = transcriptLines.map((l) => JSON.parse(clean(l)) as Record<string, unknown>).filter((l) => l.isApiErrorMessage === true);
    const out = {
      recordedWith: 'Claude Code 2.1.197, claude -p, TZ=' + RECORDED_ZONE,
      case: c.name,
      resetEpochMs: resetEpochS * 1000,
      headers: c.headers(resetEpochS),
      refusedRequests: server.refused.length,
      exitCode: run.code,
      result: run.result?.result,
      hooks: hooksSeen,
      transcriptApiErrors: apiError,
    };
    fs.writeFileSync(path.join(HERE, `${c.name}.recorded.json`), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`${c.name}: ${server.refused.length} refused, result ${JSON.stringify(out.result)}`);
  } finally {
    sandbox.dispose();
    await server.stop();
  }
}

async function main(): Promise<void> {
  for (const c of CASES) await record(c);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
