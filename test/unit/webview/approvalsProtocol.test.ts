// The Approvals panel protocol: every message either side may send parses, and a bad one is refused with the
// field named (never thrown), both webview -> host and host -> webview.
import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../../src/shared/webview/approvalsProtocol';
import { pendingApprovals } from './fixtures';

function refusal(result: ReturnType<typeof parseWebviewMessage> | ReturnType<typeof parseHostMessage>): { field: string; message: string } {
  assert.equal(result.ok, false, 'the message was accepted');
  return (result as { ok: false; error: { field: string; message: string } }).error;
}

describe('approvals protocol: webview -> host', () => {
  it('accepts ready, decide (with and without a message) and openAgent', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'decide', requestId: 'r-1', ids: ['a', 'b'], decision: 'allow' },
      { type: 'decide', requestId: 'r-2', ids: ['a'], decision: 'deny', message: 'use the staging remote' },
      { type: 'openAgent', agentId: 'agent-1' },
      { type: 'alwaysAllow', requestId: 'r-3', id: 'a', scope: 'agent' },
      { type: 'alwaysAllow', requestId: 'r-4', id: 'a', scope: 'session' },
    ]) {
      const result = parseWebviewMessage(message);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.message, message);
    }
  });

  it('names the field of a bad decide: wrong decision, non-string id, empty ids, missing requestId', () => {
    assert.equal(
      refusal(parseWebviewMessage({ type: 'decide', requestId: 'r', ids: ['a'], decision: 'maybe' })).message,
      `decide.decision: expected one of 'allow', 'deny', received "maybe"`,
    );
    const badId = refusal(parseWebviewMessage({ type: 'decide', requestId: 'r', ids: ['a', 7], decision: 'allow' }));
    assert.equal(badId.field, 'decide.ids.1');
    assert.match(badId.message, /^decide\.ids\.1: expected string, received number$/);
    assert.equal(refusal(parseWebviewMessage({ type: 'decide', requestId: 'r', ids: [], decision: 'allow' })).field, 'decide.ids');
    assert.equal(refusal(parseWebviewMessage({ type: 'decide', ids: ['a'], decision: 'allow' })).field, 'decide.requestId');
  });

  it('refuses a field the protocol does not have, and an over-long message', () => {
    assert.equal(refusal(parseWebviewMessage({ type: 'ready', extra: 1 })).message, 'ready.extra: unknown field');
    const long = refusal(parseWebviewMessage({ type: 'decide', requestId: 'r', ids: ['a'], decision: 'deny', message: 'x'.repeat(2001) }));
    assert.equal(long.field, 'decide.message');
    assert.match(long.message, /too long/);
  });

  it('refuses an unknown type, a host-only type and a non-object without throwing', () => {
    assert.equal(refusal(parseWebviewMessage({ type: 'state', pending: [], now: 1 })).message, `type: expected one of 'ready', 'decide', 'openAgent', 'alwaysAllow', received "state"`);
    assert.equal(refusal(parseWebviewMessage({ agentId: 'x' })).message, `type: expected one of 'ready', 'decide', 'openAgent', 'alwaysAllow', received nothing`);
    assert.equal(refusal(parseWebviewMessage('ready')).message, 'message: expected an object, received "ready"');
    assert.equal(refusal(parseWebviewMessage(null)).field, '');
    assert.equal(refusal(parseWebviewMessage([])).field, '');
  });

  it('names the field of a bad alwaysAllow: unknown scope, missing id, a list of ids', () => {
    assert.equal(
      refusal(parseWebviewMessage({ type: 'alwaysAllow', requestId: 'r', id: 'a', scope: 'forever' })).message,
      `alwaysAllow.scope: expected one of 'agent', 'session', received "forever"`,
    );
    assert.equal(refusal(parseWebviewMessage({ type: 'alwaysAllow', requestId: 'r', scope: 'agent' })).field, 'alwaysAllow.id');
    assert.equal(refusal(parseWebviewMessage({ type: 'alwaysAllow', requestId: 'r', id: 'a', ids: ['a'], scope: 'agent' })).message, 'alwaysAllow.ids: unknown field');
  });

  it('refuses an inherited property name as a type (no prototype lookups)', () => {
    assert.equal(refusal(parseWebviewMessage({ type: 'toString' })).field, 'type');
    assert.equal(refusal(parseWebviewMessage({ type: '__proto__' })).field, 'type');
  });
});

describe('approvals protocol: host -> webview', () => {
  it('accepts a state of pending DTOs and a decideResult', () => {
    const state = { type: 'state', pending: pendingApprovals(3, 2), now: 1_700_000_000_000 };
    const parsed = parseHostMessage(state);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.message, state);
    const result = {
      type: 'decideResult',
      requestId: 'r-1',
      results: [{ id: 'a', ok: true }, { id: 'b', ok: false, reason: 'no longer pending' }, { id: 'c', ok: true, message: 'Added a session rule: …' }],
    };
    const parsedResult = parseHostMessage(result);
    assert.ok(parsedResult.ok);
    assert.deepEqual(parsedResult.message, result);
  });

  it('reads a state whose input is nested 20,000 levels deep (the schema does not walk inputs)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const [request] = pendingApprovals(1, 1);
    const parsed = parseHostMessage({ type: 'state', pending: [{ ...request!, input: deep }], now: 1 });
    assert.equal(parsed.ok, true);
  });

  it('names the bad field inside a pending request', () => {
    const pending = pendingApprovals(3, 1) as unknown as Record<string, unknown>[];
    pending[2] = { ...pending[2], escalated: 'yes' };
    const error = refusal(parseHostMessage({ type: 'state', pending, now: 1 }));
    assert.equal(error.field, 'state.pending.2.escalated');
    assert.equal(error.message, 'state.pending.2.escalated: expected boolean, received string');
    assert.equal(refusal(parseHostMessage({ type: 'state', pending: [] })).message, 'state.now: required field missing (expected number)');
  });

  it('refuses a decideResult entry without ok, and a webview-only type', () => {
    assert.equal(refusal(parseHostMessage({ type: 'decideResult', requestId: 'r', results: [{ id: 'a' }] })).field, 'decideResult.results.0.ok');
    assert.equal(refusal(parseHostMessage({ type: 'ready' })).field, 'type');
  });
});
