// CodexSession's approvals without Codex: a person's allow at PreToolUse (the policy sent the command to them) also
// answers the PermissionRequest Codex sends next for the same command in the same turn, so an escalated command is
// asked once; anything else (another command, a later turn, a policy allow, a deny) is decided again.
import assert from 'node:assert/strict';
import { CodexSession } from '../../../src/adapters/codex/codexSession';
import type { CodexHookPayload } from '../../../src/adapters/codex/codexHookPayloads';
import { permissionAllow } from '../../../src/adapters/codex/codexHookPayloads';
import type { AgentSignalSink, ApprovalOptions, Verdict } from '../../../src/core/agents/agentAdapter';
import type { ToolAction } from '../../../src/core/agents/agentSignal';
import type { Logger } from '../../../src/core/log';

const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const common = { session_id: 's1', transcript_path: null, cwd: '/w' };
const pre = (command: string, turn = 't1'): CodexHookPayload => ({ ...common, turn_id: turn, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'call_1' });
const permission = (command: string, turn = 't1'): CodexHookPayload => ({
  ...common,
  turn_id: turn,
  hook_event_name: 'PermissionRequest',
  tool_name: 'Bash',
  tool_input: { command, description: 'Allow it outside the sandbox?' },
});
const prompt = (turn: string): CodexHookPayload => ({ ...common, turn_id: turn, hook_event_name: 'UserPromptSubmit', prompt: 'go' });

/** Answers every approval with the next scripted verdict and records what was asked. */
class ScriptedSink implements AgentSignalSink {
  readonly asked: { action: ToolAction; options?: ApprovalOptions }[] = [];
  constructor(private readonly verdicts: Verdict[]) {}
  signal(): void {}
  approve(_id: string, action: ToolAction, _abort: AbortSignal, options?: ApprovalOptions): Promise<Verdict> {
    this.asked.push({ action, ...(options ? { options } : {}) });
    const next = this.verdicts.shift();
    if (!next) throw new Error(`no verdict scripted for ${action.summary}`);
    return Promise.resolve(next);
  }
}

const userAllow: Verdict = { decision: 'allow', by: 'user' };
const abort = new AbortController().signal;

describe('Codex session approvals', () => {
  it('a command a person allowed at PreToolUse is not asked again at PermissionRequest', async () => {
    const sink = new ScriptedSink([userAllow]);
    const session = new CodexSession('a1', sink, log);
    assert.deepEqual(await session.onHook(pre('echo hi > x'), abort), {});
    assert.deepEqual(await session.onHook(permission('echo hi > x'), abort), permissionAllow());
    assert.equal(sink.asked.length, 1, 'asked once');
    assert.equal(sink.asked[0]!.options?.whenNoGateDecides, 'agent');
  });

  it('the allow covers that command once, in that turn only', async () => {
    const sink = new ScriptedSink([userAllow, { decision: 'deny', by: 'user', reason: 'no' }, userAllow, { decision: 'ask', reason: 'nobody' }]);
    const session = new CodexSession('a1', sink, log);
    await session.onHook(pre('echo hi > x'), abort);
    // Another command of the same turn is decided on its own.
    const other = await session.onHook(permission('rm -r build'), abort);
    assert.match(JSON.stringify(other), /"behavior":"deny"/);
    assert.deepEqual(await session.onHook(permission('echo hi > x'), abort), permissionAllow());
    // Used up: Codex asking again for it is a new question.
    await session.onHook(pre('echo hi > x'), abort);
    await session.onHook(prompt('t2'), abort);
    assert.deepEqual(await session.onHook(permission('echo hi > x', 't2'), abort), {}, 'a later turn asks again (nobody decided: Codex asks itself)');
    assert.equal(sink.asked.length, 4);
  });

  it('a policy allow or a deny at PreToolUse does not answer the PermissionRequest', async () => {
    const sink = new ScriptedSink([
      { decision: 'allow', by: 'policy', reason: 'Allowed by Flotilla policy (autonomous)' },
      { decision: 'deny', by: 'policy', reason: 'outside the worktree' },
      { decision: 'deny', by: 'user', reason: 'no' },
    ]);
    const session = new CodexSession('a1', sink, log);
    await session.onHook(pre('echo hi > x'), abort);
    const escalation = await session.onHook(permission('echo hi > x'), abort);
    assert.match(JSON.stringify(escalation), /Denied in Flotilla: outside the worktree/, 'the escalation went through the gates again');
    const denied = await session.onHook(pre('curl x | sh'), abort);
    assert.match(JSON.stringify(denied), /"permissionDecision":"deny"/);
    assert.equal(sink.asked.length, 3);
  });
});

describe('Codex session: a PreToolUse nobody answered', () => {
  it('is not run when a person was asked and nobody decided (Codex has no dialog to fall back on there)', async () => {
    for (const by of ['timeout', 'supervisor'] as const) {
      const sink = new ScriptedSink([{ decision: 'ask', reason: 'no answer within 600 s', by }]);
      const reply = await new CodexSession('a1', sink, log).onHook(pre('echo hi > x'), abort);
      assert.match(JSON.stringify(reply), /"permissionDecision":"deny","permissionDecisionReason":"Not run: nobody answered in Flotilla \(no answer within 600 s\)"/, by);
    }
  });

  it('leaves Codex its own rules when no gate had an opinion (nobody was asked)', async () => {
    const sink = new ScriptedSink([{ decision: 'ask', reason: 'no Flotilla rule decides this; the agent asks itself' }]);
    assert.deepEqual(await new CodexSession('a1', sink, log).onHook(pre('ls'), abort), {});
  });
});
