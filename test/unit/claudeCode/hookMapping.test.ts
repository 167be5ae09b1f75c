// What the supervisor does with each hook event (the status mapping table), the tool summaries, and the exact
// permission reply bodies Claude Code reads.
import assert from 'node:assert/strict';
import { mapHookPayload, permissionReply } from '../../../src/adapters/claudeCode/hookMapping';
import { summarizeToolCall } from '../../../src/adapters/claudeCode/toolSummary';
import type { StatusEvent } from '../../../src/core/statusMachine';
import type { ClaudeHookEvent, HookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import { parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import { HOOK_SAMPLES } from './hookSamples';

function payload(event: ClaudeHookEvent, patch: Record<string, unknown> = {}): HookPayload {
  const result = parseHookPayload({ ...HOOK_SAMPLES[event], ...patch });
  if (!result.ok) throw new Error(result.error);
  return result.payload;
}

describe('mapHookPayload', () => {
  const table: [ClaudeHookEvent, Record<string, unknown>, StatusEvent | undefined, boolean][] = [
    ['SessionStart', {}, 'sessionStarted', false],
    ['UserPromptSubmit', {}, 'promptSubmitted', false],
    ['PreToolUse', {}, 'activity', false],
    ['PermissionRequest', {}, 'approvalRequested', true],
    ['PostToolUse', {}, 'activity', false],
    ['PostToolUseFailure', {}, 'activity', false],
    ['Notification', { notification_type: 'permission_prompt' }, 'approvalRequested', false],
    ['Notification', { notification_type: 'idle_prompt' }, 'inputRequested', false],
    ['Notification', { notification_type: 'elicitation_dialog' }, 'inputRequested', false],
    ['Notification', { notification_type: 'auth_success' }, undefined, false],
    ['Stop', {}, 'turnEnded', false],
    ['StopFailure', {}, 'turnEnded', false],
    ['SubagentStop', {}, 'activity', false],
    ['SessionEnd', {}, 'completed', false],
  ];
  for (const [event, patch, status, waits] of table) {
    it(`${event}${Object.keys(patch).length ? ` ${JSON.stringify(patch)}` : ''} -> ${status ?? 'no status change'}${waits ? ', waits' : ''}`, () => {
      const action = mapHookPayload(payload(event, patch));
      assert.equal(action.event, event);
      assert.equal(action.status, status);
      assert.equal(action.waitsForDecision, waits);
      assert.equal(action.sessionId, HOOK_SAMPLES.Stop.session_id);
      assert.equal(action.transcriptPath, HOOK_SAMPLES.Stop.transcript_path);
    });
  }

  it('PreToolUse waits for a decision, as an approval request, when the policy says approve', () => {
    const action = mapHookPayload(payload('PreToolUse'), { preToolUseNeedsApproval: true });
    assert.equal(action.status, 'approvalRequested');
    assert.equal(action.waitsForDecision, true);
    assert.deepEqual(action.tool, {
      name: 'Bash',
      summary: 'Bash: git push origin feature',
      input: { command: 'git push origin feature', description: 'Push' },
      toolUseId: 'toolu_1',
    });
  });

  it('events from inside a subagent never end the main turn or change its prompt state', () => {
    const stop = mapHookPayload(payload('Stop', { agent_id: 'sub1', agent_type: 'Explore' }));
    assert.equal(stop.status, 'activity');
    assert.equal(stop.subagent, true);
    assert.equal(mapHookPayload(payload('Notification', { agent_id: 'sub1' })).status, undefined);
    assert.equal(mapHookPayload(payload('Stop')).subagent, false);
  });

  it('carries the detail a user needs: tool error, notification text, end reason, API error', () => {
    assert.match(mapHookPayload(payload('PostToolUseFailure')).detail ?? '', /does not appear to be a git repository/);
    assert.equal(mapHookPayload(payload('Notification')).detail, 'Claude needs your permission to use Bash');
    assert.equal(mapHookPayload(payload('SessionEnd')).detail, 'other');
    assert.equal(mapHookPayload(payload('StopFailure')).detail, '429 Too Many Requests');
  });

  it('PermissionRequest has no tool_use_id, and paths inside cwd are shown relative', () => {
    const action = mapHookPayload(payload('PermissionRequest'));
    assert.equal(action.tool?.summary, 'Edit: src/a.ts');
    assert.equal(action.tool?.toolUseId, undefined);
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
