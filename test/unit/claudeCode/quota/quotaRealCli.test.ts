// The quota wall with the real Claude Code CLI (offline): a model server that answers every request with HTTP 429, the
// real hook path (bridge -> Claude Code adapter -> signal router -> fleet). A subscription agent (OAuth token; the
// anthropic-ratelimit-unified-* headers name the reset) ends paused — quota until the reset time, to the minute, not
// failed; an API-key agent over a rate limit (retry-after; Claude Code retries, then gives up) ends paused — quota with
// the reset time unknown. The model server never sees a successful request.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHookSettings } from '../../../../src/adapters/claudeCode/hookSettings';
import { ClaudeCodeAdapter } from '../../../../src/adapters/claudeCode/claudeCodeAdapter';
import { ApprovalQueue } from '../../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../../src/core/bridge/bridgeServer';
import { AgentRuntime } from '../../../../src/core/fleet/agentRuntime';
import { agentLook } from '../../../../src/vscode/agentStatusLook';
import { quotaRowText } from '../../../../src/vscode/quotaText';
import { rateLimitReply, startQuotaServer } from '../../../fixtures/quotaServer';
import type { QuotaReply } from '../../../fixtures/quotaServer';
import { newFleet } from '../../core/fleetKit';
import { buildHookProgram, claudeAvailable, createSandbox, runClaude } from '../claudeRunner';
import type { Sandbox } from '../claudeRunner';

/** Where the CLI runs and how the row shows times, so "until HH:MM" can be checked against the reset sent. */
const ZONE = 'Europe/Berlin';

describe('the quota wall with the real Claude Code CLI', function () {
  this.timeout(120_000);
  let hookDir: string;
  let zone: string | undefined;
  const sandboxes: Sandbox[] = [];

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    zone = process.env.TZ;
    process.env.TZ = ZONE;
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-hook-'));
    await buildHookProgram(join(hookDir, 'hook.js'));
  });

  after(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
    for (const s of sandboxes) s.dispose();
  });

  /** Runs one agent through the real hook path against a server answering `reply`; returns its final snapshot. */
  async function runAgent(reply: () => QuotaReply, env: Record<string, string>) {
    const server = await startQuotaServer(reply);
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 120_000 }));
    const bridge = new BridgeServer(log);
    const runtime = new AgentRuntime({ fleet, approvals, log, bridge, gates: [], stallMs: () => 600_000 });
    runtime.register(new ClaudeCodeAdapter({ claudePath: () => 'claude', log, env: {} }));
    runtime.start();
    try {
      const { port } = await bridge.listen(0);
      const bridgeUrl = `http://127.0.0.1:${port}`;
      const settings = buildHookSettings({ bridgeUrl, timeoutSeconds: 60, hookProgram: { script: join(hookDir, 'hook.js'), node: process.execPath } });
      // Headless (-p) the CLI exits right after the failed turn, and its SessionEnd hook races StopFailure (recorded:
      // SessionEnd first, see subscription-usage-limit.recorded.json); an interactive session, as Flotilla runs them,
      // stays open. Without SessionEnd the test sees what an open session shows.
      const hooks = Object.fromEntries(Object.entries(settings.hooks).filter(([event]) => event !== 'SessionEnd'));
      const sandbox = createSandbox();
      sandboxes.push(sandbox);
      const { agent, token } = fleet.create({ name: 'quota-agent', kind: 'claude-code', cwd: sandbox.repo });
      const run = await runClaude({
        sandbox,
        prompt: 'go',
        settings: { hooks },
        modelUrl: server.url,
        env: { FLOTILLA_AGENT_ID: agent.id, FLOTILLA_AGENT_TOKEN: token, FLOTILLA_BRIDGE_URL: bridgeUrl, TZ: ZONE, CLAUDE_CODE_MAX_RETRIES: '1', ...env },
        timeoutMs: 90_000,
      });
      assert.equal(run.timedOut, false, 'claude did not finish in time');
      return { agent: fleet.get(agent.id)!, refused: server.refused.length, result: run.result, lines: log.lines };
    } finally {
      runtime.dispose();
      approvals.dispose();
      bridge.dispose();
      await server.stop();
    }
  }

  it('a subscription at its usage limit: paused — quota until the reset time the API sent, not failed', async () => {
    // A whole minute (the CLI shows minutes), 2 h 30 min ahead: the same day or the next, the row says which.
    const reset = Math.ceil((Date.now() + 150 * 60_000) / 60_000) * 60_000;
    const headers = { 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(reset / 1000), 'anthropic-ratelimit-unified-representative-claim': 'five_hour' };
    const { agent, refused, result } = await runAgent(() => rateLimitReply(headers), { ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-fixture-not-a-token' });
    assert.equal(refused, 1, 'no retry at a usage limit');
    assert.equal(result?.is_error, true);
    assert.deepEqual([agent.status, agent.lastTurn, agentLook(agent)], ['idle', 'failed', 'quota-paused'], JSON.stringify(agent));
    assert.equal(agent.quotaPause?.until, reset, 'the reset time, read from the message to the minute');
    assert.match(agent.quotaPause?.reason ?? '', /^You've hit your session limit · resets \d{1,2}(:\d\d)?[ap]m \(Europe\/Berlin\)$/);
    const d = new Date(reset);
    const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    assert.match(quotaRowText(agent.quotaPause!, Date.now()), new RegExp(`^paused — quota until (\\w{3} \\d{1,2} )?${hhmm}$`));
  });

  it('an API key over a rate limit: Claude Code retries, then the agent is paused — quota with the reset time unknown', async () => {
    const { agent, refused } = await runAgent(() => rateLimitReply({ 'retry-after': '1' }), {});
    assert.equal(refused, 2, 'one request, one retry (CLAUDE_CODE_MAX_RETRIES=1)');
    assert.deepEqual([agent.status, agentLook(agent), agent.quotaPause?.until], ['idle', 'quota-paused', undefined]);
    assert.match(agent.quotaPause?.reason ?? '', /^API Error: Request rejected \(429\) · This request would exceed your rate limit/);
    assert.equal(quotaRowText(agent.quotaPause!, Date.now()), 'paused — quota (reset time unknown)');
  });
});
