import assert from 'node:assert/strict';
import * as http from 'node:http';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { ClaudeHookHandler, CLAUDE_HOOK_PATH } from '../../../src/core/supervisor/claudeHookHandler';
import { UsageTracker } from '../../../src/core/supervisor/usageTracker';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { HOOK_SAMPLES } from '../claudeCode/hookSamples';
import { newFleet } from './fleetKit';

const agentOpts = { keepAlive: true };

describe('Claude Code hooks through the real bridge', () => {
  let bridge: BridgeServer;
  let port: number;
  let ctx: ReturnType<typeof newFleet>;
  let approvals: ApprovalQueue;
  let token: string;
  let agentId: string;
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
    const usage = new UsageTracker(ctx.fleet, new PriceBook({}), ctx.log);
    bridge = new BridgeServer(ctx.log);
    const handler = new ClaudeHookHandler(ctx.fleet, approvals, usage, ctx.log);
    bridge.route(CLAUDE_HOOK_PATH, (req, signal) => handler.handle(req, signal));
    port = (await bridge.listen(0)).port;
    const created = ctx.fleet.create({ name: 'agent-1', kind: 'claude-code', cwd: '/tmp/repo' });
    token = created.token;
    agentId = created.agent.id;
  });

  afterEach(() => {
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
});
