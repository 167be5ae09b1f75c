// The quota wall in the core: a failed turn marked as quota ends the turn in the status machine (turnEnded: idle,
// never failed) with a quotaPause the row reads ("paused — quota until 14:05", a day when it is another day,
// "(reset time unknown)"), "quota should have reset" once the time has passed, and a new turn or tool clears it.
// QuotaWatch says when an agent is paused and when its reset time has come (Resume is offered then).
import assert from 'node:assert/strict';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { ActionApprover } from '../../../src/core/approvals/actionApprover';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { gateChain } from '../../../src/core/approvals/gateChain';
import { Fleet } from '../../../src/core/fleet/fleet';
import { QuotaWatch } from '../../../src/core/fleet/quotaWatch';
import { SignalRouter } from '../../../src/core/fleet/signalRouter';
import { needsAttention, STATUS_TABLE, transition } from '../../../src/core/statusMachine';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AGENT_STATUSES } from '../../../src/shared/status';
import { agentLook, LOOKS } from '../../../src/vscode/agentStatusLook';
import { needsYou } from '../../../src/vscode/fleetStatusText';
import { quotaResetPassed, quotaRowText } from '../../../src/vscode/quotaText';
import { FakeClock } from '../../kit/fakeClock';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';

const MESSAGE = "You've hit your session limit · resets 2:05pm (Europe/Berlin)";
// 30 Nov 2026 10:00 in Berlin; the reset at 14:05 Berlin.
const START = Date.UTC(2026, 10, 30, 9, 0);
const RESET = Date.UTC(2026, 10, 30, 13, 5);

describe('the quota wall in the status machine', () => {
  it('a quota fact ends the turn (turnEnded: idle) in every live status; ended and quarantined agents refuse it', () => {
    for (const status of AGENT_STATUSES) {
      const r = transition(status, 'turnEnded');
      if (['done', 'failed', 'stopped', 'quarantined'].includes(status)) assert.equal(r.ok, false, status);
      else assert.deepEqual([r.ok, r.status], [true, 'idle'], status);
    }
    assert.equal(STATUS_TABLE.idle.promptSubmitted, 'working', 'a paused agent takes a prompt again');
    assert.equal(needsAttention('idle'), false, 'paused at the quota wall is not a failure that needs the user');
  });
});

describe('SignalRouter at the quota wall', () => {
  let clock: FakeClock;
  let fleet: Fleet;
  let queue: ApprovalQueue;
  let router: SignalRouter;
  let id: string;
  let zone: string | undefined;
  const send = (...signals: AgentSignal[]) => signals.forEach((s) => router.signal(id, s));
  const agent = (): AgentSnapshot => fleet.get(id)!;

  before(() => {
    zone = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
  });
  after(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  beforeEach(() => {
    clock = new FakeClock(START);
    const log = memoryLogger();
    fleet = new Fleet(new MemoryPersistence(), log, () => clock.now());
    queue = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 60_000 }), () => clock.now());
    router = new SignalRouter({ fleet, approvals: queue, approver: new ActionApprover(gateChain([]), queue, log), log, clock });
    id = fleet.create({ name: 'a', kind: 'claude-code', cwd: '/r' }).agent.id;
    send({ type: 'session', phase: 'started', sessionId: 's1' }, { type: 'turn', phase: 'started' });
  });
  afterEach(() => queue.dispose());

  it('paused — quota until 14:05, not failed; the reset passes; a new prompt clears the pause', () => {
    send({ type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: RESET } });
    assert.deepEqual([agent().status, agent().lastTurn, agent().statusReason], ['idle', 'failed', MESSAGE]);
    assert.deepEqual(agent().quotaPause, { since: START, until: RESET, reason: MESSAGE });
    assert.equal(agentLook(agent()), 'quota-paused');
    assert.equal(LOOKS['quota-paused'].label, 'paused — quota');
    assert.equal(quotaRowText(agent().quotaPause!, clock.now()), 'paused — quota until 14:05');
    assert.equal(needsYou(agent(), clock.now()), false, 'not counted as needing the user in the status bar while it waits');

    clock.advance(RESET - START - 1);
    assert.equal(quotaResetPassed(agent().quotaPause!, clock.now()), false);
    clock.advance(1);
    assert.equal(quotaRowText(agent().quotaPause!, clock.now()), 'quota should have reset at 14:05 — resume');
    assert.equal(needsYou(agent(), clock.now()), true, 'once the reset has come, it waits on the user to resume it');

    send({ type: 'turn', phase: 'started' });
    assert.deepEqual([agent().status, agent().quotaPause], ['working', undefined]);
    assert.equal(agentLook(agent()), 'working');
  });

  it('a reset on another day names the day; an unknown one says so; a plain failed turn is still "turn failed"', () => {
    const tomorrow = RESET + 27 * 3_600_000;
    send({ type: 'turn', phase: 'failed', detail: 'weekly', quota: { resetsAt: tomorrow } });
    assert.equal(quotaRowText(agent().quotaPause!, clock.now()), 'paused — quota until Dec 1 17:05');
    send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'failed', detail: 'API Error: Request rejected (429)', quota: {} });
    assert.deepEqual(agent().quotaPause, { since: START, reason: 'API Error: Request rejected (429)' });
    assert.equal(quotaRowText(agent().quotaPause!, clock.now()), 'paused — quota (reset time unknown)');
    send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'failed', detail: 'Invalid API key' });
    assert.deepEqual([agent().status, agent().quotaPause, agentLook(agent())], ['idle', undefined, 'turn-failed']);
  });

  it('a tool that starts (the agent retried by itself) clears the pause; an ended agent refuses the fact', () => {
    send({ type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: RESET } });
    send({ type: 'tool', phase: 'started', action: { tool: 'Bash', input: {}, summary: 'Bash: ls' } });
    assert.deepEqual([agent().status, agent().quotaPause], ['working', undefined]);
    send({ type: 'session', phase: 'ended', detail: 'other' }, { type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: RESET } });
    assert.deepEqual([agent().status, agent().quotaPause], ['done', undefined]);
  });

  it('QuotaWatch: says when an agent is paused and, at its reset time, that it can be resumed; a new prompt cancels', () => {
    const watch = new QuotaWatch(fleet, clock);
    const paused: string[] = [];
    const reset: string[] = [];
    watch.onDidPause((a) => paused.push(quotaRowText(a.quotaPause!, clock.now())));
    watch.onDidReset((a) => reset.push(a.name));
    send({ type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: RESET } });
    assert.deepEqual(paused, ['paused — quota until 14:05']);
    clock.advance(RESET - START - 1);
    assert.deepEqual(reset, []);
    clock.advance(1);
    assert.deepEqual(reset, ['a']);

    // Paused again, then the user types a prompt before the reset: no Resume offered.
    send({ type: 'turn', phase: 'started' });
    clock.advance(1000);
    send({ type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: clock.now() + 60_000 } });
    send({ type: 'turn', phase: 'started' });
    clock.advance(120_000);
    assert.deepEqual(reset, ['a']);
    assert.equal(clock.pending, 0);

    // Unknown reset: announced, no timer.
    send({ type: 'turn', phase: 'failed', detail: 'rate limited', quota: {} });
    assert.equal(paused.at(-1), 'paused — quota (reset time unknown)');
    assert.equal(clock.pending, 0);
    watch.dispose();
  });

  it('QuotaWatch after a reload: an agent found paused is not announced again; a reset already past is offered at once', () => {
    send({ type: 'turn', phase: 'failed', detail: MESSAGE, quota: { resetsAt: RESET } });
    clock.advance(RESET - START + 5_000);
    const watch = new QuotaWatch(fleet, clock);
    const seen: string[] = [];
    watch.onDidPause(() => seen.push('pause'));
    watch.onDidReset(() => seen.push('reset'));
    clock.advance(0);
    assert.deepEqual(seen, ['reset']);
    watch.dispose();
  });
});
