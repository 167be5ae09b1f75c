// The real interactive Claude Code CLI (tmux) launched from the adapter's own plan, its hooks and its OpenTelemetry
// logs on a real bridge: a /compact's request, which Claude Code writes to no transcript, is counted from its
// `api_request` event, once; the main thread's requests, which arrive both ways, count once (from the transcript).
// The agent's usage ends equal, to the token, to what the scripted model server served.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quote } from 'shell-quote';
import { ClaudeCodeAdapter } from '../../../src/adapters/claudeCode/claudeCodeAdapter';
import { OTEL_LOGS_PATH } from '../../../src/adapters/claudeCode/otelUsage';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import type { AgentRuntime } from '../../../src/core/fleet/agentRuntime';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { loadScenarios } from '../../fixtures/modelServer/scenario';
import { claudeStack } from '../../kit/claudeStack';
import { waitUntil } from '../../kit/adapterContract';
import { newFleet } from '../core/fleetKit';
import { CLAUDE_BIN } from './claudeRunner';

const API_KEY = 'sk-ant-flotilla-fixture-0123456789abcdefghij';
const scenarios = loadScenarios(path.resolve('test/fixtures/otel/scenarios'));

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return fs.existsSync(CLAUDE_BIN);
  } catch {
    return false;
  }
})();

interface ApiRequestSeen {
  readonly requestId: string;
  readonly source: string;
}

describe("Claude Code's OpenTelemetry events: the requests no transcript holds, counted once", function () {
  this.timeout(90_000);
  const socket = `flotilla-otel-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let root: string;
  let model: ModelServer;
  let bridge: BridgeServer;
  let approvals: ApprovalQueue;
  let stack: AgentRuntime;
  let ctx: ReturnType<typeof newFleet>;
  const seen: ApiRequestSeen[] = [];

  before(function () {
    if (!hasTmux) this.skip(); // the interactive CLI (the only one that compacts on /compact) needs tmux and the CLI
  });

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-otel-'));
    model = await startModelServer({ scenarios });
    ctx = newFleet();
    approvals = new ApprovalQueue(() => ({ timeoutMs: 30_000, escalateAfterMs: 30_000 }));
    bridge = new BridgeServer(ctx.log);
    // The real bridge; the OTel route's bodies are noted on the way in (what Claude Code sent, counted or not).
    const noting: Pick<BridgeServer, 'route'> = {
      route: (p, handler, access) =>
        bridge.route(
          p,
          p === OTEL_LOGS_PATH
            ? (request, abort) => {
                for (const e of apiRequests(request.body)) seen.push(e);
                return handler(request, abort);
              }
            : handler,
          access,
        ),
    };
    stack = claudeStack({ fleet: ctx.fleet, approvals, log: ctx.log, bridge: noting });
  });

  afterEach(async () => {
    // Claude Code writes its config as it exits: end it and wait for it before the folder goes.
    let pid: number | undefined;
    try {
      pid = Number(tmux('list-panes', '-t', 'otel', '-F', '#{pane_pid}').trim());
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    if (pid) await waitUntil('claude to exit', () => !alive(pid!), 10_000).catch(() => undefined);
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    stack?.dispose();
    approvals?.dispose();
    bridge?.dispose();
    await model?.stop();
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('a /compact (query_source compact) is counted from its event; the main thread is not counted twice', async () => {
    const configDir = path.join(root, 'config');
    const home = path.join(root, 'home');
    const wt = path.join(root, 'wt');
    for (const d of [configDir, home, wt]) fs.mkdirSync(d);
    execFileSync('git', ['init', '-q', wt]);
    fs.writeFileSync(path.join(configDir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, theme: 'dark', customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] } }));
    const userEnv = { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: API_KEY, CLAUDE_CONFIG_DIR: configDir, HOME: home, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    const port = (await bridge.listen(0)).port;
    const { agent, token } = ctx.fleet.create({ name: 'compactor', kind: 'claude-code', cwd: wt, worktree: { path: wt, branch: 'b', baseCommit: 'HEAD', repoRoot: wt } });
    const adapter = new ClaudeCodeAdapter({ claudePath: () => CLAUDE_BIN, log: ctx.log, env: {}, home });
    const plan = await adapter.plan({ agent, token, bridgeUrl: `http://127.0.0.1:${port}`, prompt: '[scenario:otel-compact] please', stateDir: path.join(root, 'state'), hookProgram: path.resolve('dist/hook.js'), approvalTimeoutSeconds: 30, userEnv });
    assert.equal(plan.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, `http://127.0.0.1:${port}${OTEL_LOGS_PATH}`);
    for (const f of plan.files ?? []) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content, { mode: f.mode });
    }
    const env = Object.entries({ PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...plan.env }).map(([k, v]) => `${k}=${v}`);
    tmux('new-session', '-d', '-s', 'otel', '-x', '160', '-y', '45', '-c', plan.cwd, `env -i ${quote(env)} ${plan.commandLine}`);
    const id = agent.id;
    const screen = () => tmux('capture-pane', '-p', '-t', 'otel');

    // The scripted turn (Glob, then "done"), its two requests read from the transcript.
    await waitUntil('the turn to end', () => ctx.fleet.get(id)!.lastTurn === 'ended', 40_000).catch((err: Error) => {
      throw new Error(`${err.message}; screen:\n${screen()}`);
    });
    // Their OpenTelemetry events too (the exporter posts every second): the main thread's, not to be counted again.
    await waitUntil('the main-thread events', () => seen.filter((e) => e.source === 'repl_main_thread').length >= 2, 20_000);

    tmux('send-keys', '-t', 'otel', '/compact', 'Enter');
    await waitUntil('the compaction event', () => seen.some((e) => e.source === 'compact'), 40_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(seen)}; screen:\n${screen()}`);
    });

    const served = model.requests.filter((r) => r.kind === 'turn');
    assert.equal(served.length, 3, `requests: ${JSON.stringify(model.requests.map((r) => r.kind))}`);
    const compactId = seen.find((e) => e.source === 'compact')!.requestId;
    assert.equal(compactId, served[2]!.requestId, 'the event names the request the server answered last');
    const transcript = fs.readFileSync(ctx.fleet.get(id)!.transcriptPath!, 'utf8');
    assert.ok(!transcript.includes(compactId), 'the compaction request is in no transcript line');
    for (const r of served.slice(0, 2)) assert.ok(transcript.includes(`"requestId":"${r.requestId}"`), `${r.requestId} is in the transcript`);

    // To the token: the three requests the server answered, each once (the compaction got turn 1 again: its history
    // holds one assistant message; a main request counted twice, or the compaction missed, gives other sums).
    const turns = scenarios.get('otel-compact')!.turns;
    const want = served.map((r) => turns[r.turn!]!.usage).reduce((s, u) => ({ input: s.input + u.input, output: s.output + u.output, cacheRead: s.cacheRead + u.cacheRead, cacheWrite: s.cacheWrite + u.cacheCreation }), { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    assert.deepEqual(ctx.fleet.get(id)!.usage, want);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The api_request events of an OTLP JSON logs body: request id and query source. */
function apiRequests(body: unknown): ApiRequestSeen[] {
  const out: ApiRequestSeen[] = [];
  const b = body as { resourceLogs?: { scopeLogs?: { logRecords?: { attributes?: { key: string; value: { stringValue?: string } }[] }[] }[] }[] };
  for (const rl of b.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const lr of sl.logRecords ?? []) {
        const a = new Map((lr.attributes ?? []).map((x) => [x.key, x.value.stringValue]));
        if (a.get('event.name') === 'api_request') out.push({ requestId: a.get('request_id') ?? '', source: a.get('query_source') ?? '' });
      }
  return out;
}
