// Remote agents' span frames as trace spans, end to end: real frames over a real socket through the remote session,
// the core's signal router, and a TraceService on a real SQLite store. The frames' trace and parent ids are kept (a
// handoff from one agent to another stays in one trace, also the trace of a task the recorder opened), resends update
// one span, bare tool/model frames still get one span each (not two), and bad input is stored with its problem marked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { TraceService } from '../../../src/core/traces/traceService';
import { MAX_ATTRIBUTE_CHARS } from '../../../src/core/traces/spanRows';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { startSupervisor, TestAgent } from './remoteKit';
import type { Supervisor } from './remoteKit';

describe('remote span frames become trace spans', () => {
  let sup: Supervisor;
  let dir: string;
  let store: FleetStore;
  let traces: TraceService;
  const agents: TestAgent[] = [];

  async function connect(name: string): Promise<{ id: string; agent: TestAgent; send: (frame: Record<string, unknown>) => Promise<void> }> {
    const { agent: snapshot, token } = sup.addAgent(name);
    const { agent } = await TestAgent.hello(sup.url, snapshot.id, token);
    agents.push(agent);
    // Resolves once the supervisor acked the frame, i.e. processed it.
    return { id: snapshot.id, agent, send: async (frame) => void (await agent.acked(agent.send(frame))) };
  }

  const byName = (spans: readonly TraceSpan[], name: string): TraceSpan => {
    const found = spans.filter((s) => s.name === name);
    assert.equal(found.length, 1, `one span named ${name}: ${JSON.stringify(spans.map((s) => s.name))}`);
    return found[0]!;
  };

  beforeEach(async () => {
    sup = await startSupervisor({ priceUsage: (model, u) => (model === 'priced-model' ? u.input / 1000 : undefined) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-remote-spans-'));
    store = openStore(path.join(dir, 'fleet.db')).store;
    traces = new TraceService({ store, facts: sup.router, approvals: sup.approvals, log: sup.log, alive: () => true, agentName: (id) => sup.fleet.get(id)?.name, price: (model, u) => (model === 'priced-model' ? u.input / 1000 : undefined) });
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.close();
    traces.dispose();
    await sup.dispose();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the trace and parent ids, so a handoff from agent A to agent B is one trace', async () => {
    const a = await connect('planner');
    const b = await connect('coder');
    const t0 = 1_767_225_600_000;
    await a.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'a-task', kind: 'task', name: 'fix the login bug', status: 'running', started_at: t0 });
    await a.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'a-plan', parent_span_id: 'a-task', kind: 'model', name: 'plan', status: 'ok', started_at: t0 + 10, ended_at: t0 + 1010, model: 'priced-model', tokens_in: 2000, tokens_out: 40 });
    // A hands the work to B: B's spans carry A's trace id and hang under A's task.
    await b.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'b-run', parent_span_id: 'a-task', kind: 'agent', name: 'coder run', status: 'running', started_at: t0 + 1100 });
    await b.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'b-bash', parent_span_id: 'b-run', kind: 'tool', name: 'Bash', status: 'running', started_at: t0 + 1200, message: 'npm test', attrs: { exit_code: null, cwd: '/w' } });
    await b.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'b-bash', parent_span_id: 'b-run', kind: 'tool', name: 'Bash', status: 'error', started_at: t0 + 1200, ended_at: t0 + 3200, message: 'exit 1', attrs: { exit_code: 1 } });
    await b.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'b-run', parent_span_id: 'a-task', kind: 'agent', name: 'coder run', status: 'ok', started_at: t0 + 1100, ended_at: t0 + 3300 });
    await a.send({ type: 'span', trace_id: 'tr_handoff', span_id: 'a-task', kind: 'task', name: 'fix the login bug', status: 'ok', started_at: t0, ended_at: t0 + 4000 });

    const trace = traces.trace('tr_handoff');
    assert.deepEqual(
      trace.map((s) => [s.agentId, s.spanId, s.parentSpanId ?? null, s.kind, s.status, s.start, s.end]),
      [
        [a.id, 'a-task', null, 'task', 'ok', t0, t0 + 4000],
        [a.id, 'a-plan', 'a-task', 'model', 'ok', t0 + 10, t0 + 1010],
        [b.id, 'b-run', 'a-task', 'subagent', 'ok', t0 + 1100, t0 + 3300],
        [b.id, 'b-bash', 'b-run', 'tool', 'error', t0 + 1200, t0 + 3200],
      ],
    );
    assert.ok(trace.every((s) => s.problems === undefined), JSON.stringify(trace.map((s) => s.problems)));
    const plan = byName(trace, 'plan');
    assert.deepEqual(plan.tokens, { input: 2000, output: 40, cacheRead: 0, cacheWrite: 0 });
    assert.equal(plan.costUsd, 2, 'priced from its model');
    assert.equal(plan.model, 'priced-model');
    const bash = byName(trace, 'Bash');
    assert.equal(bash.attributes['remote.message'], 'exit 1');
    assert.equal(bash.attributes['remote.exit_code'], 1);
    assert.equal(bash.attributes['remote.cwd'], '/w');
    assert.equal(byName(trace, 'coder run').agentName, 'coder');
    // The tool and usage facts of these spans still move the status and the meter, without a second span.
    assert.equal(sup.fleet.get(a.id)!.usage.input, 2000);
    assert.equal(traces.spans(b.id).length, 2);
    assert.equal(traces.spans(a.id).length, 2);
  });

  it('puts a span naming the trace of another agent task (opened by the recorder) into that trace', async () => {
    const a = await connect('lead');
    const b = await connect('helper');
    await a.send({ type: 'heartbeat', elapsed_ms: 1, status: 'working', step: { k: 1, n: 2, label: 'delegate' } });
    const task = traces.spans(a.id).find((s) => s.kind === 'task')!;
    assert.equal(task.status, 'running');
    await b.send({ type: 'span', trace_id: task.traceId, parent_span_id: task.spanId, span_id: 'h1', kind: 'tool', name: 'Read', status: 'ok', duration_ms: 30, ended_at: task.start + 1030 });
    const trace = traces.trace(task.traceId);
    assert.deepEqual(trace.map((s) => [s.agentId, s.kind, s.parentSpanId ?? null]), [[a.id, 'task', null], [b.id, 'tool', task.spanId]]);
    assert.equal(byName(trace, 'Read').start, task.start + 1000, 'start from ended_at - duration_ms');
    assert.equal(trace[1]!.problems, undefined);
  });

  it('a bare tool or model span (as the runner sends) still makes one span, under the agent task', async () => {
    const a = await connect('runner');
    await a.send({ type: 'heartbeat', elapsed_ms: 1, status: 'working' });
    await a.send({ type: 'span', span_id: 'req_1', kind: 'model', name: 'model request', status: 'ok', started_at: 1000, duration_ms: 0, model: 'priced-model', tokens_in: 100 });
    await a.send({ type: 'span', span_id: 'toolu_1', kind: 'tool', name: 'Bash', status: 'running', started_at: 1001 });
    await a.send({ type: 'span', span_id: 'toolu_1', kind: 'tool', name: 'Bash', status: 'ok', started_at: 1001, ended_at: 1500 });
    const spans = traces.spans(a.id);
    assert.deepEqual(spans.map((s) => s.kind).sort(), ['model', 'task', 'tool']);
    const task = spans.find((s) => s.kind === 'task')!;
    assert.ok(spans.every((s) => s.traceId === task.traceId));
    assert.equal(spans.find((s) => s.kind === 'tool')!.parentSpanId, spans.find((s) => s.kind === 'model')!.spanId);
  });

  it('a reported span running across a Flotilla restart is ended by its frame, not interrupted, and its parent is found in the store', async () => {
    const a = await connect('long');
    const t0 = 1_767_225_600_000;
    await a.send({ type: 'heartbeat', elapsed_ms: 1, status: 'working' });
    await a.send({ type: 'span', trace_id: 'tr_long', span_id: 'root', kind: 'task', name: 'migrate', status: 'running', started_at: t0 });
    await a.send({ type: 'span', trace_id: 'tr_long', span_id: 'step', parent_span_id: 'root', kind: 'tool', name: 'Bash', status: 'running', started_at: t0 + 5 });
    // Flotilla restarts: a new TraceService on the same store recovers the running spans.
    traces.dispose();
    traces = new TraceService({ store, facts: sup.router, approvals: sup.approvals, log: sup.log, alive: () => true });
    const recovered = traces.trace('tr_long');
    assert.deepEqual(recovered.map((s) => s.status), ['running', 'running'], 'still running: the agent is alive');
    await a.send({ type: 'span', trace_id: 'tr_long', span_id: 'step', parent_span_id: 'root', kind: 'tool', name: 'Bash', status: 'ok', started_at: t0 + 5, ended_at: t0 + 50 });
    await a.send({ type: 'span', trace_id: 'tr_long', span_id: 'late', parent_span_id: 'root', kind: 'tool', name: 'Read', status: 'ok', started_at: t0 + 60, ended_at: t0 + 70 });
    await a.send({ type: 'heartbeat', elapsed_ms: 2, status: 'idle' });
    await a.send({ type: 'span', trace_id: 'tr_long', span_id: 'root', kind: 'task', name: 'migrate', status: 'ok', started_at: t0, ended_at: t0 + 100 });
    const trace = traces.trace('tr_long');
    assert.deepEqual(trace.map((s) => [s.spanId, s.status, s.end, s.problems ?? null]), [
      ['root', 'ok', t0 + 100, null],
      ['step', 'ok', t0 + 50, null],
      ['late', 'ok', t0 + 70, null],
    ]);
  });

  it('stores bad spans with the problem marked: a missing parent (cleared when it comes), a huge attribute, times that disagree, a span id two agents use', async () => {
    const a = await connect('odd');
    const b = await connect('other');
    const t0 = 1_767_225_600_000;
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'child', parent_span_id: 'ghost', kind: 'tool', name: 'Edit', status: 'ok', started_at: t0, ended_at: t0 + 5 });
    let child = byName(traces.trace('tr_bad'), 'Edit');
    assert.equal(child.parentSpanId, 'ghost');
    assert.deepEqual(child.problems, ['parent span ghost was not seen in trace tr_bad (not yet sent, or lost)']);
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'ghost', kind: 'task', name: 'late parent', status: 'ok', started_at: t0 - 10, ended_at: t0 + 10 });
    child = byName(traces.trace('tr_bad'), 'Edit');
    assert.equal(child.problems, undefined, 'the parent came: the problem is gone');

    const huge = 'x'.repeat(10_000);
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'big', parent_span_id: 'ghost', kind: 'log', name: 'log dump', status: 'ok', started_at: t0, duration_ms: 7, ended_at: t0 + 500, message: huge });
    const big = byName(traces.trace('tr_bad'), 'log dump');
    const message = String(big.attributes['remote.message']);
    assert.ok(message.length < MAX_ATTRIBUTE_CHARS + 100);
    assert.match(message, /… \[cut: \d+ more characters\]$/);
    assert.equal(big.problems?.length, 2, JSON.stringify(big.problems));
    assert.equal(big.problems[0], 'duration_ms 7 disagrees with ended_at - started_at (500 ms)');
    assert.match(big.problems[1]!, /^attribute remote\.message was cut \(\d+ characters\)$/);

    // The wire accepts these (docs/protocol.md): they are stored and marked, never refused or dropped.
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'backwards', parent_span_id: 'ghost', kind: 'tool', name: 'Grep', status: 'ok', started_at: t0 + 100, ended_at: t0 + 40 });
    const backwards = byName(traces.trace('tr_bad'), 'Grep');
    assert.deepEqual([backwards.start, backwards.end, backwards.status], [t0 + 100, t0 + 100, 'ok']);
    assert.deepEqual(backwards.problems, ['ended 60 ms before it started (end set to its start)']);
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'negative', parent_span_id: 'ghost', kind: 'model', name: 'plan', status: 'ok', started_at: t0 + 200, duration_ms: -50, model: 'm', tokens_in: 3 });
    const negative = byName(traces.trace('tr_bad'), 'plan');
    assert.deepEqual([negative.start, negative.end], [t0 + 200, t0 + 200]);
    assert.deepEqual(negative.problems, ['negative duration_ms -50 (taken as 0)']);
    assert.equal(a.agent.received.filter((f) => f.type === 'error').length, 0, 'no frame was refused');

    // Secrets in what the agent sent are redacted before storage, as for local agents.
    await a.send({ type: 'span', trace_id: 'tr_bad', span_id: 'secret', kind: 'log', name: 'curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123"', status: 'ok', started_at: t0, duration_ms: 1, attrs: { env: 'API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789' } });
    const secret = traces.trace('tr_bad').find((s) => s.spanId === 'secret')!;
    assert.doesNotMatch(JSON.stringify(secret), /abcdefghijklmnopqrstuvwxyz0123/);

    await b.send({ type: 'span', trace_id: 'tr_bad', span_id: 'child', kind: 'tool', name: 'Write', status: 'ok', started_at: t0, ended_at: t0 + 1 });
    const write = byName(traces.trace('tr_bad'), 'Write');
    assert.equal(write.spanId, `${b.id}:child`);
    assert.deepEqual(write.problems, [`span id child is already used by agent ${a.id} in this trace (stored as ${b.id}:child)`]);
    assert.equal(byName(traces.trace('tr_bad'), 'Edit').agentId, a.id, "the first agent's span is kept");
  });
});
