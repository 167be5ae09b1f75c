// Span assembly from scripted fact sequences into a real SQLite store: a turn with model requests and tools, a tool
// end that never comes, events out of order, subagents, approval waits from the real queue, a restart mid-turn,
// removed agents' history and retention, batched writes, bad input kept with its problem marked.
import assert from 'node:assert/strict';
import { REDACTED } from '../../../src/core/traces/redact';
import { checkedSpan, MAX_ATTRIBUTE_CHARS } from '../../../src/core/traces/spanRows';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { bash, TraceHarness, usage } from './traceKit';

const byName = (spans: TraceSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  assert.ok(found.length > 0, `no span named ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return found;
};

describe('trace recorder', () => {
  let h: TraceHarness;
  let retention = 0;
  beforeEach(() => {
    retention = 0;
    h = new TraceHarness({ retentionDays: () => retention });
  });
  afterEach(() => h.dispose());

  it('a turn: task span, model requests with tokens and cost, a tool under the request that asked for it', () => {
    h.fact('a1', { type: 'session', phase: 'started', sessionId: 's-1' });
    h.fact('a1', { type: 'turn', phase: 'started' }, 10);
    h.fact('a1', { type: 'usage', model: 'claude-x', delta: usage(1000, 200), requestId: 'r1' }, 1500);
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('DB_PASSWORD=hunter2 npm test', 'tu-1') }, 5);
    h.fact('a1', { type: 'tool', phase: 'ended', action: bash('DB_PASSWORD=hunter2 npm test', 'tu-1') }, 3000);
    h.fact('a1', { type: 'usage', model: 'claude-x', delta: usage(500, 100), requestId: 'r2' }, 800);
    h.fact('a1', { type: 'turn', phase: 'ended' }, 20);
    const spans = h.service.spans('a1');
    assert.equal(spans.length, 4);
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace per task');
    const [task] = byName(spans, 'task');
    assert.equal(task!.status, 'ok');
    assert.equal(task!.end! - task!.start, 1500 + 5 + 3000 + 800 + 20);
    assert.equal(task!.sessionId, 's-1');
    const models = spans.filter((s) => s.kind === 'model');
    assert.deepEqual(models.map((m) => [m.end! - m.start, m.tokens!.input, m.parentSpanId]), [[1500, 1000, task!.spanId], [800, 500, task!.spanId]]);
    assert.equal(models[0]!.costUsd, (1000 * 3 + 200 * 15) / 1e6);
    const [tool] = byName(spans, 'Bash');
    assert.equal(tool!.parentSpanId, models[0]!.spanId, 'the tool hangs under the request that asked for it');
    assert.equal(tool!.end! - tool!.start, 3000);
    assert.equal(tool!.status, 'ok');
    assert.equal(tool!.agentName, 'name-a1');
    assert.equal(tool!.attributes['tool.summary'], `Bash: DB_PASSWORD=${REDACTED} npm test`);
    assert.ok(!JSON.stringify(spans).includes('hunter2'), 'the secret is not stored anywhere');
  });

  it('a PostToolUse that never comes: the tool ends interrupted with its turn, and says why', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('sleep 100', 'tu-9') }, 100);
    h.fact('a1', { type: 'turn', phase: 'interrupted' }, 2000);
    const spans = h.service.spans('a1');
    const [tool] = byName(spans, 'Bash');
    assert.equal(tool!.status, 'interrupted');
    assert.equal(tool!.end! - tool!.start, 2000);
    assert.match(String(tool!.attributes['interrupted.why']), /interrupted/);
    assert.equal(byName(spans, 'task')[0]!.status, 'interrupted');
    assert.ok(spans.every((s) => s.status !== 'running'));
  });

  it('events out of order: an end before its start is one span marked, a failed tool is an error, a second turn start closes the first', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a1', { type: 'tool', phase: 'failed', action: bash('false', 'tu-2'), detail: 'exit 1' }, 50);
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('false', 'tu-2') }, 1);
    h.fact('a1', { type: 'turn', phase: 'started' }, 10);
    const spans = h.service.spans('a1');
    const tools = byName(spans, 'Bash');
    assert.equal(tools.length, 1);
    assert.equal(tools[0]!.status, 'error');
    assert.equal(tools[0]!.attributes['tool.detail'], 'exit 1');
    assert.match(tools[0]!.problems!.join(), /start was not seen/);
    const tasks = byName(spans, 'task');
    assert.deepEqual(tasks.map((t) => t.status), ['interrupted', 'running']);
    assert.notEqual(tasks[0]!.traceId, tasks[1]!.traceId);
  });

  it('facts without a turn open a task marked as such; tools without ids pair by name', () => {
    h.fact('a1', { type: 'tool', phase: 'started', action: { tool: 'Read', input: { file_path: '/w/a.ts' }, summary: 'Read a.ts' } });
    h.fact('a1', { type: 'tool', phase: 'ended', action: { tool: 'Read', input: { file_path: '/w/a.ts' }, summary: 'Read a.ts' } }, 30);
    const spans = h.service.spans('a1');
    assert.match(byName(spans, 'task')[0]!.problems!.join(), /no turn start/);
    const [read] = byName(spans, 'Read');
    assert.equal(read!.status, 'ok');
    assert.equal(read!.attributes['files'], '/w/a.ts');
  });

  it('subagents: tools and usage inside a Task span hang under it', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    const task = { tool: 'Task', input: { description: 'review the diff', prompt: 'x' }, summary: 'Task: review', toolUseId: 'tu-t' };
    h.fact('a1', { type: 'tool', phase: 'started', action: task }, 10);
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('git diff', 'tu-3') }, 10);
    h.fact('a1', { type: 'tool', phase: 'ended', action: bash('git diff', 'tu-3') }, 10);
    h.fact('a1', { type: 'usage', model: 'claude-x', delta: usage(10, 10), requestId: 'sub-1', subagent: 'reviewer' } as never, 10);
    h.fact('a1', { type: 'tool', phase: 'ended', action: task }, 10);
    h.fact('a1', { type: 'turn', phase: 'ended' }, 10);
    const spans = h.service.spans('a1');
    const [sub] = byName(spans, 'Task: review the diff');
    assert.equal(sub!.kind, 'subagent');
    assert.equal(sub!.status, 'ok');
    assert.equal(byName(spans, 'Bash')[0]!.parentSpanId, sub!.spanId);
    assert.equal(spans.find((s) => s.kind === 'model')!.parentSpanId, sub!.spanId);
  });

  it('approval waits from the real queue: who decided, how long the fleet waited, under the tool that asked', async () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('git push', 'tu-p') }, 10);
    const decided = h.queue.request({ agentId: 'a1', agentName: 'one', tool: 'Bash', summary: 'Bash: git push', input: {}, tier: 'review', rule: 'git push' });
    const [pending] = h.queue.pending();
    h.clock.advance(4200);
    h.queue.decide(pending!.id, 'deny', 'user', 'not now');
    await decided;
    const [wait] = h.service.spans('a1').filter((s) => s.kind === 'approval-wait');
    assert.equal(wait!.status, 'denied');
    assert.equal(wait!.end! - wait!.start, 4200);
    assert.equal(wait!.attributes['approval.waited_ms'], 4200);
    assert.equal(wait!.attributes['approval.decided_by'], 'user');
    assert.equal(wait!.attributes['approval.tier'], 'review');
    assert.equal(wait!.parentSpanId, byName(h.service.spans('a1'), 'Bash')[0]!.spanId);
  });

  it('a restart mid-turn: a live agent carries on in the same trace, its tool end closes the stored span', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a1', { type: 'tool', phase: 'started', action: bash('npm test', 'tu-r') }, 10);
    h.fact('a2', { type: 'turn', phase: 'started' });
    h.fact('a2', { type: 'tool', phase: 'started', action: bash('sleep 9', 'tu-s') }, 10);
    const before = h.service.spans(undefined);
    h.restart((id) => id === 'a1');
    h.fact('a1', { type: 'tool', phase: 'ended', action: bash('npm test', 'tu-r') }, 500);
    h.fact('a1', { type: 'turn', phase: 'ended' }, 10);
    const a1 = h.service.spans('a1');
    assert.equal(a1.length, 2, 'no duplicate spans after the restart');
    assert.deepEqual(new Set(a1.map((s) => s.traceId)), new Set(before.filter((s) => s.agentId === 'a1').map((s) => s.traceId)));
    assert.deepEqual(a1.map((s) => s.status), ['ok', 'ok']);
    const a2 = h.service.spans('a2');
    assert.deepEqual(a2.map((s) => s.status), ['interrupted', 'interrupted'], 'an agent gone during the restart is closed');
    assert.match(String(a2[1]!.attributes['interrupted.why']), /restarted/);
  });

  it('writes in batches: 300 spans are one transaction', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    for (let i = 0; i < 150; i++) {
      h.fact('a1', { type: 'tool', phase: 'started', action: bash(`echo ${i}`, `t${i}`) }, 1);
      h.fact('a1', { type: 'tool', phase: 'ended', action: bash(`echo ${i}`, `t${i}`) }, 1);
    }
    const batchesBefore = h.service.writer.batches;
    assert.equal(h.service.spans('a1').length, 151);
    assert.equal(h.service.writer.batches - batchesBefore, 1);
  });

  it('a removed agent keeps its history until retention prunes it', () => {
    h.store.upsertAgent({ id: 'a1', name: 'one', kind: 'claude-code', status: 'idle' });
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a1', { type: 'turn', phase: 'ended' }, 10);
    h.service.spans('a1');
    h.store.deleteAgent('a1');
    assert.equal(h.service.spans('a1').length, 1);
    assert.deepEqual(h.service.agentsWithHistory().map((a) => a.agentId), ['a1']);
    h.clock.advance(8 * 86_400_000);
    h.restart();
    assert.equal(h.service.spans('a1').length, 1, 'retention 0 keeps everything');
    assert.equal(h.service.prune(), 0);
    retention = 7;
    assert.equal(h.service.prune(), 1);
    assert.equal(h.service.spans('a1').length, 0);
  });

  it('bad input is kept with its problem marked: end before start, a huge attribute cut with a marker', () => {
    const span = checkedSpan({
      traceId: 't', spanId: 's', agentId: 'a', kind: 'tool', name: 'x', start: 100, end: 40, status: 'ok', attributes: { big: 'x'.repeat(MAX_ATTRIBUTE_CHARS + 10) },
    });
    assert.equal(span.end, 100);
    assert.match(String(span.attributes.big), /cut: 10 more characters/);
    assert.equal(span.problems!.length, 2);
  });
});
