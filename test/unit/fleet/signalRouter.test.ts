// Facts -> statuses through the real router, fleet, approval queue and gate chain: every fact kind, the details
// it carries, refused facts that write nothing, active time, approvals that never default to allow.
import assert from 'node:assert/strict';
import type { AgentSignal, ToolAction } from '../../../src/core/agents/agentSignal';
import { ActionApprover } from '../../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { gateChain } from '../../../src/core/approvals/gateChain';
import type { ActionGate } from '../../../src/core/approvals/gateChain';
import { Fleet } from '../../../src/core/fleet/fleet';
import { SignalRouter } from '../../../src/core/fleet/signalRouter';
import { FakeClock } from '../../kit/fakeClock';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';

const action: ToolAction = { tool: 'Bash', input: { command: 'npm test' }, summary: 'Bash: npm test', sessionId: 's1' };

describe('SignalRouter', () => {
  let clock: FakeClock;
  let fleet: Fleet;
  let queue: ApprovalQueue;
  let router: SignalRouter;
  let log: ReturnType<typeof memoryLogger>;
  let gates: ActionGate[];
  let id: string;
  const send = (...signals: AgentSignal[]) => signals.forEach((s) => router.signal(id, s));
  const agent = () => fleet.get(id)!;

  beforeEach(() => {
    clock = new FakeClock();
    log = memoryLogger();
    fleet = new Fleet(new MemoryPersistence(), log, () => clock.now());
    queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }), () => clock.now());
    gates = [];
    router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([(c) => gateChain(gates)(c)]), queue, log), log, clock, price: (m, u) => (m === 'priced' ? u.input / 1000 : undefined) });
    id = fleet.create({ name: 'a', kind: 'claude-code', cwd: '/r' }).agent.id;
  });
  afterEach(() => queue.dispose());

  it('a session: started (session id, transcript), turn, tool with timeout, turn ended -> idle, lastTurn ended', () => {
    send({ type: 'session', phase: 'started', sessionId: 's1', transcriptPath: '/t/s1.jsonl' });
    assert.deepEqual([agent().status, agent().sessionId, agent().transcriptPaths], ['idle', 's1', ['/t/s1.jsonl']]);
    send({ type: 'turn', phase: 'started' }, { type: 'tool', phase: 'started', action, timeoutMs: 120_000 });
    assert.equal(agent().status, 'working');
    assert.deepEqual(agent().currentTool, { name: 'Bash', summary: 'Bash: npm test', since: clock.now(), timeoutMs: 120_000 });
    send({ type: 'tool', phase: 'ended', action });
    assert.equal(agent().currentTool, undefined);
    send({ type: 'turn', phase: 'ended' });
    assert.deepEqual([agent().status, agent().lastTurn], ['idle', 'ended']);
    send({ type: 'session', phase: 'ended', detail: 'logout' });
    assert.deepEqual([agent().status, agent().statusReason], ['done', 'logout']);
  });

  it('a session that ended because someone stopped the agent where it runs reads stopped, not done', () => {
    send({ type: 'session', phase: 'started', sessionId: 's1' }, { type: 'turn', phase: 'started' });
    send({ type: 'session', phase: 'ended', stopped: true, detail: 'the agent reports it stopped' });
    assert.deepEqual([agent().status, agent().statusReason], ['stopped', 'the agent reports it stopped']);
  });

  it('denies a stopped agent\'s tool call without asking anyone', async () => {
    fleet.apply(id, 'launched');
    fleet.apply(id, 'stopRequested');
    const verdict = await router.approve(id, action, new AbortController().signal, { whenNoGateDecides: 'human' });
    assert.equal(verdict.decision, 'deny');
    assert.match(verdict.reason ?? '', /stopped from Flotilla/);
    assert.equal(queue.pending().length, 0);
  });

  it('tells adapters whether a budget binds an agent: as the core says, and yes when it cannot say', () => {
    assert.equal(router.budgetBinds(id), true, 'no budget check wired: assume a budget binds');
    const bound = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, log), log, clock, budgetBinds: (a) => a.budget !== undefined });
    assert.equal(bound.budgetBinds(id), false);
    fleet.update(id, { budget: { usd: 1 } });
    assert.equal(bound.budgetBinds(id), true);
    const broken = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, log), log, clock, budgetBinds: () => { throw new Error('boom'); } });
    assert.equal(broken.budgetBinds(id), true);
    assert.equal(bound.budgetBinds('nobody'), true);
  });

  it('interrupted and failed turns end the turn with the reason; waiting for input, approval, terminal, connection', () => {
    send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'interrupted' });
    assert.deepEqual([agent().status, agent().lastTurn, agent().statusReason], ['idle', 'interrupted', 'interrupted by the user']);
    send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'failed', detail: '429' });
    assert.deepEqual([agent().status, agent().lastTurn, agent().statusReason], ['idle', 'failed', '429']);
    send({ type: 'waiting', for: 'input', detail: 'Which branch?' });
    assert.deepEqual([agent().status, agent().waitingFor], ['waiting-input', 'input']);
    send({ type: 'turn', phase: 'started' }, { type: 'waiting', for: 'terminal', detail: 'trust dialog' });
    assert.deepEqual([agent().status, agent().waitingFor, agent().statusReason], ['waiting-input', 'terminal', 'trust dialog']);
    send({ type: 'session', phase: 'started', sessionId: 's2' });
    assert.deepEqual([agent().status, agent().waitingFor], ['idle', undefined], 'past the dialog, the session starts');
    send({ type: 'waiting', for: 'approval', detail: 'its own dialog' });
    assert.deepEqual([agent().status, agent().waitingFor], ['waiting-approval', 'approval']);
    send({ type: 'waiting', for: 'connection' });
    assert.equal(agent().waitingFor, 'approval', 'connection is for agents that have not started');
    const remote = fleet.create({ name: 'r', kind: 'remote', cwd: '' }).agent.id;
    router.signal(remote, { type: 'waiting', for: 'connection', detail: 'no hello yet' });
    assert.deepEqual([fleet.get(remote)!.status, fleet.get(remote)!.waitingFor], ['starting', 'connection']);
    router.signal(remote, { type: 'connection', phase: 'connected' });
    assert.deepEqual([fleet.get(remote)!.status, fleet.get(remote)!.waitingFor], ['idle', undefined]);
    router.signal(remote, { type: 'connection', phase: 'lost', detail: 'socket closed' });
    assert.equal(fleet.get(remote)!.status, 'disconnected');
  });

  it('process exit: 0 done, non-zero failed with the code, unknown code disconnected', () => {
    send({ type: 'process', phase: 'exited', exitCode: 2 });
    assert.deepEqual([agent().status, agent().exitCode, agent().statusReason], ['failed', 2, 'exited with code 2']);
    const b = fleet.create({ name: 'b', kind: 'custom', cwd: '/r' }).agent.id;
    router.signal(b, { type: 'process', phase: 'exited', exitCode: 0 });
    assert.equal(fleet.get(b)!.status, 'done');
    const c = fleet.create({ name: 'c', kind: 'custom', cwd: '/r' }).agent.id;
    router.signal(c, { type: 'process', phase: 'exited', detail: 'terminal gone' });
    assert.deepEqual([fleet.get(c)!.status, fleet.get(c)!.statusReason], ['disconnected', 'terminal gone']);
  });

  it('a refused fact writes nothing and is logged with the agent; the router never throws', () => {
    send({ type: 'process', phase: 'exited', exitCode: 0 });
    const before = agent();
    send({ type: 'tool', phase: 'started', action }, { type: 'waiting', for: 'input' }, { type: 'turn', phase: 'ended' });
    assert.deepEqual(agent(), before);
    assert.ok(log.lines.some((l) => l.startsWith('info: agent a:') && l.includes('not allowed while the agent is done')));
    assert.doesNotThrow(() => router.signal('nobody', { type: 'turn', phase: 'started' }));
    assert.doesNotThrow(() => router.signal(id, { type: 'bogus' } as unknown as AgentSignal));
  });

  it('usage adds deltas per model, priced per request when the adapter gives no price; unknown models listed', () => {
    send({ type: 'usage', model: 'priced', delta: { input: 1000, output: 1, cacheRead: 0, cacheWrite: 0 } });
    send({ type: 'usage', model: 'priced', delta: { input: 500, output: 1, cacheRead: 2, cacheWrite: 3 } });
    send({ type: 'usage', model: 'mystery', delta: { input: 7, output: 0, cacheRead: 0, cacheWrite: 0 } });
    send({ type: 'usage', model: 'reported', delta: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }, costUsd: 0.25 });
    const a = agent();
    assert.deepEqual(a.usageByModel.priced, { input: 1500, output: 2, cacheRead: 2, cacheWrite: 3 });
    assert.deepEqual(a.usage, { input: 1508, output: 3, cacheRead: 2, cacheWrite: 3 });
    assert.equal(a.costUsd, 1.75);
    assert.deepEqual(a.unpricedModels, ['mystery']);
    assert.equal(a.model, 'reported');
  });

  it('active time accrues while working or waiting for approval, not while idle or waiting for input', () => {
    send({ type: 'turn', phase: 'started' });
    clock.advance(10_000);
    send({ type: 'waiting', for: 'approval' });
    clock.advance(5_000);
    send({ type: 'turn', phase: 'ended' });
    assert.deepEqual([agent().activeMs, agent().activeSince], [15_000, undefined]);
    clock.advance(60_000);
    send({ type: 'turn', phase: 'started' });
    assert.equal(agent().activeSince, clock.now());
    clock.advance(1_000);
    send({ type: 'waiting', for: 'input' });
    assert.equal(agent().activeMs, 16_000);
  });

  it('approvals: a gate allow or deny answers at once; no gate -> a human (agent waiting-approval) or the agent itself', async () => {
    send({ type: 'turn', phase: 'started' });
    const abort = new AbortController().signal;
    gates = [() => ({ kind: 'deny', tier: 'prohibited', reason: 'no' })];
    assert.deepEqual(await router.approve(id, action, abort), { decision: 'deny', by: 'policy', reason: 'no' });
    gates = [() => ({ kind: 'allow', tier: 'autonomous' })];
    assert.equal((await router.approve(id, action, abort)).decision, 'allow');
    gates = [];
    assert.equal((await router.approve(id, action, abort, { whenNoGateDecides: 'agent' })).decision, 'ask');
    const asked = router.approve(id, action, abort);
    assert.deepEqual([agent().status, agent().waitingFor, agent().currentTool?.summary], ['waiting-approval', 'approval', 'Bash: npm test']);
    assert.equal(queue.pending()[0]!.sessionId, 's1');
    queue.decide(queue.pending()[0]!.id, 'allow', 'user');
    assert.deepEqual(await asked, { decision: 'allow', by: 'user' });
    assert.equal(agent().status, 'working');
  });

  it('approvals never default to allow: timeout, a stale request, an unknown agent, a gate that throws', async () => {
    const abort = new AbortController();
    const pending = router.approve(id, action, abort.signal);
    abort.abort();
    assert.equal((await pending).decision, 'ask');
    const stale = router.approve(id, action, new AbortController().signal);
    send({ type: 'tool', phase: 'ended', action });
    assert.deepEqual(await stale, { decision: 'ask', reason: 'answered in the terminal', by: 'supervisor' });
    assert.equal((await router.approve('nobody', action, abort.signal)).decision, 'ask');
    gates = [() => {
      throw new Error('gate bug');
    }];
    const r = await router.approve(id, action, new AbortController().signal);
    assert.deepEqual([r.decision, r.decision === 'ask' && /gate bug/.test(r.reason)], ['ask', true]);
  });

  it('a tool call that ends makes only its own request stale: same id when both have one, else same tool name and session', async () => {
    const abort = new AbortController().signal;
    const withId = router.approve(id, { ...action, toolUseId: 'req-1' }, abort);
    const otherSession = router.approve(id, { ...action, sessionId: 's2' }, abort);
    send({ type: 'tool', phase: 'ended', action: { ...action, toolUseId: 'span-9' } });
    assert.equal(queue.pending().length, 2, 'another Bash call ending leaves both waiting');
    send({ type: 'tool', phase: 'failed', action: { ...action, toolUseId: 'req-1' } });
    assert.deepEqual(await withId, { decision: 'ask', reason: 'answered in the terminal', by: 'supervisor' });
    assert.equal(queue.pending().length, 1);
    send({ type: 'tool', phase: 'ended', action: { ...action, sessionId: 's2' } });
    assert.equal((await otherSession).decision, 'ask');
  });

  it("a request nobody answers in time is an 'ask' by timeout, and the detail of a turn or of activity is shown", async () => {
    const slow = new ApprovalQueue(() => ({ timeoutMs: 1, escalateAfterMs: 1 }));
    const r = new SignalRouter({ fleet, approvals: slow, approver: new ActionApprover(() => ({ kind: 'pass' }), slow, log), log, clock });
    const v = await r.approve(id, action, new AbortController().signal);
    assert.deepEqual([v.decision, v.decision === 'ask' ? v.by : undefined], ['ask', 'timeout']);
    slow.dispose();
    send({ type: 'turn', phase: 'started', detail: 'step 1/3' });
    assert.equal(agent().statusReason, 'step 1/3');
    send({ type: 'activity', detail: 'step 2/3 · blocked: CI is red' });
    assert.equal(agent().statusReason, 'step 2/3 · blocked: CI is red');
    send({ type: 'stalled', detail: 'waiting on a lock' });
    assert.deepEqual([agent().status, agent().statusReason], ['stalled', 'waiting on a lock']);
    send({ type: 'activity' });
    assert.equal(agent().status, 'working');
  });

  it('the gate chain: the strictest verdict wins whatever the order', () => {
    const allow: ActionGate = () => ({ kind: 'allow', tier: 'autonomous' });
    const approve: ActionGate = () => ({ kind: 'approve', tier: 'approve' });
    const deny: ActionGate = () => ({ kind: 'deny', tier: 'prohibited', reason: 'no' });
    const pass: ActionGate = () => ({ kind: 'pass' });
    const ctx = { agent: agent(), action, cwd: '/r' };
    assert.equal(gateChain([allow, approve])(ctx).kind, 'approve');
    assert.equal(gateChain([approve, allow])(ctx).kind, 'approve');
    assert.equal(gateChain([allow, deny, approve])(ctx).kind, 'deny');
    assert.equal(gateChain([pass, allow])(ctx).kind, 'allow');
    assert.equal(gateChain([])(ctx).kind, 'pass');
  });
});
