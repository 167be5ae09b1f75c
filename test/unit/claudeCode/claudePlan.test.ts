// Claude Code's launch plan: the tested claudeLaunch command line (prompt after `--`), Flotilla's variables over the
// user's, the per-agent hook settings as a file to write, the terminal prompts, and a created worktree trusted first.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaudeCodeAdapter } from '../../../src/adapters/claudeCode/claudeCodeAdapter';
import { isTrusted } from '../../../src/adapters/claudeCode/claudeTrust';
import type { LaunchSpec } from '../../../src/core/agents/agentAdapter';
import { otelEnv } from '../../../src/adapters/claudeCode/otelUsage';
import { newFleet } from '../core/fleetKit';

describe('Claude Code launch plan', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-plan-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => {
    const { fleet } = newFleet();
    const wt = path.join(dir, 'wt');
    const { agent, token } = fleet.create({ name: 'a', kind: 'claude-code', cwd: wt, worktree: { path: wt, branch: 'flotilla/a', baseCommit: 'abc', repoRoot: dir } });
    return { agent, token, bridgeUrl: 'http://127.0.0.1:4000', prompt: '--help me', stateDir: path.join(dir, 'state'), hookProgram: '/ext/dist/hook.js', approvalTimeoutSeconds: 300, userEnv: { ANTHROPIC_MODEL: 'x', FLOTILLA_AGENT_TOKEN: 'stolen' }, ...over };
  };

  it('command line with the prompt after --, env with Flotilla winning, settings file, terminal prompts', async () => {
    const log = newFleet().log;
    const adapter = new ClaudeCodeAdapter({ claudePath: () => '/opt/claude', log, env: { CLAUDE_CONFIG_DIR: path.join(dir, 'cfg') }, home: dir });
    const s = spec();
    const plan = await adapter.plan(s);
    const settingsFile = path.join(s.stateDir, 'claude-settings.json');
    assert.equal(plan.commandLine, `/opt/claude --settings ${settingsFile} -- '--help me'`);
    assert.equal(plan.cwd, s.agent.cwd);
    assert.deepEqual(plan.env, { ANTHROPIC_MODEL: 'x', FLOTILLA_AGENT_ID: s.agent.id, FLOTILLA_AGENT_TOKEN: s.token, FLOTILLA_BRIDGE_URL: 'http://127.0.0.1:4000', ...otelEnv('http://127.0.0.1:4000', s.token) });
    assert.ok(log.lines.some((l) => l.includes('left out FLOTILLA_AGENT_TOKEN')));
    assert.equal(plan.files?.length, 1);
    assert.equal(plan.files![0]!.path, settingsFile);
    assert.equal(plan.files![0]!.mode, 0o600);
    const settings = JSON.parse(plan.files![0]!.content);
    assert.equal(settings.hooks.PreToolUse[0].hooks[0].timeout, 330);
    assert.equal(settings.hooks.SessionStart[0].hooks[0].type, 'command');
    assert.ok(!plan.files![0]!.content.includes(s.token), 'the settings file holds no secret');
    assert.ok(plan.terminalPrompts!.some((p) => p.pattern.test('Quick safety check: Is this a project you created or one you trust? (Like your own code')));
    assert.ok(plan.terminalPrompts!.some((p) => p.pattern.test('Select login method:')));
    assert.ok(isTrusted(path.join(dir, 'cfg', '.claude.json'), s.agent.cwd), 'the worktree is trusted before the start');
  });

  it("the user's CLAUDE_CONFIG_DIR is where the trust goes; a folder that is not a created worktree is left alone", async () => {
    const adapter = new ClaudeCodeAdapter({ claudePath: () => 'claude', log: newFleet().log, env: {}, home: dir });
    const s = spec({ userEnv: { CLAUDE_CONFIG_DIR: path.join(dir, 'mine') }, prompt: undefined });
    const plan = await adapter.plan(s);
    assert.ok(!plan.commandLine.includes('--  '));
    assert.ok(!plan.commandLine.endsWith('--'));
    assert.ok(isTrusted(path.join(dir, 'mine', '.claude.json'), s.agent.cwd));
    const { worktree: _w, ...noWorktree } = s.agent;
    await adapter.plan({ ...s, agent: noWorktree, userEnv: {} });
    assert.equal(fs.existsSync(path.join(dir, '.claude.json')), false);
  });
});
