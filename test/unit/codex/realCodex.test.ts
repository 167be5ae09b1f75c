// The real Codex CLI (interactive TUI in tmux) launched from Flotilla's Codex adapter plan, reporting through the
// real bundled hook program and the real BridgeServer to the adapter: status facts in order, exact tokens from the
// rollout equal to what the scripted server sent, an escalation approved and one denied through PermissionRequest
// (with what the terminal shows while Flotilla holds it), a prohibited command denied by PreToolUse, and Escape
// ending the turn as interrupted.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodexAdapter } from '../../../src/adapters/codex/codexAdapter';
import { APPROVAL_STATUS_MESSAGE } from '../../../src/adapters/codex/codexHookConfig';
import type { AdapterHost } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { DisposableStore } from '../../../src/core/events';
import type { Logger } from '../../../src/core/log';
import type { AgentSnapshot, Usage } from '../../../src/shared/agent';
import { AgentSnapshotSchema } from '../../../src/shared/agent';
import type { CodexServer } from '../../fixtures/codexServer/codexServer';
import { startCodexServer } from '../../fixtures/codexServer/codexServer';
import type { CodexSandbox } from './codexTui';
import { CODEX_BIN, CodexTui, codexAvailable, createCodexSandbox } from './codexTui';
import { RecordingSink, factName } from './recordingSink';
import { buildHookProgram } from '../claudeCode/claudeRunner';

const TOKEN = 'codex-agent-token-1';
const AGENT_ID = 'codex-1';

const logLines: string[] = [];
const log: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: (m) => void logLines.push(`info ${m}`),
  warn: (m) => void logLines.push(`warn ${m}`),
  error: (m) => void logLines.push(`error ${String(m)}`),
};

const sum = (usages: Usage[]): Usage =>
  usages.reduce((a, u) => ({ input: a.input + u.input, output: a.output + u.output, cacheRead: a.cacheRead + u.cacheRead, cacheWrite: a.cacheWrite + u.cacheWrite }), {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
  });

describe('real Codex CLI under the Codex adapter (TUI in tmux, scripted Responses API)', function () {
  this.timeout(240_000);
  let server: CodexServer;
  let bridge: BridgeServer;
  let hookDir: string;
  let sandbox: CodexSandbox;
  let tui: CodexTui;
  const scope = new DisposableStore();
  const sink = new RecordingSink(/curl[^|]*\|\s*sh/);
  let agent: AgentSnapshot;

  before(async function () {
    const missing = codexAvailable();
    if (missing) {
      console.warn(`skipped: ${missing}`);
      this.skip();
    }
    server = await startCodexServer();
    sandbox = createCodexSandbox(server.baseUrl);
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-codex-hook-'));
    const hookProgram = join(hookDir, 'hook.js');
    // The bundled hook program, built the way esbuild.mjs builds dist/hook.js.
    await buildHookProgram(hookProgram);

    bridge = new BridgeServer(log);
    const { port } = await bridge.listen(0);
    agent = AgentSnapshotSchema.parse({
      id: AGENT_ID,
      name: 'codex test agent',
      kind: 'codex',
      status: 'starting',
      createdAt: Date.now(),
      cwd: sandbox.work,
      // A worktree Flotilla made: the plan trusts it, so Codex opens without "Trust this folder?".
      worktree: { path: sandbox.work, branch: 'flotilla/codex-1', baseCommit: 'HEAD', repoRoot: sandbox.work },
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      usageByModel: {},
      costUsd: 0,
      unpricedModels: [],
    });
    const adapter = new CodexAdapter({ codexPath: CODEX_BIN, node: process.execPath, pollMs: 200 });
    const host: AdapterHost = {
      sink,
      log,
      agentByToken: (t) => (t === TOKEN ? agent : undefined),
      agent: (id) => (id === AGENT_ID ? agent : undefined),
      route: (path, handler) =>
        bridge.route(path, (req, abort) => handler({ agent: host.agent(req.agentId!)!, body: req.body }, abort), {
          authenticate: (t) => host.agentByToken(t)?.id,
        }),
    };
    scope.add(adapter.activate(host));
    adapter.attach(agent, sink, scope);
    const plan = await adapter.plan({
      agent,
      token: TOKEN,
      bridgeUrl: `http://127.0.0.1:${port}`,
      prompt: '[scenario:run-command] please run the command',
      stateDir: sandbox.root,
      hookProgram,
      approvalTimeoutSeconds: 120,
      userEnv: {},
    });
    tui = new CodexTui({ sandbox, commandLine: plan.commandLine, env: plan.env, cwd: plan.cwd, proxyUrl: server.proxyUrl });
    tui.start();
  });

  after(async () => {
    tui?.stop();
    scope.dispose();
    bridge?.dispose();
    await server?.stop();
    sandbox?.dispose();
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
  });

  const turnEnded = (f: AgentSignal) => f.type === 'turn' && f.phase === 'ended';
  const outputsOf = (scenario: string) => server.requests.filter((r) => r.kind === 'turn' && r.scenario === scenario).flatMap((r) => r.toolOutputs);

  it('first prompt (from the plan): facts in order, the command ran, exact tokens equal what the server sent', async () => {
    await sink.waitForFact(turnEnded, 'the first turn to end', 1, 60_000);
    assert.equal(readFileSync(join(sandbox.work, 'out.txt'), 'utf8'), 'hello-from-codex\n');
    const names = sink.facts.map(factName);
    // Usage comes from the rollout (written as each response completes), status from the hooks; the Stop hook
    // reads the rollout first, so both responses are counted before the turn ends.
    assert.deepEqual(names.filter((n) => n !== 'usage'), ['session:started', 'turn:started', 'tool:started', 'tool:ended', 'turn:ended']);
    assert.equal(names.filter((n) => n === 'usage').length, 2);
    assert.ok(names.indexOf('usage') > names.indexOf('turn:started') && names.lastIndexOf('usage') < names.indexOf('turn:ended'), names.join(' '));
    const session = sink.facts[0] as Extract<AgentSignal, { type: 'session' }>;
    assert.match(session.transcriptPath ?? '', /\/sessions\/.*\/rollout-.*\.jsonl$/);
    assert.ok(session.transcriptPath!.startsWith(sandbox.codexHome), 'the rollout is in the user CODEX_HOME: nothing was redirected');
    const tool = sink.facts.find((f) => f.type === 'tool') as Extract<AgentSignal, { type: 'tool' }>;
    assert.equal(tool.action.summary, 'Bash: echo hello-from-codex > out.txt && cat out.txt');
    // Codex never asked: a sandboxed command goes through the gates (screen) only, never to a human.
    assert.equal(sink.screened.length, 1);
    assert.doesNotMatch(tui.screen(), /Hooks need review|Trust this folder/);
  });

  it('an escalation waits in Flotilla (the terminal says so), is allowed, and runs', async () => {
    await tui.type('[scenario:escalate] please write outside');
    const pending = await sink.nextApproval();
    assert.equal(pending.action.tool, 'Bash');
    assert.equal((pending.action.input as { command: string }).command, 'echo escalated > ../outside.txt');
    // Codex hides its own dialog while the hook runs; the hook's status message tells the user where to answer.
    const screen = await tui.waitForScreen(new RegExp(APPROVAL_STATUS_MESSAGE.replace(/'/g, '.')));
    assert.doesNotMatch(screen, /Would you like to run/);
    pending.answer({ decision: 'allow', by: 'user' });
    await sink.waitForFact(turnEnded, 'the escalate turn to end', 2);
    assert.equal(readFileSync(join(sandbox.root, 'outside.txt'), 'utf8'), 'escalated\n');
  });

  it('a denied escalation does not run, and Codex gets the reason', async () => {
    rmSync(join(sandbox.root, 'outside.txt'), { force: true });
    await tui.type('[scenario:escalate] please write outside again');
    const pending = await sink.nextApproval();
    pending.answer({ decision: 'deny', reason: 'not outside the worktree', by: 'user' });
    await sink.waitForFact(turnEnded, 'the denied turn to end', 3);
    assert.equal(existsSync(join(sandbox.root, 'outside.txt')), false);
    assert.ok(
      outputsOf('escalate').some((o) => o.includes('Denied in Flotilla: not outside the worktree')),
      `the model saw: ${JSON.stringify(outputsOf('escalate'))}`,
    );
  });

  it('nobody decides (ask): Codex shows its own dialog, reported as waiting for approval; y runs it', async () => {
    rmSync(join(sandbox.root, 'outside.txt'), { force: true });
    await tui.type('[scenario:escalate] please write outside a third time');
    const pending = await sink.nextApproval();
    pending.answer({ decision: 'ask', reason: 'nobody answered in time' });
    await tui.waitForScreen(/Would you like to run the following command\?/);
    await sink.waitForFact((f) => f.type === 'waiting' && f.for === 'approval', 'waiting for approval in the terminal');
    tui.key('y');
    await sink.waitForFact(turnEnded, 'the asked turn to end', 4);
    assert.equal(readFileSync(join(sandbox.root, 'outside.txt'), 'utf8'), 'escalated\n');
  });

  it('a prohibited command is denied by PreToolUse before it runs', async () => {
    await tui.type('[scenario:prohibited] please install it');
    await sink.waitForFact(turnEnded, 'the prohibited turn to end', 5);
    assert.equal(existsSync(join(sandbox.work, 'pwned.txt')), false);
    const failed = sink.facts.find((f) => f.type === 'tool' && f.phase === 'failed');
    assert.match(failed && 'detail' in failed ? String(failed.detail) : '', /prohibited by policy/);
    assert.ok(
      outputsOf('prohibited').some((o) => o.includes('Denied by Flotilla: prohibited by policy')),
      `the model saw: ${JSON.stringify(outputsOf('prohibited'))}`,
    );
  });

  it('Codex 0.171 offers no plan tool: an update_plan call is refused, and no progress is claimed from it', async () => {
    // When this fails, Codex keeps plans again (its rollout would carry update_plan calls): read them as progress.
    await tui.type('[scenario:plan] please keep a plan');
    await sink.waitForFact(turnEnded, 'the plan turn to end', 6);
    assert.ok(outputsOf('plan').length > 0 && outputsOf('plan').every((o) => o === 'unsupported call: update_plan'), JSON.stringify(outputsOf('plan')));
    assert.equal(sink.facts.filter((f) => f.type === 'progress').length, 0);
  });

  it('Escape during a long command ends the turn as interrupted (from the rollout)', async () => {
    await tui.type('[scenario:slow] please wait');
    const started = (f: AgentSignal) => f.type === 'tool' && f.phase === 'started' && f.action.summary === 'Bash: sleep 60';
    await sink.waitForFact(started, 'the slow command to start');
    await new Promise((r) => setTimeout(r, 500));
    tui.key('Escape');
    await sink.waitForFact((f) => f.type === 'turn' && f.phase === 'interrupted' && f.detail === 'interrupted', 'the interrupted turn', 1, 20_000);
  });

  it('usage facts: one per model response, exactly what the server sent (title requests excluded)', () => {
    const served = server.requests.filter((r) => r.kind === 'turn');
    const usage = sink.facts.filter((f): f is Extract<AgentSignal, { type: 'usage' }> => f.type === 'usage');
    assert.deepEqual(
      usage.map((u) => u.requestId),
      served.filter((r) => usage.some((u) => u.requestId === r.responseId)).map((r) => r.responseId),
      'ordered as served, no duplicates',
    );
    assert.equal(new Set(usage.map((u) => u.requestId)).size, usage.length);
    // Every response of a finished turn is counted (the interrupted one may or may not have written its record).
    const finished = served.filter((r) => r.scenario !== 'slow');
    for (const r of finished) assert.ok(usage.some((u) => u.requestId === r.responseId), `response ${r.responseId} (${r.scenario}#${r.step}) counted`);
    const expected = sum(
      served
        .filter((r) => usage.some((u) => u.requestId === r.responseId))
        .map((r) => ({ input: r.usage!.input - r.usage!.cached, cacheRead: r.usage!.cached, output: r.usage!.output, cacheWrite: 0 })),
    );
    assert.deepEqual(sum(usage.map((u) => u.delta)), expected);
    assert.ok(usage.every((u) => u.model === 'mock-model'));
    assert.deepEqual(server.requests.filter((r) => r.kind === 'bad_request'), []);
    assert.deepEqual(logLines.filter((l) => !l.startsWith('info')), []);
  });
});
