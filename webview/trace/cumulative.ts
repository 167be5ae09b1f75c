// The cost chart's data without the DOM: cumulative dollars and tokens over the trace's time axis, already cut down
// to one point per pixel. One pass over the charged spans into buckets, then a running sum over the buckets: O(n + w),
// no sort, whatever order the spans came in.
import type { TraceSpan } from '../../src/shared/webview/traceSpan';

export interface CumulativeSeries {
  /** Milliseconds since the axis start: 0, then the end of each bucket. */
  readonly x: Float64Array;
  /** Dollars spent up to x (inclusive of the bucket that ends at x). */
  readonly cost: Float64Array;
  /** Tokens (input, cache reads and writes, output) up to x. */
  readonly tokens: Float64Array;
  readonly totalCost: number;
  readonly totalTokens: number;
}

/** All of a span's tokens: uncached input, cache reads, cache writes and output (as the budgets count them). */
export function spanTokens(s: TraceSpan): number {
  const t = s.tokens;
  return t ? t.input + t.cacheRead + t.cacheWrite + t.output : 0;
}

/**
 * A span's tokens and cost count when it ends (a request's usage comes with its end); a running span counts at `now`
 * (the live edge). Times outside [start, end] land in the first or last bucket, so the last point is always the total.
 */
export function cumulativeSeries(spans: readonly TraceSpan[], axis: { start: number; end: number }, now: number, buckets: number): CumulativeSeries {
  const n = Math.max(1, Math.floor(buckets));
  const width = Math.max(1, axis.end - axis.start);
  const cost = new Float64Array(n + 1);
  const tokens = new Float64Array(n + 1);
  for (const s of spans) {
    const at = s.end ?? now;
    const i = Math.min(n, Math.max(1, Math.ceil(((at - axis.start) / width) * n)));
    cost[i]! += s.costUsd ?? 0;
    tokens[i]! += spanTokens(s);
  }
  const x = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    x[i] = (i / n) * width;
    cost[i]! += cost[i - 1]!;
    tokens[i]! += tokens[i - 1]!;
  }
  return { x, cost, tokens, totalCost: cost[n]!, totalTokens: tokens[n]! };
}
