import assert from 'node:assert/strict';
import * as http from 'node:http';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeStack, CLAUDE_HOOK_PATH } from '../../kit/claudeStack';
import { waitUntil } from '../../kit/adapterContract';
import type { AgentRuntime } from '../../../src/core/fleet/agentRuntime';
import { HOOK_SAMPLES } from './hookSamples';
import { newFleet } from '../core/fleetKit';
import { assistantLine, interruptLine } from './claudeSessionDriver';

const agentOpts = { keepAlive: true };

// The Claude Code adapter on a real bridge with the core's signal router, gate chain, approval queue and stall watch.
describe('Claude Code hooks through the real bridge', () => {
  let bridge: BridgeServer;
  let port: number;
  let ctx: ReturnType<typeof newFleet>;
  let approvals: ApprovalQueue;
  let token: string;
  let agentId: string;
  let stack: AgentRuntime;
  const httpAgent = new http.Agent(agentOpts);

  const post = (body: unknown, auth: string | undefined = token): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const req = http.request(
        { host: '127.0.0.1', port, path: CLAUDE_HOOK_PATH, method: 'POST', agent: httpAgent, headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) } },
        (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });

  beforeEach(async () => {
    ctx = newFleet();
    approvals = new ApprovalQueue(() => ({ timeoutMs: 2000, escalateAfterMs: 10_000 }));
    bridge = new BridgeServer(ctx.log);
    stack = claudeStack({ fleet: ctx.fleet, approvals, log: ctx.log, bridge });
    port = (await bridge.listen(0)).port;
    const created = ctx.fleet.create({ name: 'agent-1', kind: 'claude-code', cwd: '/tmp/repo' });
    token = created.token;
    agentId = created.agent.id;
  });

  afterEach(() => {
    stack.dispose();
    approvals.dispose();
    bridge.dispose();
  });

  it('moves the agent through its session: prompt, tool, turn end', async () => {
    assert.deepEqual(await post(HOOK_SAMPLES.UserPromptSubmit), { status: 200, body: {} });
    assert.equal(ctx.fleet.get(agentId)!.status, 'working');
    assert.equal(ctx.fleet.get(agentId)!.sessionId, HOOK_SAMPLES.UserPromptSubmit.session_id);
    await post(HOOK_SAMPLES.PreToolUse);
    assert.equal(ctx.fleet.get(agentId)!.currentTool?.summary, 'Bash: git push origin feature');
    await post(HOOK_SAMPLES.Stop);
    assert.equal(ctx.fleet.get(agentId)!.status, 'idle');
    assert.equal(ctx.fleet.get(agentId)!.currentTool, undefined);
  });

  it('holds a PermissionRequest until the user allows it, then replies allow', async () => {
    const reply = post(HOOK_SAMPLES.PermissionRequest);
    const pending = await new Promise<string>((resolve) => approvals.onDidAdd((r) => resolve(r.id)));
    assert.equal(ctx.fleet.get(agentId)!.status, 'waiting-approval');
    assert.deepEqual(approvals.decide(pending, 'allow', 'user'), { ok: true });
    assert.deepEqual((await reply).body, { hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
    assert.equal(ctx.fleet.get(agentId)!.status, 'working');
  });

  it('a deny carries the reason back to the agent', async () => {
    const reply = post(HOOK_SAMPLES.PermissionRequest);
    const id = await new Promise<string>((resolve) => approvals.onDidAdd((r) => resolve(r.id)));
    approvals.decide(id, 'deny', 'user', 'not on main');
    const body = (await reply).body as { hookSpecificOutput: { decision: { behavior: string; message?: string } } };
    assert.equal(body.hookSpecificOutput.decision.behavior, 'deny');
    assert.match(body.hookSpecificOutput.decision.message ?? '', /not on main/);
  });

  it('no decision before the timeout: a neutral reply (Claude Code asks itself), never allow', async () => {
    const started = approvals.pending().length;
    const reply = await post(HOOK_SAMPLES.PermissionRequest);
    assert.equal(started, 0);
    assert.deepEqual(reply, { status: 200, body: {} });
  });

  it('answered in the terminal: the pending request goes stale and a late click is refused', async () => {
    const reply = post(HOOK_SAMPLES.PermissionRequest);
    const id = await new Promise<string>((resolve) => approvals.onDidAdd((r) => resolve(r.id)));
    // The tool ran (the user allowed it in the terminal): PostToolUse of the same tool in the same session.
    await post({ ...HOOK_SAMPLES.PostToolUse, tool_name: 'Edit', tool_input: { file_path: '/tmp/repo/src/a.ts' } });
    assert.deepEqual((await reply).body, {});
    assert.equal(approvals.pending().length, 0);
    const late = approvals.decide(id, 'allow', 'user');
    assert.equal(late.ok, false);
  });

  it('rejects a missing or unknown token with 401 and a malformed payload with 400 naming the field', async () => {
    assert.equal((await post(HOOK_SAMPLES.Stop, '')).status, 401);
    assert.equal((await post(HOOK_SAMPLES.Stop, 'not-a-token')).status, 401);
    const bad = await post({ ...HOOK_SAMPLES.PreToolUse, tool_name: 42 });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { field: string }).field, 'PreToolUse.tool_name');
    const notJson = await post('{"hook_event_name":');
    assert.equal(notJson.status, 400);
    assert.ok(ctx.log.lines.some((l) => l.includes('tool_name')), 'the rejection is logged with the field');
    assert.equal(ctx.fleet.get(agentId)!.status, 'starting', 'bad input changes nothing');
  });

  describe('statuses a user can trust', () => {
    let dir: string;
    let transcript: string;
    const at = (extra: Record<string, unknown> = {}) => ({ transcript_path: transcript, ...extra });
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-claude-hooks-'));
      transcript = path.join(dir, 'session.jsonl');
      fs.writeFileSync(transcript, '');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a finished turn is idle with lastTurn 'ended'; Claude Code's idle_prompt 60 s later is not a question", async () => {
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      await post({ ...HOOK_SAMPLES.Stop, ...at() });
      await post({ ...HOOK_SAMPLES.Notification, ...at({ notification_type: 'idle_prompt', message: 'Claude is waiting for your input' }) });
      const a = ctx.fleet.get(agentId)!;
      assert.deepEqual([a.status, a.lastTurn, a.waitingFor], ['idle', 'ended', undefined]);
      await post({ ...HOOK_SAMPLES.Notification, ...at({ notification_type: 'elicitation_dialog', message: 'Which branch?' }) });
      assert.deepEqual([ctx.fleet.get(agentId)!.status, ctx.fleet.get(agentId)!.waitingFor, ctx.fleet.get(agentId)!.statusReason], ['waiting-input', 'input', 'Which branch?']);
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      assert.equal(ctx.fleet.get(agentId)!.lastTurn, undefined, 'a new turn clears how the last one ended');
    });

    it('Escape in the terminal (the transcript records the interruption, no hook) ends the turn within 2 s', async () => {
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      await post({ ...HOOK_SAMPLES.PreToolUse, ...at() });
      assert.equal(ctx.fleet.get(agentId)!.status, 'working');
      const t0 = Date.now();
      fs.appendFileSync(transcript, interruptLine(true));
      await waitUntil('the turn to end', () => ctx.fleet.get(agentId)!.status === 'idle', 2_000);
      const a = ctx.fleet.get(agentId)!;
      assert.deepEqual([a.lastTurn, a.currentTool], ['interrupted', undefined]);
      assert.ok(Date.now() - t0 < 2_000);
    });

    it('usage: per-request deltas added once, across reads and across a reload (new stack, same fleet)', async () => {
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      fs.appendFileSync(transcript, assistantLine('m1', 'r1', { input: 100, output: 10 }) + assistantLine('m1', 'r1', { input: 100, output: 30 }));
      await post({ ...HOOK_SAMPLES.Stop, ...at() });
      await waitUntil('usage', () => ctx.fleet.get(agentId)!.usage.output === 30);
      fs.appendFileSync(transcript, assistantLine('m2', 'r2', { input: 200, output: 5, cacheRead: 100 }));
      await waitUntil('more usage', () => ctx.fleet.get(agentId)!.usage.input === 300);
      // A window reload: the runtime and its watchers go; lines land meanwhile; a new runtime attaches the agent.
      stack.dispose();
      fs.appendFileSync(transcript, assistantLine('m3', 'r3', { input: 50, output: 1 }));
      stack = claudeStack({ fleet: ctx.fleet, approvals, log: ctx.log, bridge });
      await waitUntil('the gap counted', () => ctx.fleet.get(agentId)!.usage.input === 350);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(ctx.fleet.get(agentId)!.usage, { input: 350, output: 36, cacheRead: 100, cacheWrite: 0 });
      assert.deepEqual(ctx.fleet.get(agentId)!.unpricedModels, ['claude-sonnet-4-5'], 'no price given: counted, listed unpriced');
    });

    it('a transcript Claude Code writes only after the last hook (a new project folder, too) is still read, without polling', async () => {
      const later = path.join(dir, 'projects', 'slug', 'late.jsonl');
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, transcript_path: later });
      await post({ ...HOOK_SAMPLES.Stop, transcript_path: later });
      fs.mkdirSync(path.dirname(later), { recursive: true });
      await new Promise((r) => setTimeout(r, 100));
      fs.writeFileSync(later, assistantLine('m1', 'r1', { input: 10, output: 2 }));
      await waitUntil('the late transcript read', () => ctx.fleet.get(agentId)!.usage.output === 2, 2_000);
    });

    it("an open Bash call carries its own timeout (default 2 min, the call's timeout up to 10 min) for the stall watch", async () => {
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      await post({ ...HOOK_SAMPLES.PreToolUse, ...at({ tool_input: { command: 'npm test' } }) });
      assert.equal(ctx.fleet.get(agentId)!.currentTool?.timeoutMs, 120_000);
      await post({ ...HOOK_SAMPLES.PreToolUse, ...at({ tool_input: { command: 'make', timeout: 3_600_000 } }) });
      assert.equal(ctx.fleet.get(agentId)!.currentTool?.timeoutMs, 600_000);
    });

    it('a fact that contradicts the state machine is ignored whole (logged with the agent), never applied half', async () => {
      await post({ ...HOOK_SAMPLES.UserPromptSubmit, ...at() });
      await post({ ...HOOK_SAMPLES.SessionEnd, ...at() });
      const ended = ctx.fleet.get(agentId)!;
      assert.equal(ended.status, 'done');
      await post({ ...HOOK_SAMPLES.PreToolUse, ...at() });
      assert.deepEqual(ctx.fleet.get(agentId), ended);
      assert.ok(ctx.log.lines.some((l) => l.includes('agent-1') && l.includes("'activity' is not allowed while the agent is done")));
    });
  });
});
