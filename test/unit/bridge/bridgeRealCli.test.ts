// The real Claude Code CLI (offline, scripted model) against the real, hardened bridge: its http hooks pass the
// Host, Origin and token checks (it sends no Origin and addresses 127.0.0.1:PORT), and with a wrong token the
// bridge's 401 lets nothing through.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { buildHookSettings } from '../../../src/adapters/claudeCode/hookSettings';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { Sandbox } from '../claudeCode/claudeRunner';
import { claudeAvailable, createSandbox, runClaude } from '../claudeCode/claudeRunner';
import type { HardenedBridge } from './bridgeKit';
import { startHardenedBridge } from './bridgeKit';

describe('real Claude Code CLI against the hardened bridge', function () {
  this.timeout(120_000);
  let model: ModelServer;
  let b: HardenedBridge | undefined;
  let sandbox: Sandbox | undefined;

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer();
  });
  afterEach(async () => {
    await b?.dispose();
    sandbox?.dispose();
  });
  after(async () => model?.stop());

  const runWith = async (token: string) => {
    sandbox = createSandbox();
    const bridge = b!;
    const url = `http://127.0.0.1:${bridge.port}`;
    const headers: IncomingHttpHeaders[] = [];
    bridge.bridge.httpServer.on('request', (req: { headers: IncomingHttpHeaders }) => headers.push(req.headers));
    const run = await runClaude({
      sandbox,
      prompt: '[scenario:write-file] please',
      // http hooks only (SessionStart, which http hooks do not support, is left out without the hook program).
      settings: buildHookSettings({ bridgeUrl: url, timeoutSeconds: 30 }),
      modelUrl: model.url,
      env: { FLOTILLA_AGENT_ID: 'agent-1', FLOTILLA_AGENT_TOKEN: token, FLOTILLA_BRIDGE_URL: url },
    });
    assert.equal(run.timedOut, false, 'claude did not finish in time');
    return { run, headers };
  };

  it('its hooks carry no Origin, address 127.0.0.1:PORT, and are answered (an allow writes the file)', async () => {
    b = await startHardenedBridge({ policy: () => ({ kind: 'allow', tier: 'autonomous', rule: 'test.allow' }) });
    const { id, token } = b.addAgent();
    const { run, headers } = await runWith(token);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(sandbox!.repo, 'out.txt'), 'utf8'), 'hi\n');
    assert.ok(headers.length >= 4, `only ${headers.length} hook requests`);
    assert.deepEqual([...new Set(headers.map((h) => h.origin))], [undefined]);
    assert.deepEqual([...new Set(headers.map((h) => h.host))], [`127.0.0.1:${b.port}`]);
    assert.equal(b.fleet.get(id)?.sessionId, run.result?.session_id);
    assert.equal(b.bridge.connectionCounts.refused, 0);
  });

  it('with a token the bridge does not know, every hook gets 401 and nothing is allowed', async () => {
    b = await startHardenedBridge({ policy: () => ({ kind: 'allow', tier: 'autonomous', rule: 'test.allow' }) });
    b.addAgent();
    const { run, headers } = await runWith('not-a-flotilla-token');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(headers.length >= 1);
    assert.equal(existsSync(join(sandbox!.repo, 'out.txt')), false);
    assert.ok(b.log.lines.some((l) => /bridge refused POST .*401 unknown agent token/.test(l)), b.log.lines.join('\n'));
  });
});
