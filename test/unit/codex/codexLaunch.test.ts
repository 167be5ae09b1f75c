// The Codex launch plan and hook configuration without running Codex: the -c overrides, their trust hashes
// (equal to what the recipe's trust-hooks.mjs computes the way Codex's "Trust all" does), env and quoting.
import assert from 'node:assert/strict';
import { parse } from 'shell-quote';
import { POLICY_STATUS_MESSAGE, codexHookEntries, codexHookOverrides, trustedHash } from '../../../src/adapters/codex/codexHookConfig';
import { codexLaunchPlan } from '../../../src/adapters/codex/codexLaunch';
import type { LaunchSpec } from '../../../src/core/agents/agentAdapter';
import { AgentSnapshotSchema } from '../../../src/shared/agent';

const agent = (worktree: boolean) =>
  AgentSnapshotSchema.parse({
    id: 'a1',
    name: 'a',
    kind: 'codex',
    status: 'starting',
    createdAt: 0,
    cwd: '/repo/wt',
    ...(worktree ? { worktree: { path: '/repo/wt', branch: 'b', baseCommit: 'c', repoRoot: '/repo' } } : {}),
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {},
    costUsd: 0,
    unpricedModels: [],
  });

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  agent: agent(false),
  token: 'tok',
  bridgeUrl: 'http://127.0.0.1:4000',
  stateDir: '/state',
  hookProgram: '/x/hook.js',
  approvalTimeoutSeconds: 120,
  userEnv: {},
  ...over,
});

describe('Codex hook configuration', () => {
  it('hashes each handler as Codex does (golden values from the recipe trust-hooks.mjs)', () => {
    const entries = codexHookEntries({ hookProgram: '/x/hook.js', approvalTimeoutSeconds: 120 });
    const permission = entries.find((e) => e.event === 'PermissionRequest')!;
    assert.equal(permission.handler.command, 'node /x/hook.js --timeout 145 --path /hooks/codex');
    assert.equal(permission.handler.timeout, 150);
    assert.equal(trustedHash(permission), 'sha256:96b9e756395f39d7de7545e3fbd2994b3625267b73dd199185dd3328e6ce8a51');
    const stop = entries.find((e) => e.event === 'Stop')!;
    assert.equal(stop.matcher, undefined);
    assert.equal(trustedHash(stop), 'sha256:1388faf65b06ad94b875aba4bb99da43b3c6df974dcf097ec66be04917a002cc');
  });

  it('one -c per event and one hooks.state table trusting each of them', () => {
    const overrides = codexHookOverrides({ hookProgram: "/it's here/hook.js", approvalTimeoutSeconds: 60 });
    assert.equal(overrides.length, 7);
    // The command is a shell line (quoted by shell-quote) inside a TOML string (JSON escapes are valid TOML).
    // PreToolUse may hold a command the policy sends to a person: it waits as long as PermissionRequest does.
    assert.equal(
      overrides[2],
      `hooks.PreToolUse=[{matcher="*",hooks=[{type="command",command=${JSON.stringify('node "/it\'s here/hook.js" --timeout 85 --path /hooks/codex')},timeout=90,statusMessage=${JSON.stringify(POLICY_STATUS_MESSAGE)}}]}]`,
    );
    assert.match(overrides[1]!, /^hooks\.UserPromptSubmit=.*--timeout 10 --path \/hooks\/codex"?,timeout=15\}/);
    const state = overrides.at(-1)!;
    assert.ok(state.startsWith('hooks.state={'));
    for (const e of ['session_start', 'user_prompt_submit', 'pre_tool_use', 'permission_request', 'post_tool_use', 'stop']) {
      assert.match(state, new RegExp(`"/<session-flags>/config\\.toml:${e}:0:0"=\\{trusted_hash="sha256:[0-9a-f]{64}"\\}`));
    }
  });

  it('refuses timeouts outside 1..86400 s, naming the field', () => {
    assert.throws(() => codexHookEntries({ hookProgram: '/h', approvalTimeoutSeconds: 0 }), /approvalTimeoutSeconds/);
  });
});

describe('Codex launch plan', () => {
  it('runs the user\'s codex without its daemon, with the prompt after --, and Flotilla env that user env cannot override', () => {
    const plan = codexLaunchPlan(spec({ prompt: '-rf is not a flag', userEnv: { FLOTILLA_AGENT_TOKEN: 'evil', OPENAI_BASE_URL: 'u' } }), { codexPath: '/bin/codex' });
    const words = parse(plan.commandLine) as string[];
    assert.equal(words[0], '/bin/codex');
    assert.equal(words[1], '--no-daemon');
    assert.deepEqual(words.slice(-2), ['--', '-rf is not a flag']);
    assert.equal(words.filter((w) => w === '-c').length, 7);
    assert.ok(!words.some((w) => w.startsWith('projects=')), 'a folder the user picked keeps Codex own trust question');
    assert.equal(plan.env.FLOTILLA_AGENT_TOKEN, 'tok');
    assert.equal(plan.env.FLOTILLA_AGENT_ID, 'a1');
    assert.equal(plan.env.FLOTILLA_BRIDGE_URL, 'http://127.0.0.1:4000');
    assert.equal(plan.env.OPENAI_BASE_URL, 'u');
    assert.equal(plan.env.CODEX_HOME, undefined, "the user's CODEX_HOME is not redirected");
    assert.equal(plan.cwd, '/repo/wt');
    assert.ok(plan.terminalPrompts?.some((p) => p.pattern.test('Trust this folder?')));
  });

  it('trusts a worktree Flotilla created, for this run only', () => {
    const words = parse(codexLaunchPlan(spec({ agent: agent(true) })).commandLine) as string[];
    assert.equal(words[0], 'codex');
    assert.ok(words.includes('projects={"/repo/wt"={trust_level="trusted"}}'));
    assert.ok(!words.includes('--'), 'no prompt, no --');
  });
});
