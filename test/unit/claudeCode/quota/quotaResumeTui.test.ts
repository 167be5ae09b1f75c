// The quota wall in Claude Code's own terminal, resumed the way Flotilla's Resume does it: the real interactive CLI
// (in a private tmux server, as in an integrated terminal) on a subscription at its usage limit, through the real hook
// path (bridge -> adapter -> router). The agent is paused — quota until the reset the API sent, with the session still
// open (no SessionEnd) and Claude Code's rate-limit dialog up. Resume's keys, sent as AgentTerminals.message sends
// text (the text, 200 ms, Enter): ESC (closes the dialog), then "continue"; the quota is back by then, so the model
// gets the prompt, the turn ends normally and the pause is gone.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { buildHookSettings } from '../../../../src/adapters/claudeCode/hookSettings';
import { ClaudeCodeAdapter } from '../../../../src/adapters/claudeCode/claudeCodeAdapter';
import { ApprovalQueue } from '../../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../../src/core/bridge/bridgeServer';
import { AgentRuntime } from '../../../../src/core/fleet/agentRuntime';
import { agentLook } from '../../../../src/vscode/agentStatusLook';
import { CLOSE_CLAUDE_DIALOG } from '../../../../src/adapters/claudeCode/quotaWall';
import { QUOTA_RESUME_PROMPT } from '../../../../src/vscode/quotaText';
import { rateLimitReply, startQuotaServer } from '../../../fixtures/quotaServer';
import type { QuotaServer } from '../../../fixtures/quotaServer';
import { newFleet } from '../../core/fleetKit';
import { buildHookProgram, CLAUDE_BIN, claudeAvailable, createSandbox } from '../claudeRunner';
import type { Sandbox } from '../claudeRunner';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (the CLI's pace is the machine's), failing with what was seen at the deadline. */
async function until(what: string, check: () => boolean, seen: () => string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}: not seen in ${ms} ms\n${seen()}`);
    await sleep(100);
  }
}

describe('the quota wall in Claude Code’s terminal, resumed', function () {
  this.timeout(150_000);
  let sandbox: Sandbox | undefined;
  let hookDir: string | undefined;
  let socket: string | undefined;
  let server: QuotaServer | undefined;

  before(function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    if (spawnSync('tmux', ['-V']).status !== 0) {
      console.warn('skipped: tmux is not installed (apt-get install -y tmux)');
      this.skip();
    }
  });

  after(async () => {
    // Only our own tmux server (its private socket), then what the CLI left.
    if (socket) spawnSync('tmux', ['-S', socket, 'kill-server']);
    await server?.stop();
    await sleep(300);
    sandbox?.dispose();
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
  });

  it('paused — quota with the session open; ESC then "continue" reach the model once the quota is back', async () => {
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-hook-'));
    await buildHookProgram(join(hookDir, 'hook.js'));
    const reset = Math.ceil((Date.now() + 150 * 60_000) / 60_000) * 60_000;
    let quotaBack = false;
    const limit = rateLimitReply({ 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(reset / 1000), 'anthropic-ratelimit-unified-representative-claim': 'five_hour' });
    server = await startQuotaServer(() => (quotaBack ? 'answer' : limit));

    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 120_000 }));
    const bridge = new BridgeServer(log);
    const runtime = new AgentRuntime({ fleet, approvals, log, bridge, gates: [], stallMs: () => 600_000 });
    runtime.register(new ClaudeCodeAdapter({ claudePath: () => 'claude', log, env: {} }));
    runtime.start();
    try {
      const { port } = await bridge.listen(0);
      const bridgeUrl = `http://127.0.0.1:${port}`;
      sandbox = createSandbox();
      const settingsFile = join(sandbox.root, 'settings.json');
      writeFileSync(settingsFile, JSON.stringify(buildHookSettings({ bridgeUrl, timeoutSeconds: 60, hookProgram: { script: join(hookDir, 'hook.js'), node: process.execPath } })));
      // What a user's Claude Code has already been through: onboarding and trust of this folder.
      writeFileSync(join(sandbox.configDir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, theme: 'dark', projects: { [sandbox.repo]: { hasTrustDialogAccepted: true } } }));
      const { agent, token } = fleet.create({ name: 'quota-tui', kind: 'claude-code', cwd: sandbox.repo });
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: sandbox.home,
        CLAUDE_CONFIG_DIR: sandbox.configDir,
        ANTHROPIC_BASE_URL: server.url,
        CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-fixture-not-a-token',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        TERM: 'xterm-256color',
        TZ: 'Europe/Berlin',
        FLOTILLA_AGENT_ID: agent.id,
        FLOTILLA_AGENT_TOKEN: token,
        FLOTILLA_BRIDGE_URL: bridgeUrl,
      };
      socket = join(sandbox.root, 'tmux.sock');
      const command = quote(['timeout', '120', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), CLAUDE_BIN, '--settings', settingsFile]);
      execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-x', '160', '-y', '40', '-c', sandbox.repo, command]);
      const pane = () => execFileSync('tmux', ['-S', socket!, 'capture-pane', '-p'], { encoding: 'utf8' });
      /** As AgentTerminals.message: the text, 200 ms, then Enter apart (a burst is taken as a paste). */
      const message = async (text: string) => {
        execFileSync('tmux', ['-S', socket!, 'send-keys', '-l', text]);
        await sleep(200);
        execFileSync('tmux', ['-S', socket!, 'send-keys', 'Enter']);
      };
      const state = () => JSON.stringify(fleet.get(agent.id)) + '\n' + pane();

      await until('the session started', () => fleet.get(agent.id)!.sessionId !== undefined && pane().includes('for shortcuts'), state);
      await message('go');
      await until('paused at the quota wall', () => fleet.get(agent.id)!.quotaPause !== undefined, state);
      const paused = fleet.get(agent.id)!;
      assert.deepEqual([paused.status, agentLook(paused), paused.quotaPause?.until], ['idle', 'quota-paused', reset]);
      await until('the rate-limit dialog', () => pane().includes('Stop and wait for limit to reset'), state);
      assert.equal(server.refused.length, 1);

      quotaBack = true;
      await message(CLOSE_CLAUDE_DIALOG);
      await message(QUOTA_RESUME_PROMPT);
      await until('the resumed turn ended', () => fleet.get(agent.id)!.lastTurn === 'ended', state);
      const resumed = fleet.get(agent.id)!;
      assert.deepEqual([resumed.status, resumed.quotaPause, agentLook(resumed)], ['idle', undefined, 'ready-for-review']);
      assert.deepEqual([server.refused.length, server.answered.length], [1, 1], 'the model got "continue" once');
    } finally {
      runtime.dispose();
      approvals.dispose();
      bridge.dispose();
    }
  });
});
