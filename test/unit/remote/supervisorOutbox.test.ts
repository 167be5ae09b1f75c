// The supervisor's side of a session's numbering and resends (supervisorOutbox.ts), on its own: what a resumed, a new
// and a restarted session continue from, what is kept for a resend and for how long.
import assert from 'node:assert/strict';
import { MAX_KEPT_SUPERVISOR_FRAMES, MAX_REMEMBERED_DECISIONS, SupervisorOutbox } from '../../../src/adapters/remote/supervisorOutbox';
import type { ResendableDraft } from '../../../src/adapters/remote/supervisorOutbox';

const decision = (id: string): ResendableDraft => ({ type: 'approval_decision', request_id: id, decision: 'allow', decided_by: 'user' });
const pause: ResendableDraft = { type: 'control', action: 'pause' };

/** Sends like a session: welcome, then the drafts, each with the next seq. */
function sendAll(out: SupervisorOutbox, drafts: ResendableDraft[]): void {
  out.sent({ type: 'welcome' });
  for (const d of drafts) out.sent(d);
}

describe('remote: the supervisor outbox of an agent', () => {
  it('a resumed session continues its numbering and gets back what the agent had not processed, in order', () => {
    const out = new SupervisorOutbox();
    assert.deepEqual(out.begin('s1', undefined, 0), []);
    sendAll(out, [decision('a'), pause, decision('b')]); // seqs 0 (welcome), 1, 2, 3
    out.sent({ type: 'ack' }); // 4: acks are not kept
    assert.equal(out.unackedCount, 3);
    out.acked(1);
    assert.equal(out.unackedCount, 2);
    assert.deepEqual(out.begin('s1', 2, 0), [decision('b')], 'the agent processed up to 2: only seq 3 again');
    assert.equal(out.nextSeq, 5, 'numbering goes on');
    assert.equal(out.decisionFor('a')?.request_id, 'a');
  });

  it('a new session starts over and resends nothing; a session resumed after a restart numbers after what the agent saw', () => {
    const out = new SupervisorOutbox();
    out.begin('s1', undefined, 0);
    sendAll(out, [pause, pause]);
    assert.deepEqual(out.begin('s2', undefined, 2), [], 'frames of an old session are not resent');
    assert.equal(out.nextSeq, 2, 'never below what this connection used');
    const fresh = new SupervisorOutbox();
    assert.deepEqual(fresh.begin('s9', 40, 0), []);
    assert.equal(fresh.nextSeq, 41);
  });

  it('keeps at most its bound of unacked frames and remembered decisions, the newest', () => {
    const out = new SupervisorOutbox();
    out.begin('s1', undefined, 0);
    for (let i = 0; i < MAX_KEPT_SUPERVISOR_FRAMES + 10; i++) out.sent(decision(`r${i}`));
    assert.equal(out.unackedCount, MAX_KEPT_SUPERVISOR_FRAMES);
    assert.equal(out.decisionFor('r0'), undefined);
    assert.equal(out.decisionFor(`r${MAX_KEPT_SUPERVISOR_FRAMES + 9}`)?.request_id, `r${MAX_KEPT_SUPERVISOR_FRAMES + 9}`);
    assert.equal(out.decisionFor(`r${MAX_KEPT_SUPERVISOR_FRAMES + 9 - MAX_REMEMBERED_DECISIONS}`), undefined);
  });
});
