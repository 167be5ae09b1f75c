// The real interactive Claude Code CLI (in a tmux pane, as in a terminal) launched from the adapter's own plan, with
// its hooks on a real bridge and the core's router: a fresh folder starts without the trust dialog (plan() trusted it
// under Claude Code's config lock), the prompt makes the agent work, and Escape (no hook: only the transcript line
// "[Request interrupted by user]") ends the turn as interrupted within 2 s.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaudeCodeAdapter } from '../../../src/adapters/claudeCode/claudeCodeAdapter';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { BridgeServer } from '../../../src/core/bridge/bridgeServer';
import { quote } from 'shell-quote';
import { startClaudeSandbox } from '../../fixtures/claudeSandbox';
import type { ClaudeSandbox } from '../../fixtures/claudeSandbox';
import { claudeStack } from '../../kit/claudeStack';
import { waitUntil } from '../../kit/adapterContract';
import type { AgentRuntime } from '../../../src/core/fleet/agentRuntime';
import { newFleet } from '../core/fleetKit';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the real interactive Claude Code CLI under the adapter', function () {
  this.timeout(60_000);
  const socket = `flotilla-test-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  let sandbox: ClaudeSandbox;
  let root: string;
  let bridge: BridgeServer;
  let approvals: ApprovalQueue;
  let stack: AgentRuntime;
  let ctx: ReturnType<typeof newFleet>;
  const sessions: string[] = [];

  before(function () {
    if (!hasTmux) this.skip(); // the interactive CLI needs a terminal; tmux gives it one
  });

  beforeEach(async () => {
    sandbox = await startClaudeSandbox();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-interactive-'));
    ctx = newFleet();
    approvals = new ApprovalQueue(() => ({ timeoutMs: 30_000, escalateAfterMs: 30_000 }));
    bridge = new BridgeServer(ctx.log);
    stack = claudeStack({ fleet: ctx.fleet, approvals, log: ctx.log, bridge });
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) {
      try {
        tmux('kill-session', '-t', s);
      } catch {
        // already gone
      }
    }
    stack?.dispose();
    approvals?.dispose();
    bridge?.dispose();
    // Claude Code may still be writing its config as its pane closes: retry the cleanup a few times.
    for (let i = 0; i < 5; i++) {
      try {
        await sandbox?.stop();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Starts the agent from the adapter's plan in a tmux pane, in a fresh worktree-like folder nobody trusted. */
  async function launch(prompt: string): Promise<{ id: string; pane: string; prompts: RegExp[] }> {
    const wt = path.join(root, 'wt');
    fs.mkdirSync(wt);
    execFileSync('git', ['init', '-q', wt]);
    const port = (await bridge.listen(0)).port;
    const { agent, token } = ctx.fleet.create({ name: 'interactive', kind: 'claude-code', cwd: wt, worktree: { path: wt, branch: 'b', baseCommit: 'HEAD', repoRoot: wt } });
    const adapter = new ClaudeCodeAdapter({ claudePath: () => path.resolve('node_modules/.bin/claude'), log: ctx.log, env: {}, home: sandbox.home });
    const plan = await adapter.plan({
      agent,
      token,
      bridgeUrl: `http://127.0.0.1:${port}`,
      prompt,
      stateDir: path.join(root, 'state'),
      hookProgram: path.resolve('dist/hook.js'),
      approvalTimeoutSeconds: 30,
      userEnv: sandbox.env,
    });
    for (const f of plan.files ?? []) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content, { mode: f.mode });
    }
    const env = Object.entries({ PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...plan.env }).map(([k, v]) => `${k}=${v}`);
    const pane = 'interactive';
    sessions.push(pane);
    tmux('new-session', '-d', '-s', pane, '-x', '160', '-y', '45', '-c', plan.cwd, `env -i ${quote(env)} ${plan.commandLine}`);
    return { id: agent.id, pane, prompts: (plan.terminalPrompts ?? []).map((p) => p.pattern) };
  }

  async function escapeEndsTheTurn(id: string, pane: string): Promise<number> {
    const t0 = Date.now();
    tmux('send-keys', '-t', pane, 'Escape');
    await waitUntil('the turn to end', () => ctx.fleet.get(id)!.status === 'idle', 5_000).catch((err: Error) => {
      throw new Error(`${err.message}; status ${ctx.fleet.get(id)!.status}; screen:\n${tmux('capture-pane', '-p', '-t', pane)}`);
    });
    assert.equal(ctx.fleet.get(id)!.lastTurn, 'interrupted');
    return Date.now() - t0;
  }

  it('a fresh worktree starts without the trust dialog; Escape before the model answers (no transcript line, no hook) ends the turn within 2 s', async () => {
    const { id, pane, prompts } = await launch('[scenario:reload-hold] take your time');
    await sandbox.modelServer.whenHeld('reload-hold', 1);
    await waitUntil('the agent working', () => ctx.fleet.get(id)!.status === 'working', 10_000);
    const screen = tmux('capture-pane', '-p', '-t', pane);
    assert.ok(!prompts.some((p) => p.test(screen)), `no prompt for the user in the terminal:\n${screen}`);
    const took = await escapeEndsTheTurn(id, pane);
    assert.ok(took < 2_000, `left working after ${took} ms`);
    sandbox.modelServer.openGate('reload-hold');
  });

  it('Escape during a long Bash call ends the turn within 2 s, and the open call no longer counts', async () => {
    const { id, pane } = await launch('[scenario:escape-hold] wait a minute');
    await waitUntil('the Bash call running', () => ctx.fleet.get(id)!.currentTool?.summary === 'Bash: sleep 60', 30_000);
    const took = await escapeEndsTheTurn(id, pane);
    assert.ok(took < 2_000, `left working after ${took} ms`);
    assert.equal(ctx.fleet.get(id)!.currentTool, undefined);
  });

  it("a turn that finishes normally is 'ended', not mistaken for an interruption when Claude Code's status goes idle", async () => {
    const { id } = await launch('[scenario:text-only] say hi');
    await waitUntil('the turn to end', () => ctx.fleet.get(id)!.lastTurn !== undefined, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const a = ctx.fleet.get(id)!;
    assert.deepEqual([a.status, a.lastTurn], ['idle', 'ended']);
    const lines = a.transcriptPath && fs.existsSync(a.transcriptPath) ? fs.readFileSync(a.transcriptPath, 'utf8').split('\n').filter((l) => l.includes('"assistant"')) : [];
    assert.ok(a.usage.output > 0, `its tokens were read from the transcript ${a.transcriptPath} (${JSON.stringify(a.transcriptPaths)}): ${lines.map((l) => l.slice(0, 400)).join('\n')}`);
  });
});
