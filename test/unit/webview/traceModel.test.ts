// The Trace panel's model without a DOM: rows nested under parents in start order, a missing parent shown at the
// top marked, the filter, totals (tokens, cost, approval waits) and running spans reaching the host's "now".
import assert from 'node:assert/strict';
import { TraceModel } from '../../../webview/trace/model';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';

const span = (id: string, parent: string | undefined, start: number, extra: Partial<TraceSpan> = {}): TraceSpan => ({
  traceId: 't', spanId: id, ...(parent ? { parentSpanId: parent } : {}), agentId: 'a', kind: 'tool', name: id, start, end: start + 10, status: 'ok', attributes: {}, ...extra,
});

describe('trace panel model', () => {
  it('nests rows under parents by start, shows an orphan at the top, filters, totals', () => {
    const m = new TraceModel();
    m.snapshot('Trace: a', 'a', [
      span('task', undefined, 0, { kind: 'task', end: 100 }),
      span('b', 'task', 50, { kind: 'model', tokens: { input: 10, output: 5, cacheRead: 1, cacheWrite: 0 }, costUsd: 0.5 }),
      span('a', 'task', 10),
      span('a1', 'a', 12, { name: 'Bash', attributes: { 'tool.summary': 'Bash: npm test' } }),
      span('lost', 'nowhere', 5),
      span('w', 'a', 20, { kind: 'approval-wait', end: 4020 }),
      span('r', 'task', 90, { status: 'running', end: undefined }),
    ], 1000, 400);
    assert.deepEqual(m.rows().map((r) => `${r.span.spanId}:${r.depth}${r.orphan ? '!' : ''}`), ['task:0', 'a:1', 'a1:2', 'w:2', 'b:1', 'r:1', 'lost:0!']);
    const t = m.totals();
    assert.deepEqual([t.spans, t.tokensIn, t.tokensOut, t.costUsd, t.approvalWaitMs, t.approvals, t.running], [7, 11, 5, 0.5, 4000, 1, 1]);
    assert.equal(m.now(500), 1100, 'host clock, not the page clock');
    assert.deepEqual(m.range(m.now(500)), { start: 0, end: 4020 });
    m.setFilter('npm TEST');
    assert.deepEqual(m.rows().map((r) => r.span.spanId), ['a1']);
    m.append([span('a1', 'a', 12, { name: 'Bash', status: 'error' })], 2000, 1000);
    m.setFilter('');
    assert.equal(m.rows().find((r) => r.span.spanId === 'a1')!.span.status, 'error', 'an append replaces the span');
  });

  it('filters by agent, kind and status; the totals count what the filters let through', () => {
    const m = new TraceModel();
    const tokens = (n: number) => ({ input: n, output: 1, cacheRead: 2, cacheWrite: 3 });
    m.snapshot('Fleet', undefined, [
      span('t1', undefined, 0, { kind: 'task', agentId: 'a', agentName: 'alpha' }),
      span('m1', 't1', 1, { kind: 'model', agentId: 'a', agentName: 'alpha', tokens: tokens(10), costUsd: 0.25 }),
      span('x1', 'm1', 2, { agentId: 'a', agentName: 'alpha', status: 'error' }),
      span('t2', undefined, 0, { traceId: 'u', kind: 'task', agentId: 'b', agentName: 'bravo' }),
      span('m2', 't2', 1, { traceId: 'u', kind: 'model', agentId: 'b', agentName: 'bravo', tokens: tokens(100), costUsd: 0.5 }),
    ], 0, 0);
    assert.deepEqual(m.agents(), [{ id: 'a', name: 'alpha' }, { id: 'b', name: 'bravo' }]);
    assert.deepEqual([m.totals().spans, m.totals().input, m.totals().cacheWrite, m.totals().costUsd], [5, 110, 6, 0.75]);
    m.setFacet('agent', 'b');
    assert.deepEqual(m.rows().map((r) => r.span.spanId), ['t2', 'm2']);
    assert.deepEqual([m.totals().spans, m.totals().input, m.totals().tokensOut, m.totals().cacheRead, m.totals().costUsd], [2, 100, 1, 2, 0.5]);
    m.setFacet('agent', '');
    m.setFacet('kind', 'model');
    assert.deepEqual(m.rows().map((r) => r.span.spanId), ['m1', 'm2']);
    m.setFacet('kind', '');
    m.setFacet('status', 'error');
    assert.deepEqual(m.rows().map((r) => [r.span.spanId, r.depth]), [['x1', 2]]);
    assert.equal(m.totals().costUsd, 0);
  });
});

