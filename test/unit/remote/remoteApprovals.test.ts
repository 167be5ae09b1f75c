// Approval requests from a remote agent through the real ApprovalQueue: decided, fallen back, and abandoned when
// the socket closes. Also the pure decision mapping: a fallback is never 'allow'.
import assert from 'node:assert/strict';
import type { SettledApproval } from '../../../src/core/approvals/approvalQueue';
import type { Verdict } from '../../../src/core/agents/agentAdapter';
import { approvalSummary, decisionFrame } from '../../../src/adapters/remote/remoteApprovals';
import type { PendingApproval } from '../../../src/shared/approval';
import type { ApprovalDecisionFrame } from '../../../src/shared/protocol/approvalDecision';
import type { ApprovalRequestFrame } from '../../../src/shared/protocol/approvalRequest';
import type { ErrorFrame } from '../../../src/shared/protocol/error';
import { agentWhen, connectionChange, startSupervisor, TestAgent } from './remoteKit';
import type { Supervisor } from './remoteKit';

const request = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'approval_request',
  request_id: id,
  tool: 'Bash',
  input: { command: 'git push origin release-2.4' },
  cwd: '/remote/work',
  summary: 'Push the release branch',
  ...extra,
});

const isDecision = (f: { type: string }): boolean => f.type === 'approval_decision';

describe('agent socket approvals', () => {
  let sup: Supervisor;
  let agent: TestAgent;
  let agentId: string;

  beforeEach(async () => {
    sup = await startSupervisor();
    const { agent: remote, token } = sup.addAgent('pusher');
    agentId = remote.id;
    agent = (await TestAgent.hello(sup.url, agentId, token)).agent;
  });

  afterEach(async () => {
    await agent.close();
    await sup.dispose();
  });

  const nextAdded = (): Promise<PendingApproval> =>
    new Promise((resolve) => {
      const d = sup.approvals.onDidAdd((p) => {
        d.dispose();
        resolve(p);
      });
    });
  const nextSettled = (): Promise<SettledApproval> =>
    new Promise((resolve) => {
      const d = sup.approvals.onDidSettle((s) => {
        d.dispose();
        resolve(s);
      });
    });

  it('queues the request with the agent and tool, and delivers an allow', async () => {
    const pending = nextAdded();
    agent.send(request('ap_1', { session_id: 'agent-session-7' }));
    const queued = await pending;
    assert.equal(queued.agentId, agentId);
    assert.equal(queued.agentName, 'pusher');
    assert.equal(queued.tool, 'Bash');
    assert.equal(queued.summary, 'Push the release branch');
    assert.deepEqual(queued.input, { command: 'git push origin release-2.4' });
    assert.equal(queued.cwd, '/remote/work');
    assert.equal(queued.sessionId, 'agent-session-7');
    const waiting = await agentWhen(sup.fleet, agentId, (a) => a.status === 'waiting-approval');
    assert.equal(waiting.currentTool?.summary, 'Push the release branch');

    assert.deepEqual(sup.approvals.decide(queued.id, 'allow', 'user'), { ok: true });
    const decision = await agent.next<ApprovalDecisionFrame>(isDecision);
    assert.equal(decision.request_id, 'ap_1');
    assert.equal(decision.decision, 'allow');
    assert.equal(decision.decided_by, 'user');
    await agentWhen(sup.fleet, agentId, (a) => a.status === 'working');
    assert.deepEqual(agent.invalid, []);
  });

  it('delivers a policy deny with its reason, echoing the agent_id', async () => {
    const pending = nextAdded();
    agent.send(request('ap_2', { agent_id: agentId }));
    sup.approvals.decide((await pending).id, 'deny', 'policy', 'Pushing is reserved for the release manager');
    const decision = await agent.next<ApprovalDecisionFrame>(isDecision);
    assert.equal(decision.decision, 'deny');
    assert.equal(decision.decided_by, 'policy');
    assert.equal(decision.reason, 'Pushing is reserved for the release manager');
    assert.equal(decision.agent_id, agentId);
  });

  it("answers 'ask' (never allow) when nobody decides in time", async () => {
    sup.timings = { escalateAfterMs: 20, timeoutMs: 40 };
    agent.send(request('ap_3'));
    const decision = await agent.next<ApprovalDecisionFrame>(isDecision);
    assert.equal(decision.decision, 'ask');
    // 'timeout' once the contract's ask says who gave up (requested of P1); the core's ask carries only a reason now.
    assert.ok(decision.decided_by === 'timeout' || decision.decided_by === 'policy', decision.decided_by);
    assert.match(decision.reason ?? '', /no decision within/);
  });

  it('refuses a request_id that is already waiting, and keeps the first request', async () => {
    const pending = nextAdded();
    agent.send(request('ap_4'));
    const first = await pending;
    const seq = agent.send(request('ap_4', { summary: 'again' }));
    const error = await agent.next<ErrorFrame>((f) => f.type === 'error');
    assert.equal(error.field, 'approval_request.request_id');
    assert.equal(error.ref_seq, seq);
    assert.equal(sup.approvals.pending().length, 1);
    assert.equal(sup.approvals.get(first.id)?.summary, 'Push the release branch');
  });

  it('makes a waiting request stale and the agent disconnected when the socket closes first', async () => {
    const pending = nextAdded();
    agent.send(request('ap_5'));
    const queued = await pending;
    const settled = nextSettled();
    const gone = connectionChange(sup, agentId, false);

    await agent.close(1001, 'runner restarting');
    const { request: req, resolution } = await settled;
    assert.equal(req.id, queued.id);
    assert.deepEqual(resolution, { kind: 'fallback', why: 'stale', reason: 'the agent stopped waiting' });
    assert.equal(sup.approvals.pending().length, 0);
    await gone;
    const snapshot = await agentWhen(sup.fleet, agentId, (a) => a.status === 'disconnected');
    assert.equal(snapshot.statusReason, 'the agent closed the connection: runner restarting');
    assert.deepEqual(sup.approvals.decide(queued.id, 'allow', 'user').ok, false, 'a late click cannot allow it');
  });
});

describe('approval decision mapping', () => {
  const frame: ApprovalRequestFrame = { type: 'approval_request', seq: 4, request_id: 'r', tool: 'Bash', input: { command: 'ls  -la\n' } };

  const timedOut = { decision: 'ask', reason: 'no decision within 60 s', by: 'timeout' } as Verdict;
  const cases: Array<[string, Verdict, Partial<ApprovalDecisionFrame>]> = [
    ['user allow', { decision: 'allow', by: 'user' }, { decision: 'allow', decided_by: 'user' }],
    ['policy allow', { decision: 'allow', by: 'policy', reason: 'Allowed by Flotilla policy (autonomous)' }, { decision: 'allow', decided_by: 'policy' }],
    ['supervisor deny counts as policy', { decision: 'deny', by: 'supervisor', reason: 'budget' }, { decision: 'deny', decided_by: 'policy', reason: 'budget' }],
    ['a deny on timeout says so', { decision: 'deny', by: 'timeout', reason: 'no decision' }, { decision: 'deny', decided_by: 'timeout' }],
    ['timeout falls back to ask', timedOut, { decision: 'ask', decided_by: 'timeout' }],
    ['any other ask is the policy not deciding', { decision: 'ask', reason: 'Flotilla is shutting down' }, { decision: 'ask', decided_by: 'policy', reason: 'Flotilla is shutting down' }],
  ];
  for (const [name, verdict, expected] of cases) {
    it(name, () => {
      const out = decisionFrame(frame, verdict);
      for (const [key, value] of Object.entries(expected)) assert.equal(out[key as keyof typeof out], value, key);
      assert.equal(out.request_id, 'r');
      assert.equal('agent_id' in out, false);
    });
  }

  it('summarizes a request without summary from its tool and telling input', () => {
    assert.equal(approvalSummary(frame), 'Bash: ls -la');
    assert.equal(approvalSummary({ ...frame, tool: 'Write', input: { file_path: '/a/b.ts', content: 'x' } }), 'Write: /a/b.ts');
    assert.equal(approvalSummary({ ...frame, tool: 'Fetch', input: [1, 2] }), 'Fetch: [1,2]');
    assert.equal(approvalSummary({ ...frame, summary: '  Push it  ' }), 'Push it');
    assert.ok(approvalSummary({ ...frame, input: { command: 'x'.repeat(5000) } }).length <= 200);
  });
});
