// The approval queue on its own: every request ends exactly once — decided, timed out (handed back or denied as
// configured, never allowed), or made stale — and escalates once, louder, before its timeout.
import assert from 'node:assert/strict';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { ApprovalTimings, NewApproval, SettledApproval } from '../../../src/core/approvals/approvalQueue';
import type { PendingApproval } from '../../../src/shared/approval';

const ask = (agentId = 'a1'): NewApproval => ({ agentId, agentName: agentId, tool: 'Bash', summary: 'Bash: git push', input: { command: 'git push' } });

function queueWith(timings: ApprovalTimings) {
  const queue = new ApprovalQueue(() => timings);
  const settled: SettledApproval[] = [];
  const escalated: PendingApproval[] = [];
  queue.onDidSettle((s) => settled.push(s));
  queue.onDidEscalate((r) => escalated.push(r));
  return { queue, settled, escalated };
}

describe('approval queue', () => {
  it('escalates once, then hands the request back to the agent at the timeout (the default)', async () => {
    const { queue, settled, escalated } = queueWith({ escalateAfterMs: 10, timeoutMs: 40 });
    const resolution = await queue.request(ask());
    assert.equal(resolution.kind, 'fallback');
    assert.equal(resolution.kind === 'fallback' && resolution.why, 'timeout');
    assert.equal(escalated.length, 1);
    assert.equal(escalated[0]!.escalated, true);
    assert.equal(settled.length, 1);
    assert.deepEqual(queue.pending(), []);
  });

  it("denies at the timeout when onTimeout is 'deny', decided by the timeout, with the reason", async () => {
    const { queue, settled } = queueWith({ escalateAfterMs: 1000, timeoutMs: 20, onTimeout: 'deny' });
    const resolution = await queue.request(ask());
    assert.deepEqual(resolution, {
      kind: 'decided', decision: 'deny', decidedBy: 'timeout', reason: 'Denied by Flotilla: no decision within 0 s (approvals.onTimeout is deny)',
    });
    assert.equal(settled[0]!.resolution, resolution);
  });

  it('refuses a second decision, and a decision on a request whose agent moved on', async () => {
    const { queue } = queueWith({ escalateAfterMs: 60_000, timeoutMs: 60_000 });
    const first = queue.request(ask('a1'));
    const second = queue.request(ask('a2'));
    const [p1, p2] = queue.pending();
    assert.deepEqual(queue.decide(p1!.id, 'allow', 'user'), { ok: true });
    assert.equal(queue.decide(p1!.id, 'deny', 'user').ok, false, 'already answered');
    assert.equal(queue.invalidate((r) => r.agentId === 'a2', 'a2 was stopped'), 1);
    const stale = queue.decide(p2!.id, 'allow', 'user');
    assert.equal(stale.ok, false);
    assert.match(stale.ok ? '' : stale.reason, /no longer pending/);
    assert.deepEqual(await first, { kind: 'decided', decision: 'allow', decidedBy: 'user', reason: undefined });
    assert.deepEqual(await second, { kind: 'fallback', why: 'stale', reason: 'a2 was stopped' });
  });

  it('makes a request stale when its hook hangs up', async () => {
    const { queue } = queueWith({ escalateAfterMs: 60_000, timeoutMs: 60_000 });
    const hangUp = new AbortController();
    const waiting = queue.request(ask(), hangUp.signal);
    hangUp.abort();
    assert.deepEqual(await waiting, { kind: 'fallback', why: 'stale', reason: 'the agent stopped waiting' });
    assert.deepEqual(queue.pending(), []);
  });
});
