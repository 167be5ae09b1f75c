// The facts each hook event reports (the mapping table), the tool summaries, and the exact
// permission reply bodies Claude Code reads.
import assert from 'node:assert/strict';
import { BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_TIMEOUT_MS, hookFacts, permissionReply, toolTimeoutMs } from '../../../src/adapters/claudeCode/hookMapping';
import { summarizeToolCall } from '../../../src/adapters/claudeCode/toolSummary';
import type { ClaudeHookEvent, HookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import { parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import { HOOK_SAMPLES } from './hookSamples';

function payload(event: ClaudeHookEvent, patch: Record<string, unknown> = {}): HookPayload {
  const result = parseHookPayload({ ...HOOK_SAMPLES[event], ...patch });
  if (!result.ok) throw new Error(result.error);
  return result.payload;
}

describe('hookFacts', () => {
  const SID = HOOK_SAMPLES.Stop.session_id as string;
  const names = (p: HookPayload, known: string | undefined) => hookFacts(p, known).facts.map((f) => ('phase' in f ? `${f.type}:${f.phase}` : f.type === 'waiting' ? `waiting:${f.for}` : f.type));
  const table: [ClaudeHookEvent, Record<string, unknown>, string[], ('PreToolUse' | 'PermissionRequest')?][] = [
    ['SessionStart', {}, ['session:started']],
    ['UserPromptSubmit', {}, ['turn:started']],
    ['PreToolUse', {}, ['tool:started'], 'PreToolUse'],
    ['PermissionRequest', {}, [], 'PermissionRequest'],
    ['PostToolUse', {}, ['tool:ended']],
    ['PostToolUseFailure', {}, ['tool:failed']],
    ['Notification', { notification_type: 'permission_prompt' }, ['waiting:approval']],
    ['Notification', { notification_type: 'idle_prompt' }, []],
    ['Notification', { notification_type: 'elicitation_dialog' }, ['waiting:input']],
    ['Notification', { notification_type: 'auth_success' }, []],
    ['Stop', {}, ['turn:ended']],
    ['StopFailure', {}, ['turn:failed']],
    ['SubagentStop', {}, ['activity']],
    ['SessionEnd', {}, ['session:ended']],
  ];
  for (const [event, patch, facts, asks] of table) {
    it(`${event}${Object.keys(patch).length ? ` ${JSON.stringify(patch)}` : ''} -> ${facts.join(', ') || 'no fact'}${asks ? ', asks the sink' : ''}`, () => {
      const mapped = hookFacts(payload(event, patch), SID);
      assert.equal(mapped.event, event);
      assert.deepEqual(names(payload(event, patch), SID), facts);
      assert.equal(mapped.asks, asks);
      assert.equal(mapped.sessionId, SID);
      assert.equal(mapped.transcriptPath, HOOK_SAMPLES.Stop.transcript_path);
    });
  }

  it('the first event of a session Flotilla has not seen reports the session first (http hooks have no SessionStart)', () => {
    assert.deepEqual(names(payload('UserPromptSubmit'), undefined), ['session:started', 'turn:started']);
    assert.deepEqual(names(payload('UserPromptSubmit'), 'an-older-session'), ['session:started', 'turn:started']);
    const first = hookFacts(payload('PreToolUse'), undefined).facts[0];
    assert.deepEqual(first, { type: 'session', phase: 'started', sessionId: SID, transcriptPath: HOOK_SAMPLES.Stop.transcript_path });
  });

  it('PreToolUse reports the tool with its action (summary, input, id, session) and a Bash timeout', () => {
    const mapped = hookFacts(payload('PreToolUse'), SID);
    assert.deepEqual(mapped.tool, {
      tool: 'Bash',
      summary: 'Bash: git push origin feature',
      input: { command: 'git push origin feature', description: 'Push' },
      cwd: '/tmp/repo',
      sessionId: SID,
      toolUseId: 'toolu_1',
    });
    assert.equal((mapped.facts[0] as { timeoutMs?: number }).timeoutMs, BASH_DEFAULT_TIMEOUT_MS);
    assert.equal(toolTimeoutMs('Bash', { timeout: 5_000 }), 5_000);
    assert.equal(toolTimeoutMs('Bash', { timeout: 99_000_000 }), BASH_MAX_TIMEOUT_MS);
    assert.equal(toolTimeoutMs('Edit', {}), undefined);
  });

  it('events from inside a subagent never end the main turn, start a session or change its prompt state', () => {
    assert.deepEqual(names(payload('Stop', { agent_id: 'sub1', agent_type: 'Explore' }), undefined), ['activity']);
    assert.equal(hookFacts(payload('Stop', { agent_id: 'sub1' })).subagent, true);
    assert.deepEqual(names(payload('Notification', { agent_id: 'sub1' }), SID), []);
    assert.deepEqual(names(payload('UserPromptSubmit', { agent_id: 'sub1' }), SID), ['activity']);
    assert.equal(hookFacts(payload('Stop')).subagent, false);
  });

  it('carries the detail a user needs: tool error, notification text, end reason, API error', () => {
    assert.match(hookFacts(payload('PostToolUseFailure'), SID).detail ?? '', /does not appear to be a git repository/);
    assert.deepEqual(hookFacts(payload('Notification'), SID).facts, [{ type: 'waiting', for: 'approval', detail: 'Claude needs your permission to use Bash' }]);
    assert.equal(hookFacts(payload('SessionEnd'), SID).detail, 'other');
    assert.deepEqual(hookFacts(payload('StopFailure'), SID).facts, [{ type: 'turn', phase: 'failed', detail: '429 Too Many Requests', quota: {} }]);
  });

  it('PermissionRequest has no tool_use_id, and paths inside cwd are shown relative', () => {
    const mapped = hookFacts(payload('PermissionRequest'), SID);
    assert.equal(mapped.tool?.summary, 'Edit: src/a.ts');
    assert.equal(mapped.tool?.toolUseId, undefined);
  });
});

describe('summarizeToolCall', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['Bash', { command: 'git push origin feature', description: 'Push' }, 'Bash: git push origin feature'],
    ['Bash', { command: 'echo a\n  && echo b' }, 'Bash: echo a && echo b'],
    ['Edit', { file_path: '/repo/src/a.ts' }, 'Edit: src/a.ts'],
    ['Write', { file_path: '/elsewhere/b.ts' }, 'Write: /elsewhere/b.ts'],
    ['Read', { file_path: 'notes.md' }, 'Read: notes.md'],
    ['Grep', { pattern: 'TODO', path: 'src' }, 'Grep: TODO'],
    ['WebFetch', { url: 'https://example.com', prompt: 'summarize' }, 'WebFetch: https://example.com'],
    ['Task', { description: 'Find callers', prompt: 'long prompt' }, 'Task: Find callers'],
    ['TodoWrite', { todos: [{}, {}, {}] }, 'TodoWrite: 3 items'],
    ['mcp__github__create_issue', { title: 'Bug', body: 'x' }, 'mcp__github__create_issue: Bug'],
    ['ExitPlanMode', {}, 'ExitPlanMode'],
  ];
  for (const [tool, input, expected] of cases) {
    it(`${tool} -> ${expected}`, () => assert.equal(summarizeToolCall(tool, input, '/repo'), expected));
  }

  it('keeps the summary to one line of at most 160 characters', () => {
    const summary = summarizeToolCall('Bash', { command: 'x'.repeat(500) });
    assert.equal(summary.length, 160);
    assert.ok(summary.endsWith('…'));
  });
});

describe('permissionReply', () => {
  it('PreToolUse: allow, deny and ask, with the reason', () => {
    for (const decision of ['allow', 'deny', 'ask'] as const) {
      assert.deepEqual(permissionReply('PreToolUse', decision, 'policy: push needs review'), {
        hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: 'policy: push needs review' },
      });
    }
    assert.deepEqual(permissionReply('PreToolUse', 'allow'), { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } });
  });

  it('PermissionRequest: allow, and deny with the reason as the message', () => {
    assert.deepEqual(permissionReply('PermissionRequest', 'allow', 'ok'), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    });
    assert.deepEqual(permissionReply('PermissionRequest', 'deny', 'not on main'), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'not on main' } },
    });
  });

  it('no decision, or ask on PermissionRequest, is the neutral reply: Claude Code asks in its own UI, nothing is allowed', () => {
    assert.deepEqual(permissionReply('PreToolUse', undefined), {});
    assert.deepEqual(permissionReply('PermissionRequest', undefined, 'timeout'), {});
    assert.deepEqual(permissionReply('PermissionRequest', 'ask'), {});
  });
});
