// Heartbeats, spans and stalls of a remote agent as the fleet sees them, over a real socket; plus the pure
// heartbeat mapping table.
import assert from 'node:assert/strict';
import { heartbeatDetail, heartbeatFacts } from '../../../src/adapters/remote/heartbeatFacts';
import { CountedSpans, spanFacts } from '../../../src/adapters/remote/spanFacts';
import { FrameSink } from '../../../src/runner/frameSink';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { AgentStatus } from '../../../src/shared/status';
import type { HeartbeatFrame } from '../../../src/shared/protocol/heartbeat';
import type { SpanFrame } from '../../../src/shared/protocol/span';
import { agentWhen, startSupervisor, TestAgent } from './remoteKit';
import type { Supervisor } from './remoteKit';

const hb = (extra: Partial<HeartbeatFrame> = {}): HeartbeatFrame => ({ type: 'heartbeat', seq: 1, elapsed_ms: 10, ...extra });
const describeFact = (f: AgentSignal): string =>
  f.type === 'turn' || f.type === 'session' || f.type === 'connection' || f.type === 'tool' ? `${f.type} ${f.phase}` : f.type === 'waiting' ? `waiting ${f.for}` : f.type;

describe('heartbeat facts', () => {
  const cases: Array<[string, Partial<HeartbeatFrame>, AgentStatus | undefined, boolean, string]> = [
    ['working -> turn started', { status: 'working' }, 'idle', false, 'turn started'],
    ['idle -> turn ended', { status: 'idle' }, 'working', false, 'turn ended'],
    ['waiting-input -> waiting input', { status: 'waiting-input' }, 'working', false, 'waiting input'],
    ['waiting-approval -> waiting approval (its own prompt)', { status: 'waiting-approval' }, 'working', false, 'waiting approval'],
    ['done -> session ended', { status: 'done' }, 'working', false, 'session ended'],
    ['stopped -> session ended', { status: 'stopped' }, undefined, false, 'session ended'],
    ['failed -> turn failed', { status: 'failed' }, 'working', false, 'turn failed'],
    ['the first status of a connection is news', { status: 'working' }, undefined, false, 'turn started'],
    ['a repeated status is a sign of life, not a new turn', { status: 'working' }, 'working', false, 'activity'],
    ['a timer tick is a sign of life', {}, 'idle', false, 'activity'],
    ['an agent cannot quarantine itself', { status: 'quarantined' }, 'working', false, 'activity'],
    ['an agent cannot say it is disconnected', { status: 'disconnected' }, 'working', false, 'activity'],
    ['a pending approval outranks the timer', { status: 'working' }, 'idle', true, 'activity'],
    ['a reported end outranks a pending approval', { status: 'failed' }, 'working', true, 'turn failed'],
  ];
  for (const [name, frame, last, pending, fact] of cases) {
    it(name, () => assert.deepEqual(heartbeatFacts(hb(frame), last, pending).map(describeFact), [fact]));
  }

  it('a reported stop says so on the fact (the row reads stopped); done does not', () => {
    assert.deepEqual(heartbeatFacts(hb({ status: 'stopped' }), 'working', false), [{ type: 'session', phase: 'ended', stopped: true, detail: 'the agent reports it stopped' }]);
    assert.deepEqual(heartbeatFacts(hb({ status: 'done' }), 'working', false), [{ type: 'session', phase: 'ended', detail: 'the agent reports its work done' }]);
  });

  it('carries the step and blockers as the detail, except while an approval waits', () => {
    const frame = hb({ status: 'working', step: { k: 3, n: 7, label: 'tests' } });
    assert.deepEqual(heartbeatFacts(frame, 'idle', false), [{ type: 'turn', phase: 'started', detail: '3/7 tests' }]);
    assert.deepEqual(heartbeatFacts(frame, 'working', false), [{ type: 'activity', detail: '3/7 tests' }]);
    assert.deepEqual(heartbeatFacts(frame, 'idle', true), [{ type: 'activity' }]);
    assert.deepEqual(heartbeatFacts(hb({ status: 'stalled' }), 'working', false), [{ type: 'activity', detail: 'the agent reports it is stalled' }]);
  });

  it('writes the step as k/n label and lists blockers', () => {
    assert.equal(heartbeatDetail(hb({ step: { k: 3, n: 7, label: 'running the test suite' } })), '3/7 running the test suite');
    assert.equal(heartbeatDetail(hb({ step: { k: 2 } })), 'step 2');
    assert.equal(heartbeatDetail(hb({ blockers: ['CI is red', 'waiting for review'] })), 'blocked: CI is red; waiting for review');
    assert.equal(heartbeatDetail(hb({ step: { k: 1, n: 2, label: 'x' }, blockers: ['y'] })), '1/2 x · blocked: y');
    assert.equal(heartbeatDetail(hb({ blockers: [] })), undefined);
  });
});

describe('span facts', () => {
  const span = (extra: Partial<SpanFrame>): SpanFrame => ({ type: 'span', seq: 1, span_id: 'sp1', kind: 'tool', name: 'Bash', status: 'running', started_at: 1, ...extra });

  it('reports a tool span as started, then ended once, with the span id as the tool call id', () => {
    const counted = new CountedSpans();
    const started = spanFacts(span({ message: 'npm test' }), counted, 'm');
    assert.deepEqual(started, [{ type: 'tool', phase: 'started', action: { tool: 'Bash', input: {}, summary: 'npm test', toolUseId: 'sp1' } }]);
    assert.deepEqual(spanFacts(span({ status: 'ok' }), counted, 'm').map(describeFact), ['tool ended']);
    assert.deepEqual(spanFacts(span({ status: 'ok' }), counted, 'm'), [], 'a resent end reports nothing');
    const failed = spanFacts(span({ span_id: 'sp2', status: 'error', message: 'exit 1' }), counted, 'm');
    assert.deepEqual(failed.map(describeFact), ['tool failed']);
    assert.equal(failed[0]?.type === 'tool' && failed[0].detail, 'exit 1');
  });

  it('reports the usage of an ended span once, with its cost only when the agent sent one', () => {
    const counted = new CountedSpans();
    const model = span({ kind: 'model', name: 'plan', status: 'running', model: 'm1', tokens_in: 5 });
    assert.deepEqual(spanFacts(model, counted, 'x'), [], 'a running span counts nothing');
    const ended = spanFacts({ ...model, status: 'ok', tokens_out: 2, cache_read_tokens: 3 }, counted, 'x');
    assert.deepEqual(ended, [{ type: 'usage', model: 'm1', delta: { input: 5, output: 2, cacheRead: 3, cacheWrite: 0 }, requestId: 'sp1' }]);
    const priced = spanFacts(span({ span_id: 'sp3', kind: 'model', name: 'n', status: 'ok', tokens_in: 1, cost_usd: 0.5 }), counted, 'last-model');
    assert.deepEqual(priced, [{ type: 'usage', model: 'last-model', delta: { input: 1, output: 0, cacheRead: 0, cacheWrite: 0 }, requestId: 'sp3', costUsd: 0.5 }]);
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

    it('moves the status as the heartbeat reports it, and a bare heartbeat keeps it', async () => {
      assert.equal(sup.fleet.get(agentId)!.status, 'idle', 'connected, no turn yet');
      await processed({ type: 'heartbeat', elapsed_ms: 84210, step: { k: 3, n: 7, label: 'running the test suite' }, blockers: ['CI is red'], status: 'working' });
      assert.equal(sup.fleet.get(agentId)!.status, 'working');

      await processed({ type: 'heartbeat', elapsed_ms: 90000 });
      assert.equal(sup.fleet.get(agentId)!.status, 'working', 'a bare heartbeat keeps the status');

      await processed({ type: 'heartbeat', elapsed_ms: 95000, status: 'idle' });
      assert.equal(sup.fleet.get(agentId)!.status, 'idle');
    });

    it("a runner agent at the quota wall: the frames the runner's sink makes show paused — quota until its reset; a new turn clears it", async () => {
      const resetsAt = Date.now() + 3_600_000;
      const message = "You've hit your session limit · resets 1:04pm (Europe/Berlin)";
      await processed({ type: 'heartbeat', elapsed_ms: 1, status: 'working' });
      const frames = new FrameSink(() => undefined, () => undefined).framesOf({ type: 'turn', phase: 'failed', detail: message, quota: { resetsAt } });
      for (const frame of frames) await processed(frame as Record<string, unknown>);
      const paused = sup.fleet.get(agentId)!;
      assert.equal(paused.status, 'idle', 'the turn ended; the agent did not fail');
      assert.deepEqual({ until: paused.quotaPause?.until, reason: paused.quotaPause?.reason }, { until: resetsAt, reason: message });
      await processed({ type: 'heartbeat', elapsed_ms: 2, status: 'idle' });
      assert.equal(sup.fleet.get(agentId)!.quotaPause?.until, resetsAt, 'the timer repeating idle keeps the pause');
      // Without a reset time: paused, the reset unknown.
      await processed({ type: 'heartbeat', elapsed_ms: 3, status: 'working' });
      assert.equal(sup.fleet.get(agentId)!.quotaPause, undefined, 'a new turn clears it');
      for (const frame of new FrameSink(() => undefined, () => undefined).framesOf({ type: 'turn', phase: 'failed', detail: '429', quota: {} })) await processed(frame as Record<string, unknown>);
      assert.deepEqual([sup.fleet.get(agentId)!.status, sup.fleet.get(agentId)!.quotaPause?.until, sup.fleet.get(agentId)!.quotaPause?.reason], ['idle', undefined, '429']);
    });

    it('keeps waiting-approval and its reason while a request waits, whatever the heartbeat timer says', async () => {
      await processed({ type: 'approval_request', request_id: 'r1', tool: 'Bash', input: { command: 'rm -rf build' } });
      await processed({ type: 'heartbeat', elapsed_ms: 1, status: 'working', step: { k: 1, label: 'waiting' } });
      const snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'waiting-approval');
      assert.equal(snapshot.waitingFor, 'approval');
      assert.equal(snapshot.currentTool?.summary, 'Bash: rm -rf build');
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
      const tool = sup.fleet.get(agentId)!.currentTool;
      assert.equal(tool?.name, 'Bash');
      assert.equal(tool?.summary, 'npm test');
      await processed({ type: 'span', span_id: 't1', kind: 'tool', name: 'Bash', status: 'ok', started_at: 5000, ended_at: 6000 });
      assert.equal(sup.fleet.get(agentId)!.currentTool, undefined);
    });
  });

  describe('with a short stall timeout', () => {
    beforeEach(() => connect({ heartbeatTimeoutMs: 60 }));

    it('marks a silent agent stalled with a reason, and a heartbeat brings it back', async () => {
      await processed({ type: 'heartbeat', elapsed_ms: 1, status: 'working' });
      const stalled = await agentWhen(sup.fleet, agentId, (a) => a.status === 'stalled');
      assert.match(stalled.statusReason ?? '', /^no sign of activity for /);
      assert.equal(sup.server.isConnected(agentId), true, 'a stall does not drop the connection');

      const back = agentWhen(sup.fleet, agentId, (a) => a.status === 'working');
      agent.send({ type: 'heartbeat', elapsed_ms: 100, step: { k: 2, n: 3, label: 'back' } });
      await back;
    });
  });
});
