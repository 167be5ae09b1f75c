// Which notification answers which request: the queue remembers how requests ended (bounded), and only the newest
// notification offering a request (an escalation) answers it; older ones are told apart for a truthful message.
import assert from 'node:assert/strict';
import { ApprovalQueue, SETTLED_MEMORY } from '../../../src/core/approvals/approvalQueue';
import type { NewApproval } from '../../../src/core/approvals/approvalQueue';
import { NoticeOwnership } from '../../../src/core/approvals/noticeOwnership';
import type { PendingApproval } from '../../../src/shared/approval';

const ask = (agentId: string): NewApproval => ({ agentId, agentName: agentId, tool: 'Bash', summary: 'Bash: git push', input: { command: 'git push' } });

function queued(queue: ApprovalQueue, agentId: string): PendingApproval {
  let added: PendingApproval | undefined;
  void queue.request(ask(agentId), undefined, (r) => (added = r));
  return added!;
}

describe('notice ownership and settled outcomes', () => {
  let queue: ApprovalQueue;
  beforeEach(() => (queue = new ApprovalQueue(() => ({ escalateAfterMs: 60_000, timeoutMs: 120_000 }))));
  afterEach(() => queue.dispose());

  it('remembers who decided, where and when; nothing while pending', () => {
    const r = queued(queue, 'pusher-2');
    assert.equal(queue.settled(r.id), undefined);
    assert.deepEqual(queue.decide(r.id, 'allow', 'user', undefined, 'the Approvals panel'), { ok: true });
    const s = queue.settled(r.id)!;
    assert.equal(s.via, 'the Approvals panel');
    assert.deepEqual(s.resolution, { kind: 'decided', decision: 'allow', decidedBy: 'user', reason: undefined });
    assert.equal(typeof s.at, 'number');
  });

  it('forgets the oldest past its memory bound', () => {
    const first = queued(queue, 'a');
    queue.decide(first.id, 'deny', 'user');
    for (let i = 0; i < SETTLED_MEMORY; i++) queue.decide(queued(queue, `b${i}`).id, 'allow', 'user');
    assert.equal(queue.settled(first.id), undefined);
  });

  it('only the newest notification offering a request answers it; the others see it superseded or settled', () => {
    const ownership = new NoticeOwnership();
    const a = queued(queue, 'alpha');
    const b = queued(queue, 'bravo');
    const batchSerial = ownership.claim([a, b]);
    const escalation = ownership.claim([a]);
    let split = ownership.split([a, b], batchSerial, queue);
    assert.deepEqual(split.live.map((r) => r.id), [b.id]);
    assert.deepEqual(split.superseded.map((r) => r.id), [a.id]);
    queue.decide(a.id, 'allow', 'user', undefined, 'the Approvals panel');
    ownership.release(a.id);
    split = ownership.split([a], escalation, queue);
    assert.deepEqual(split.live, []);
    assert.equal(split.settled[0]!.via, 'the Approvals panel');
  });
});
