// Hook payload parsing: every event's real shape parses, extra fields survive, and each bad payload is refused
// with an error naming the field.
import assert from 'node:assert/strict';
import { CLAUDE_HOOK_EVENTS, HOOK_PAYLOAD_LIMITS, HookReplySchema, MAX_HOOK_PAYLOAD_BYTES, parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import { HOOK_SAMPLES, REQUIRED_FIELD } from './hookSamples';

describe('parseHookPayload', () => {
  for (const event of CLAUDE_HOOK_EVENTS) {
    describe(event, () => {
      it('parses the payload Claude Code sends, from JSON text and from a value', () => {
        const fromText = parseHookPayload(JSON.stringify(HOOK_SAMPLES[event]));
        assert.ok(fromText.ok, fromText.ok ? '' : fromText.error);
        assert.equal(fromText.payload.hook_event_name, event);
        const fromValue = parseHookPayload(HOOK_SAMPLES[event]);
        assert.ok(fromValue.ok);
      });

      it(`refuses it without ${REQUIRED_FIELD[event]}, naming the field`, () => {
        const broken = { ...HOOK_SAMPLES[event] };
        delete broken[REQUIRED_FIELD[event]];
        const result = parseHookPayload(broken);
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.field, `${event}.${REQUIRED_FIELD[event]}`);
        assert.match(result.error, new RegExp(`^${event}\\.${REQUIRED_FIELD[event]}: required field missing`));
      });
    });
  }

  it('keeps unknown extra fields that newer Claude Code versions add', () => {
    const result = parseHookPayload({ ...HOOK_SAMPLES.Stop, brand_new_field: { x: 1 } });
    assert.ok(result.ok);
    assert.deepEqual((result.payload as Record<string, unknown>).brand_new_field, { x: 1 });
    assert.deepEqual((result.payload as Record<string, unknown>).effort, { level: 'high' });
  });

  it('accepts enum-like values it does not know yet (a new SessionEnd reason)', () => {
    const result = parseHookPayload({ ...HOOK_SAMPLES.SessionEnd, reason: 'some_future_reason' });
    assert.ok(result.ok);
  });

  it('names the common field that is wrong', () => {
    const result = parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, session_id: 42 });
    assert.deepEqual(result, { ok: false, field: 'PreToolUse.session_id', error: 'PreToolUse.session_id: expected string, received number' });
  });

  it('refuses a tool_input that is not an object', () => {
    const result = parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, tool_input: 'rm -rf /' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'PreToolUse.tool_input');
  });

  it('refuses an unknown or missing hook_event_name', () => {
    assert.deepEqual(parseHookPayload({ ...HOOK_SAMPLES.Stop, hook_event_name: 'PreCompact' }), {
      ok: false,
      field: 'hook_event_name',
      error: "hook_event_name: unsupported event 'PreCompact'",
    });
    const { hook_event_name: _, ...none } = HOOK_SAMPLES.Stop;
    const missing = parseHookPayload(none);
    assert.equal(missing.ok, false);
    assert.match((missing as { error: string }).error, /^hook_event_name: required field missing/);
  });

  it('refuses text that is not a JSON object, and oversized payloads before parsing them', () => {
    assert.match((parseHookPayload('{not json') as { error: string }).error, /^payload: not JSON/);
    assert.equal((parseHookPayload('[1,2]') as { error: string }).error, 'payload: expected a JSON object');
    assert.equal((parseHookPayload(null) as { error: string }).error, 'payload: expected a JSON object');
    const huge = JSON.stringify({ ...HOOK_SAMPLES.UserPromptSubmit, prompt: 'x'.repeat(MAX_HOOK_PAYLOAD_BYTES) });
    assert.match((parseHookPayload(huge) as { error: string }).error, /^payload: larger than/);
  });

  it('refuses a tool input nested 20 000 levels deep (40 KB) before the schema walks it, naming the limit', () => {
    const text = JSON.stringify({ ...HOOK_SAMPLES.PreToolUse, tool_input: { command: '@' } }).replace('"@"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    assert.ok(text.length < 41_000);
    assert.deepEqual(parseHookPayload(text), { ok: false, field: 'tool_input', error: 'tool_input: nested deeper than 64 levels' });
    // The same as an already parsed value, and in a tool response (not walked by the schema, but by views later).
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) as unknown;
    assert.deepEqual(parseHookPayload({ ...HOOK_SAMPLES.PostToolUse, tool_response: deep }), {
      ok: false,
      field: 'tool_response',
      error: 'tool_response: nested deeper than 64 levels',
    });
  });

  it('accepts nesting up to the limit, and refuses too many values, too long strings and a __proto__ key', () => {
    let within: unknown = 'leaf';
    for (let i = 0; i < 62; i++) within = [within];
    assert.equal(parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, tool_input: { a: within } }).ok, true);
    const many = parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, tool_input: { a: Array(HOOK_PAYLOAD_LIMITS.maxNodes).fill(0) } });
    assert.deepEqual(many, { ok: false, field: 'tool_input', error: `tool_input: more than ${HOOK_PAYLOAD_LIMITS.maxNodes} values` });
    const long = parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, tool_input: { content: 'x'.repeat(HOOK_PAYLOAD_LIMITS.maxStringLength! + 1) } });
    assert.deepEqual(long, { ok: false, field: 'tool_input', error: `tool_input: string longer than ${HOOK_PAYLOAD_LIMITS.maxStringLength} characters` });
    const proto = parseHookPayload(`{"hook_event_name":"PreToolUse","tool_input":{"__proto__":{"x":1}}}`);
    assert.deepEqual(proto, { ok: false, field: 'tool_input', error: "tool_input: key '__proto__' is not allowed" });
  });

  it('bounds string sizes', () => {
    const result = parseHookPayload({ ...HOOK_SAMPLES.PreToolUse, tool_name: 'x'.repeat(600) });
    assert.equal(result.ok, false);
    assert.match((result as { error: string }).error, /^PreToolUse\.tool_name: too long/);
  });
});

describe('HookReplySchema', () => {
  it('accepts the reply shapes Claude Code reads and refuses others', () => {
    assert.ok(HookReplySchema.safeParse({}).success);
    assert.ok(HookReplySchema.safeParse({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no' } }).success);
    assert.ok(HookReplySchema.safeParse({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } }).success);
    assert.equal(HookReplySchema.safeParse({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'yes' } }).success, false);
    assert.equal(HookReplySchema.safeParse({ decision: 'approve' }).success, false);
  });
});
