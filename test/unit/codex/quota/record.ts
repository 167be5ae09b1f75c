// Records what the real Codex CLI 0.171 writes at the quota wall, for the Codex quota unit tests: `codex exec` (with
// Flotilla's hook overrides pointing at a recording hook) against a Responses server that answers 429, and writes
// <case>.recorded.json here: the hook payloads, the rollout lines after the prompt (sandbox paths replaced), the
// requests the server got and the reset time it sent. Run by hand when Codex changes:
// npx tsx test/unit/codex/quota/record.ts
// Seen on 0.171.0: no Stop hook after a failed turn; the rollout's task_complete carries `error.codex_error_info`
// ("usage_limit_exceeded", or {response_too_many_failed_attempts:{http_status_code:429}} for a plain 429), and at a
// usage limit a token_count line first, whose rate_limits windows carry `resets_at` (epoch seconds).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { codexHookOverrides } from '../../../../src/adapters/codex/codexHookConfig';
import { createCodexSandbox, CODEX_BIN } from '../codexTui';

const HERE = __dirname;
const HOOK = join(HERE, '../../health/traces/hookRecorder.cjs');

interface Case {
  readonly name: string;
  readonly headers: (resetS: number) => Record<string, string>;
  readonly body: (resetS: number) => unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'usage-limit',
    headers: (r) => ({ 'x-codex-primary-used-percent': '100', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-at': String(r) }),
    body: (r) => ({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: r, resets_in_seconds: r - Math.floor(Date.now() / 1000) } }),
  },
  { name: 'rate-limit', headers: () => ({ 'retry-after': '1' }), body: () => ({ error: { type: 'rate_limit_exceeded', message: 'Rate limit reached' } }) },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function record(c: Case): Promise<void> {
  const resetS = Math.ceil((Date.now() / 1000 + 3 * 3600) / 60) * 60;
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(429, { 'content-type': 'application/json', ...c.headers(resetS) });
      res.end(JSON.stringify(c.body(resetS)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const sandbox = createCodexSandbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
  const traceFile = join(sandbox.root, 'hooks.jsonl');
  try {
    const args = ['60', CODEX_BIN, 'exec', '--skip-git-repo-check', ...codexHookOverrides({ hookProgram: HOOK, approvalTimeoutSeconds: 60 }).flatMap((o) => ['-c', o]), 'hello'];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: sandbox.home, CODEX_HOME: sandbox.codexHome, MOCK_API_KEY: 'fixture', NO_PROXY: '127.0.0.1', TRACE_FILE: traceFile, TZ: 'UTC' };
    const code = await new Promise<number | null>((resolve) => spawn('timeout', args, { cwd: sandbox.work, env, stdio: 'ignore' }).on('close', resolve));
    const root = realpathSync(sandbox.root);
    const clean = (text: string): string => text.split(root).join('/sandbox').split(sandbox.root).join('/sandbox');
    const hooks = readFileSync(traceFile, 'utf8').trim().split('\n').map((l) => JSON.parse(clean(l)) as unknown);
    const [rollout] = walk(join(sandbox.codexHome, 'sessions')).filter((f) => /rollout-.*\.jsonl$/.test(f));
    // The lines that matter (event messages after the prompt); instructions and the environment are left out.
    const lines = readFileSync(rollout!, 'utf8').trim().split('\n').map((l) => JSON.parse(clean(l)) as { type: string; payload?: { type?: string } });
    const events = lines.filter((l) => l.type === 'event_msg' && ['token_count', 'task_complete', 'error', 'turn_aborted'].includes(l.payload?.type ?? ''));
    const out = { recordedWith: 'Codex CLI 0.171.0, codex exec', case: c.name, resetEpochMs: resetS * 1000, requests, exitCode: code, hooks, rolloutEvents: events };
    writeFileSync(join(HERE, `${c.name}.recorded.json`), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`${c.name}: ${requests} requests, exit ${code}, ${events.length} rollout events, hooks ${hooks.map((h) => (h as { payload: { hook_event_name: string } }).payload.hook_event_name).join(' ')}`);
  } finally {
    sandbox.dispose();
    server.closeAllConnections();
    server.close();
  }
}

async function main(): Promise<void> {
  for (const c of CASES) await record(c);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
