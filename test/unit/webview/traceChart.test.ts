// The Trace panel's cost chart data without a DOM: cumulative dollars and tokens by end time whatever order spans came
// in, only what the filters show (ending at the totals' figures), one point per pixel, running spans at the live edge.
import assert from 'node:assert/strict';
import { cumulativeSeries, spanTokens } from '../../../webview/trace/cumulative';
import { TraceModel } from '../../../webview/trace/model';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';

const tokens = (input: number, output = 0, cacheRead = 0, cacheWrite = 0) => ({ input, output, cacheRead, cacheWrite });
const span = (id: string, start: number, end: number | undefined, extra: Partial<TraceSpan> = {}): TraceSpan => ({
  traceId: 't', spanId: id, agentId: 'a', kind: 'model', name: id, start, ...(end === undefined ? {} : { end }), status: end === undefined ? 'running' : 'ok', attributes: {}, ...extra,
});
const close = (actual: ArrayLike<number>, expected: number[]) =>
  assert.deepEqual(Array.from(actual, (v) => Math.round(v * 1e6) / 1e6), expected);

describe('trace cost chart series', () => {
  it('sums by end time, in any arrival order, from 0 at the axis start to the total at its end', () => {
    const spans = [
      span('late', 70, 100, { costUsd: 0.3, tokens: tokens(100, 20) }),
      span('early', 0, 10, { costUsd: 0.1, tokens: tokens(10, 1, 5, 4) }),
      span('mid', 20, 45, { costUsd: 0.2, tokens: tokens(50) }),
    ];
    const forward = cumulativeSeries(spans, { start: 0, end: 100 }, 100, 4);
    close(forward.x, [0, 25, 50, 75, 100]);
    close(forward.cost, [0, 0.1, 0.3, 0.3, 0.6]);
    close(forward.tokens, [0, 20, 70, 70, 190]);
    assert.equal(Math.round(forward.totalCost * 1e6) / 1e6, 0.6);
    assert.equal(forward.totalTokens, 190);
    const backward = cumulativeSeries([...spans].reverse(), { start: 0, end: 100 }, 100, 4);
    assert.deepEqual([...backward.cost], [...forward.cost], 'arrival order does not matter');
    assert.equal(spanTokens(spans[1]!), 20, 'input, output, cache reads and writes');
  });

  it('keeps to one point per pixel of width however many spans, never decreasing', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i * 10, i * 10 + 5, { costUsd: 0.001, tokens: tokens(10, 2) }));
    const s = cumulativeSeries(many, { start: 0, end: 500_000 }, 0, 800);
    assert.equal(s.x.length, 801);
    assert.equal(s.cost.length, 801);
    for (let i = 1; i < s.cost.length; i++) assert.ok(s.cost[i]! >= s.cost[i - 1]! && s.tokens[i]! >= s.tokens[i - 1]!, `monotone at ${i}`);
    assert.equal(s.totalTokens, 600_000);
    assert.equal(Math.round(s.totalCost * 1000), 50_000);
    assert.equal(s.x[800], 500_000, 'the last point is the axis end');
    assert.equal(cumulativeSeries(many, { start: 0, end: 500_000 }, 0, 0.4).x.length, 2, 'a zero width still gives a line');
  });

  it('counts a running span at the live edge and clamps times outside the axis to its ends', () => {
    const s = cumulativeSeries(
      [
        span('running', 10, undefined, { costUsd: 0.5, tokens: tokens(7) }),
        span('ends-before-it-starts', 30, -50, { costUsd: 0.25 }),
      ],
      { start: 0, end: 100 },
      100,
      2,
    );
    close(s.cost, [0, 0.25, 0.75]);
    close(s.tokens, [0, 0, 7]);
    const early = cumulativeSeries([span('running', 10, undefined, { costUsd: 0.5 })], { start: 0, end: 100 }, 40, 2);
    close(early.cost, [0, 0.5, 0.5]); // at now, before the axis end
  });

  it('takes the spans the filters let through, so it ends where the totals do', () => {
    const m = new TraceModel();
    m.snapshot('Fleet', undefined, [
      span('a-model', 0, 10, { costUsd: 0.1, tokens: tokens(100, 10) }),
      span('b-model', 5, 20, { agentId: 'b', costUsd: 0.2, tokens: tokens(200, 20) }),
      span('a-tool', 12, 14, { kind: 'tool' }),
      span('b-live', 25, undefined, { agentId: 'b', costUsd: 0.05 }),
    ], 1000, 1000);
    assert.deepEqual(m.charged().map((s) => s.spanId).sort(), ['a-model', 'b-live', 'b-model'], 'spans without tokens or cost are left out');
    const before = m.version;
    m.setFacet('agent', 'b');
    assert.ok(m.version > before, 'a filter change makes the chart stale');
    assert.deepEqual(m.charged().map((s) => s.spanId).sort(), ['b-live', 'b-model']);
    const series = cumulativeSeries(m.charged(), m.range(30), 30, 10);
    const t = m.totals();
    assert.equal(series.totalCost, t.costUsd);
    assert.equal(series.totalTokens, t.tokensIn + t.tokensOut);
    m.setFilter('a-model');
    m.setFacet('agent', '');
    assert.deepEqual(m.charged().map((s) => s.spanId), ['a-model']);
    m.append([span('a-model2', 30, 40, { name: 'a-model 2', costUsd: 1 })], 1000, 1000);
    assert.deepEqual(m.charged().map((s) => s.spanId), ['a-model', 'a-model2'], 'appended spans come in');
  });
});
