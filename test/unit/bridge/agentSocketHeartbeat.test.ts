// Heartbeats, spans and stalls of a remote agent as the fleet sees them, over a real socket; plus the pure
// heartbeat mapping table.
import assert from 'node:assert/strict';
import { heartbeatEffect, heartbeatReason } from '../../../src/core/bridge/agentSocketHeartbeat';
import type { AgentStatus } from '../../../src/shared/status';
import type { HeartbeatFrame } from '../../../src/shared/protocol/heartbeat';
import { agentWhen, startSupervisor, TestAgent } from './agentSocketKit';
import type { Supervisor } from './agentSocketKit';

const hb = (extra: Partial<HeartbeatFrame> = {}): HeartbeatFrame => ({ type: 'heartbeat', seq: 1, elapsed_ms: 10, ...extra });

describe('heartbeat mapping', () => {
  const cases: Array<[string, Partial<HeartbeatFrame>, AgentStatus, boolean, string | undefined]> = [
    ['working -> activity', { status: 'working' }, 'idle', false, 'activity'],
    ['idle -> turnEnded', { status: 'idle' }, 'working', false, 'turnEnded'],
    ['waiting-input -> inputRequested', { status: 'waiting-input' }, 'working', false, 'inputRequested'],
    ['done -> completed', { status: 'done' }, 'working', false, 'completed'],
    ['failed -> errored', { status: 'failed' }, 'working', false, 'errored'],
    ['a timer tick keeps the status', {}, 'idle', false, undefined],
    ['a timer tick ends a detected stall', {}, 'stalled', false, 'activity'],
    ['an agent cannot quarantine itself', { status: 'quarantined' }, 'working', false, undefined],
    ['an agent cannot say it is disconnected', { status: 'disconnected' }, 'working', false, undefined],
    ['a pending approval outranks the timer', { status: 'working' }, 'waiting-approval', true, undefined],
    ['a reported end outranks a pending approval', { status: 'failed' }, 'waiting-approval', true, 'errored'],
  ];
  for (const [name, frame, current, pending, event] of cases) {
    it(name, () => assert.equal(heartbeatEffect(hb(frame), current, pending).event, event));
  }

  it('writes the step as k/n label and lists blockers', () => {
    assert.equal(heartbeatReason(hb({ step: { k: 3, n: 7, label: 'running the test suite' } })), '3/7 running the test suite');
    assert.equal(heartbeatReason(hb({ step: { k: 2 } })), 'step 2');
    assert.equal(heartbeatReason(hb({ blockers: ['CI is red', 'waiting for review'] })), 'blocked: CI is red; waiting for review');
    assert.equal(heartbeatReason(hb({ step: { k: 1, n: 2, label: 'x' }, blockers: ['y'] })), '1/2 x · blocked: y');
    assert.equal(heartbeatReason(hb({ blockers: [] })), undefined);
  });
});

describe('agent socket heartbeats, spans and stalls', () => {
  let sup: Supervisor;
  let agent: TestAgent;
  let agentId: string;
  const priced: string[] = [];

  async function connect(options: Parameters<typeof startSupervisor>[0] = {}): Promise<void> {
    sup = await startSupervisor(options);
    const { agent: remote, token } = sup.addAgent('runner');
    agentId = remote.id;
    agent = (await TestAgent.hello(sup.url, agentId, token)).agent;
  }

  /** Sends a frame and resolves once the supervisor acked it, i.e. processed it. */
  async function processed(frame: Record<string, unknown>): Promise<void> {
    await agent.acked(agent.send(frame));
  }

  afterEach(async () => {
    priced.length = 0;
    await agent.close();
    await sup.dispose();
  });

  describe('with a long stall timeout', () => {
    beforeEach(() =>
      connect({
        priceUsage: (model, usage) => {
          priced.push(model);
          return model === 'priced-model' ? usage.input / 1000 : undefined;
        },
      }),
    );

    it('shows the step and blockers of a heartbeat and moves the status', async () => {
      await processed({ type: 'heartbeat', elapsed_ms: 84210, step: { k: 3, n: 7, label: 'running the test suite' }, blockers: ['CI is red'], status: 'working' });
      let snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'working');
      assert.equal(snapshot.statusReason, '3/7 running the test suite · blocked: CI is red');

      await processed({ type: 'heartbeat', elapsed_ms: 90000 });
      snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'working', 'a bare heartbeat keeps the status');
      assert.equal(snapshot.statusReason, undefined, 'and clears what no longer holds');

      await processed({ type: 'heartbeat', elapsed_ms: 95000, status: 'idle' });
      assert.equal(sup.fleet.get(agentId)!.status, 'idle');
    });

    it('keeps waiting-approval and its reason while a request waits, whatever the heartbeat timer says', async () => {
      await processed({ type: 'approval_request', request_id: 'r1', tool: 'Bash', input: { command: 'rm -rf build' } });
      await processed({ type: 'heartbeat', elapsed_ms: 1, status: 'working', step: { k: 1, label: 'waiting' } });
      const snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'waiting-approval');
      assert.equal(snapshot.statusReason, 'waiting for approval: Bash: rm -rf build');
    });

    it('leaves a quarantined agent and its reason alone', async () => {
      sup.fleet.apply(agentId, 'quarantined', { statusReason: 'looping on the same edit' });
      await processed({ type: 'heartbeat', elapsed_ms: 1, status: 'working', step: { k: 1, label: 'still here' } });
      const snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'quarantined');
      assert.equal(snapshot.statusReason, 'looping on the same edit');
    });

    it('adds the usage of an ended span once, and hands every span to onSpan', async () => {
      const span = { type: 'span', span_id: 'sp1', kind: 'model', name: 'plan', started_at: 1000, model: 'claude-sonnet-4-5', tokens_in: 1200, tokens_out: 80, cache_read_tokens: 900, cost_usd: 0.002 };
      await processed({ ...span, status: 'running' });
      assert.equal(sup.fleet.get(agentId)!.usage.input, 0, 'a running span is not counted yet');
      await processed({ ...span, status: 'ok', ended_at: 2000 });
      await processed({ ...span, status: 'ok', ended_at: 2000 });

      const snapshot = sup.fleet.get(agentId)!;
      assert.deepEqual(snapshot.usage, { input: 1200, output: 80, cacheRead: 900, cacheWrite: 0 });
      assert.deepEqual(snapshot.usageByModel['claude-sonnet-4-5'], snapshot.usage);
      assert.equal(snapshot.costUsd, 0.002);
      assert.equal(snapshot.model, 'claude-sonnet-4-5');
      assert.deepEqual(snapshot.unpricedModels, []);
      assert.deepEqual(priced, [], 'a span with its own cost is not priced again');
      assert.deepEqual(
        sup.spans.map((s) => [s.agentId, s.span.status]),
        [[agentId, 'running'], [agentId, 'ok'], [agentId, 'ok']],
      );
    });

    it('prices a span without cost through priceUsage, and reports a model it cannot price', async () => {
      await processed({ type: 'span', span_id: 'a', kind: 'model', name: 't', status: 'ok', duration_ms: 5, model: 'priced-model', tokens_in: 500 });
      await processed({ type: 'span', span_id: 'b', kind: 'model', name: 't', status: 'ok', duration_ms: 5, model: 'mystery-model', tokens_in: 100, tokens_out: 7 });
      const snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.costUsd, 0.5);
      assert.deepEqual(snapshot.unpricedModels, ['mystery-model']);
      assert.equal(snapshot.usage.input, 600);
      assert.equal(snapshot.model, 'mystery-model', 'the latest span names the current model');
      assert.deepEqual(priced, ['priced-model', 'mystery-model']);
    });

    it('shows a running tool span as the current tool until it ends', async () => {
      await processed({ type: 'span', span_id: 't1', kind: 'tool', name: 'Bash', status: 'running', started_at: 5000, message: 'npm test' });
      assert.deepEqual(sup.fleet.get(agentId)!.currentTool, { name: 'Bash', summary: 'npm test', since: 5000 });
      await processed({ type: 'span', span_id: 't1', kind: 'tool', name: 'Bash', status: 'ok', started_at: 5000, ended_at: 6000 });
      assert.equal(sup.fleet.get(agentId)!.currentTool, undefined);
    });
  });

  describe('with a short stall timeout', () => {
    beforeEach(() => connect({ heartbeatTimeoutMs: 60 }));

    it('marks a silent agent stalled with a reason, and a heartbeat brings it back', async () => {
      const stalled = await agentWhen(sup.fleet, agentId, (a) => a.status === 'stalled');
      assert.equal(stalled.statusReason, 'no heartbeat for 0.1 s');
      assert.equal(sup.server.isConnected(agentId), true, 'a stall does not drop the connection');

      const back = agentWhen(sup.fleet, agentId, (a) => a.status === 'working');
      agent.send({ type: 'heartbeat', elapsed_ms: 100, step: { k: 2, n: 3, label: 'back' } });
      assert.equal((await back).statusReason, '2/3 back');
    });
  });
});
