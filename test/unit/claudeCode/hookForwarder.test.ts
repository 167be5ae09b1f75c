// The fallback command hook's logic against a real loopback server: it relays the bridge's reply, and on every
// kind of failure prints nothing (so Claude Code falls back to its own prompt) and says why on stderr.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runHookProgram, timeoutFromArgv } from '../../../src/adapters/claudeCode/hookForwarder';
import type { StandInBridge } from './loopback';
import { closedPort, replyJson, startStandInBridge } from './loopback';
import { HOOK_SAMPLES } from './hookSamples';

const DENY = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no pushes' } };

async function run(env: Record<string, string | undefined>, argv: string[] = []): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  await runHookProgram({
    stdin: Readable.from([Buffer.from(JSON.stringify(HOOK_SAMPLES.PreToolUse))]),
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
