// The fallback command hook's logic against a real loopback server: it relays the bridge's reply, and on every
// kind of failure prints nothing (so Claude Code falls back to its own prompt) and says why on stderr.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runHookProgram, timeoutFromArgv } from '../../../src/adapters/claudeCode/hookForwarder';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { claudeStack } from '../../kit/claudeStack';
import { MAX_HOOK_PAYLOAD_BYTES } from '../../../src/shared/claudeCode/hookPayloads';
import { newFleet } from '../core/fleetKit';
import type { StandInBridge } from './loopback';
import { closedPort, replyJson, startStandInBridge } from './loopback';
import { HOOK_SAMPLES } from './hookSamples';

const DENY = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no pushes' } };

const ALLOW = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } };

async function run(env: Record<string, string | undefined>, argv: string[] = [], payload: unknown = HOOK_SAMPLES.PreToolUse): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  await runHookProgram({
    stdin: Readable.from([Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))]),
    env,
    argv,
    writeStdout: async (t) => void (stdout += t),
    writeStderr: async (t) => void (stderr += t),
  });
  return { stdout, stderr };
}

describe('hook program (fallback command hook)', () => {
  let bridge: StandInBridge | undefined;
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
  });

  it('POSTs the payload with the bearer token to /hooks/claude-code and prints the reply', async () => {
    bridge = await startStandInBridge((_hook, res) => replyJson(res, 200, DENY));
    const out = await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 'tok-1' });
    assert.deepEqual(JSON.parse(out.stdout), DENY);
    assert.equal(out.stderr, '');
    assert.equal(bridge.received.length, 1);
    assert.equal(bridge.received[0]!.path, '/hooks/claude-code');
    assert.equal(bridge.received[0]!.headers.authorization, 'Bearer tok-1');
    assert.deepEqual(JSON.parse(bridge.received[0]!.body), HOOK_SAMPLES.PreToolUse);
  });

  it('an empty 2xx body is the neutral reply', async () => {
    bridge = await startStandInBridge((_hook, res) => replyJson(res, 204, ''));
    assert.deepEqual(await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 't' }), { stdout: '{}', stderr: '' });
  });

  const failures: [string, (res: Parameters<Parameters<typeof startStandInBridge>[0]>[1]) => void, RegExp][] = [
    ['a non-2xx answer', (res) => replyJson(res, 401, { error: 'bad token' }), /HTTP 401/],
    ['a body that is not JSON', (res) => replyJson(res, 200, 'allow'), /not JSON/],
    ['a JSON reply of an unknown shape', (res) => replyJson(res, 200, { decision: 'approve' }), /not a known hook reply/],
  ];
  for (const [what, answer, reason] of failures) {
    it(`prints nothing on ${what}`, async () => {
      bridge = await startStandInBridge((_hook, res) => answer(res));
      const out = await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 't' });
      assert.equal(out.stdout, '');
      assert.match(out.stderr, reason);
      assert.equal(out.stderr.split('\n').filter(Boolean).length, 1);
    });
  }

  // The bridge's refusals (bad token, web page or wrong Host, too large, rate limited) never count as a decision,
  // even when the body of the refusal happens to look like an allow.
  for (const status of [401, 403, 408, 413, 421, 429]) {
    it(`prints nothing on HTTP ${status}, even with an allow-shaped body`, async () => {
      bridge = await startStandInBridge((_hook, res) => replyJson(res, status, ALLOW));
      const out = await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 't' });
      assert.equal(out.stdout, '');
      assert.match(out.stderr, new RegExp(`HTTP ${status}.*leaving the decision to Claude Code`));
    });
  }

  it('prints nothing when the payload is over the bridge body limit, and does not send it', async () => {
    bridge = await startStandInBridge((_hook, res) => replyJson(res, 200, ALLOW));
    const huge = JSON.stringify({ ...HOOK_SAMPLES.PreToolUse, tool_input: { command: 'x'.repeat(MAX_HOOK_PAYLOAD_BYTES) } });
    const out = await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 't' }, [], huge);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /payload over 1048576 bytes/);
    assert.equal(bridge.received.length, 0);
  });

  it('prints nothing on the real bridge\'s 401 (unknown token) and 429 (too many open requests of this agent)', async () => {
    const ctx = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }));
    const real = new BridgeServer(ctx.log, { maxPendingPerAgent: 1 });
    const stack = claudeStack({ fleet: ctx.fleet, approvals, log: ctx.log, bridge: real, policy: () => ({ kind: 'approve', tier: 'approve', rule: 'test' }) });
    try {
      const url = `http://127.0.0.1:${(await real.listen(0)).port}`;
      const stranger = await run({ FLOTILLA_BRIDGE_URL: url, FLOTILLA_AGENT_TOKEN: 'not-a-token' });
      assert.deepEqual([stranger.stdout, /HTTP 401/.test(stranger.stderr)], ['', true]);

      const { token } = ctx.fleet.create({ name: 'a', kind: 'claude-code', cwd: '/tmp/repo' });
      const added = new Promise<string>((resolve) => approvals.onDidAdd((r) => resolve(r.id)));
      const first = run({ FLOTILLA_BRIDGE_URL: url, FLOTILLA_AGENT_TOKEN: token });
      const held = await added;
      const second = await run({ FLOTILLA_BRIDGE_URL: url, FLOTILLA_AGENT_TOKEN: token });
      assert.deepEqual([second.stdout, /HTTP 429/.test(second.stderr)], ['', true]);
      approvals.decide(held, 'deny', 'user', 'no');
      assert.equal(JSON.parse((await first).stdout).hookSpecificOutput.permissionDecision, 'deny');
    } finally {
      stack.dispose();
      approvals.dispose();
      real.dispose();
      ctx.fleet.dispose();
    }
  });

  it('prints nothing when the bridge is down', async () => {
    const out = await run({ FLOTILLA_BRIDGE_URL: `http://127.0.0.1:${await closedPort()}`, FLOTILLA_AGENT_TOKEN: 't' });
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /bridge unreachable/);
  });

  it('prints nothing when the bridge does not answer in time', async () => {
    bridge = await startStandInBridge(() => undefined);
    const out = await run({ FLOTILLA_BRIDGE_URL: bridge.url, FLOTILLA_AGENT_TOKEN: 't' }, ['--timeout', '0.3']);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /did not answer within 300 ms/);
  });

  it('prints nothing without its environment', async () => {
    assert.match((await run({ FLOTILLA_AGENT_TOKEN: 't' })).stderr, /FLOTILLA_BRIDGE_URL is not set/);
    assert.match((await run({ FLOTILLA_BRIDGE_URL: 'http://127.0.0.1:1' })).stderr, /FLOTILLA_AGENT_TOKEN is not set/);
    assert.match((await run({ FLOTILLA_BRIDGE_URL: 'not a url', FLOTILLA_AGENT_TOKEN: 't' })).stderr, /FLOTILLA_BRIDGE_URL: /);
  });

  it('reads --timeout in seconds', () => {
    assert.equal(timeoutFromArgv(['--timeout', '595']), 595_000);
    assert.equal(timeoutFromArgv([], 1234), 1234);
    assert.equal(timeoutFromArgv(['--timeout', 'x'], 1234), 1234);
  });
});
