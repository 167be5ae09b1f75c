// The real Claude Code CLI, offline, against the scripted model server and a stand-in bridge: its hook payloads
// parse with our schemas, our permission replies steer it, it fails safe when the bridge is down (http and
// command hooks alike), and the transcript reader finds exactly the usage the model server served.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookFacts, neutralReply, permissionReply } from '../../../src/adapters/claudeCode/hookMapping';
import { buildHookSettings } from '../../../src/adapters/claudeCode/hookSettings';
import { TranscriptReader } from '../../../src/adapters/claudeCode/transcriptReader';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { HookPayload, PermissionDecision } from '../../../src/shared/claudeCode/hookPayloads';
import { parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import { loadScenarios, scenarioUsage } from '../../fixtures/modelServer/scenario';
import type { ClaudeRun, Sandbox } from './claudeRunner';
import { buildHookProgram, claudeAvailable, createSandbox, runClaude } from './claudeRunner';
import type { StandInBridge } from './loopback';
import { closedPort, replyJson, startStandInBridge } from './loopback';

const TOKEN = 'agent-token-123';
const scenarios = loadScenarios(new URL('../../fixtures/modelServer/scenarios', import.meta.url).pathname);

interface Bridge extends StandInBridge {
  readonly payloads: HookPayload[];
  readonly parseErrors: string[];
}

/** A bridge that checks the token, parses every payload, and answers PreToolUse with `decision`. */
async function startBridge(decision: PermissionDecision | undefined, reason: string): Promise<Bridge> {
  const payloads: HookPayload[] = [];
  const parseErrors: string[] = [];
  const bridge = await startStandInBridge((hook, res) => {
    if (hook.path !== '/hooks/claude-code' || hook.headers.authorization !== `Bearer ${TOKEN}`) {
      parseErrors.push(`bad path or token: ${hook.path} ${String(hook.headers.authorization)}`);
      replyJson(res, 401, {});
      return;
    }
    const parsed = parseHookPayload(hook.body);
    if (!parsed.ok) {
      parseErrors.push(parsed.error);
      replyJson(res, 400, {});
      return;
    }
    payloads.push(parsed.payload);
    const event = parsed.payload.hook_event_name;
    replyJson(res, 200, event === 'PreToolUse' || event === 'PermissionRequest' ? permissionReply(event, decision, reason) : neutralReply());
  });
  return { ...bridge, payloads, parseErrors };
}

describe('real Claude Code CLI (offline, scripted model)', function () {
  this.timeout(120_000);
  let model: ModelServer;
  let hookDir: string;
  let hookScript: string;
  const sandboxes: Sandbox[] = [];
  const bridges: StandInBridge[] = [];

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer();
    // The fallback command hook, bundled the way esbuild.mjs bundles dist/hook.js.
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-hook-'));
    hookScript = join(hookDir, 'hook.js');
    await buildHookProgram(hookScript);
  });
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.stop()));
    for (const s of sandboxes.splice(0)) s.dispose();
  });
  after(async () => {
    await model?.stop();
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
  });

  const sandbox = (): Sandbox => {
    const s = createSandbox();
    sandboxes.push(s);
    return s;
  };
  const bridge = async (decision: PermissionDecision | undefined, reason = 'decided by the test'): Promise<Bridge> => {
    const b = await startBridge(decision, reason);
    bridges.push(b);
    return b;
  };
  const run = (s: Sandbox, scenario: string, settings: unknown, bridgeUrl: string): Promise<ClaudeRun> =>
    runClaude({
      sandbox: s,
      prompt: `[scenario:${scenario}] please`,
      settings,
      modelUrl: model.url,
      env: { FLOTILLA_AGENT_ID: 'agent-1', FLOTILLA_AGENT_TOKEN: TOKEN, FLOTILLA_BRIDGE_URL: bridgeUrl },
    });
  const httpSettings = (bridgeUrl: string): unknown =>
    buildHookSettings({ bridgeUrl, timeoutSeconds: 30, hookProgram: { script: hookScript, node: process.execPath } });
  const commandSettings = (bridgeUrl: string): unknown =>
    buildHookSettings({ bridgeUrl, mode: 'command', timeoutSeconds: 30, hookProgram: { script: hookScript, node: process.execPath } });
  const requestsOf = (sessionId: string) => model.requests.filter((r) => r.conversation === sessionId && r.kind === 'turn');
  const sessionOf = (r: ClaudeRun): string => String(r.result?.session_id);

  function assertCompleted(r: ClaudeRun): void {
    assert.equal(r.timedOut, false, 'claude did not finish in time');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.result?.subtype, 'success');
  }

  it('allow: Bash writes out.txt; every payload parses and maps; transcript usage equals what was served', async () => {
    const s = sandbox();
    const b = await bridge('allow');
    const r = await run(s, 'write-file', httpSettings(b.url), b.url);
    assertCompleted(r);
    assert.equal(readFileSync(join(s.repo, 'out.txt'), 'utf8'), 'hi\n');

    assert.deepEqual(b.parseErrors, []);
    const events = b.payloads.map((p) => p.hook_event_name);
    assert.deepEqual(events, ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd']);
    assert.deepEqual(
      b.payloads.map((p) => hookFacts(p, sessionOf(r)).facts.map((f) => ('phase' in f ? `${f.type}:${f.phase}` : f.type)).join(',')),
      ['session:started', 'turn:started', 'tool:started', 'tool:ended', 'turn:ended', 'session:ended'],
    );
    assert.equal(hookFacts(b.payloads[2]!).tool?.summary, 'Bash: echo hi > out.txt');
    assert.ok(b.payloads.every((p) => p.session_id === sessionOf(r)));

    // The transcript holds exactly the usage the scenario served; Claude Code's own result line agrees.
    const reader = new TranscriptReader(b.payloads.at(-1)!.transcript_path);
    const read = await reader.read();
    assert.deepEqual(read.skipped, []);
    const served = scenarioUsage(scenarios.get('write-file')!);
    assert.deepEqual(Object.fromEntries(reader.totalsByModel), Object.fromEntries(served));
    const usage = r.result?.usage as Record<string, number>;
    const total = reader.total;
    assert.deepEqual(
      [usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens],
      [total.input, total.output, total.cacheRead, total.cacheCreation],
    );
    assert.deepEqual(read.deltas.map((d) => d.requestId), requestsOf(sessionOf(r)).map((q) => q.requestId));

    // Claude Code prices the usage under the model it asked for; our price book agrees for that model.
    const [[requested, claudeCost]] = Object.entries(r.result?.modelUsage as Record<string, { costUSD: number }>).map(([m, u]) => [m, u.costUSD] as const);
    const ours = new PriceBook().price(requested!, { input: total.input, output: total.output, cacheRead: total.cacheRead, cacheWrite: total.cacheCreation });
    assert.ok(ours.ok, ours.ok ? '' : ours.reason);
    assert.ok(Math.abs(ours.costUsd - claudeCost!) < 1e-9, `${requested}: ours ${ours.costUsd} vs Claude Code ${claudeCost}`);
  });

  it('deny: the file is not written and the model sees the denial reason in the tool_result', async () => {
    const s = sandbox();
    const b = await bridge('deny', 'Flotilla policy: no writes in this test');
    const r = await run(s, 'write-file', httpSettings(b.url), b.url);
    assertCompleted(r);
    assert.equal(existsSync(join(s.repo, 'out.txt')), false);
    const [, second] = requestsOf(sessionOf(r));
    assert.equal(second?.toolResults.length, 1);
    assert.equal(second?.toolResults[0]?.isError, true);
    assert.match(second?.toolResults[0]?.text ?? '', /Flotilla policy: no writes in this test/);
    assert.deepEqual(b.parseErrors, []);
  });

  it('a failing tool reaches PostToolUseFailure, which parses and maps to a failed tool with the error', async () => {
    const s = sandbox();
    const b = await bridge('allow');
    const r = await run(s, 'ask-push', httpSettings(b.url), b.url);
    assertCompleted(r);
    assert.deepEqual(b.parseErrors, []);
    const failure = b.payloads.find((p) => p.hook_event_name === 'PostToolUseFailure');
    assert.ok(failure, `events: ${b.payloads.map((p) => p.hook_event_name).join(', ')}`);
    const action = hookFacts(failure, failure.session_id);
    assert.deepEqual(action.facts.map((f) => f.type + ('phase' in f ? `:${f.phase}` : '')), ['tool:failed']);
    assert.equal(action.tool?.summary, 'Bash: git push origin feature');
    assert.match(action.detail ?? '', /origin/);
  });

  it('fail-safe: with the bridge down, http hooks let nothing through', async () => {
    const s = sandbox();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(s, 'write-file', httpSettings(down), down);
    assertCompleted(r);
    assert.equal(existsSync(join(s.repo, 'out.txt')), false);
    assert.equal(requestsOf(sessionOf(r))[1]?.toolResults[0]?.isError, true);
  });

  it('the fallback command hook relays the decision when the bridge is up', async () => {
    const s = sandbox();
    const b = await bridge('allow');
    const r = await run(s, 'write-file', commandSettings(b.url), b.url);
    assertCompleted(r);
    assert.equal(readFileSync(join(s.repo, 'out.txt'), 'utf8'), 'hi\n');
    assert.deepEqual(b.payloads.map((p) => p.hook_event_name), ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd']);
  });

  it('fail-safe: with the bridge down, the fallback command hook lets nothing through either', async () => {
    const s = sandbox();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(s, 'write-file', commandSettings(down), down);
    assertCompleted(r);
    assert.equal(existsSync(join(s.repo, 'out.txt')), false);
    assert.equal(requestsOf(sessionOf(r))[1]?.toolResults[0]?.isError, true);
  });
});
