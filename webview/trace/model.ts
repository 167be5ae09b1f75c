// The Trace panel's state without the DOM: spans by id, the tree order (children under their parents, by start),
// the time range, the filters (text, agent, kind, status) and the totals of what they let through (tokens, cost, how
// long the fleet waited for approvals).
import type { TraceSpan } from '../../src/shared/webview/traceSpan';

export interface Row {
  readonly span: TraceSpan;
  readonly depth: number;
  /** Its parent was named but never seen (shown at the top level, marked). */
  readonly orphan: boolean;
}

export interface Totals {
  spans: number;
  /** All input tokens: uncached, cache reads and cache writes. */
  tokensIn: number;
  tokensOut: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
  approvalWaitMs: number;
  approvals: number;
  running: number;
}

const key = (s: TraceSpan) => `${s.traceId}/${s.spanId}`;

/** Exact-match filters; '' lets everything through. */
export interface Facets {
  agent: string;
  kind: string;
  status: string;
}
export type Facet = keyof Facets;

export class TraceModel {
  title = 'Trace';
  agentId: string | undefined;
  private readonly spans = new Map<string, TraceSpan>();
  /** Host clock minus page clock at the last message. */
  private skew = 0;
  private cached: Row[] | undefined;
  private cachedTotals: Totals | undefined;
  private cachedRange: { start: number; end: number; running: number } | undefined;
  private cachedCharged: TraceSpan[] | undefined;
  /** Bumped on every change of spans or filters (what a view drawn from the model compares to know it is stale). */
  version = 0;
  filter = '';
  readonly facets: Facets = { agent: '', kind: '', status: '' };

  snapshot(title: string, agentId: string | undefined, spans: readonly TraceSpan[], hostNow: number, pageNow: number): void {
    this.title = title;
    this.agentId = agentId;
    this.spans.clear();
    this.append(spans, hostNow, pageNow);
  }

  append(spans: readonly TraceSpan[], hostNow: number, pageNow: number): void {
    for (const s of spans) this.spans.set(key(s), s);
    this.skew = hostNow - pageNow;
    this.invalidate();
  }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.invalidate();
  }

  private invalidate(): void {
    this.cached = undefined;
    this.cachedTotals = undefined;
    this.cachedRange = undefined;
    this.cachedCharged = undefined;
    this.version++;
  }

  setFacet(facet: Facet, value: string): void {
    this.facets[facet] = value;
    this.invalidate();
  }

  /** Agents with spans (id, name), by name: the agent filter's choices. */
  agents(): { id: string; name: string }[] {
    const names = new Map<string, string>();
    for (const s of this.spans.values()) if (!names.has(s.agentId) || s.agentName) names.set(s.agentId, s.agentName ?? s.agentId);
    return [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  now(pageNow: number): number {
    return pageNow + this.skew;
  }

  get size(): number {
    return this.spans.size;
  }

  rows(): Row[] {
    if (this.cached) return this.cached;
    const all = [...this.spans.values()];
    const children = new Map<string, TraceSpan[]>();
    const roots: { span: TraceSpan; orphan: boolean }[] = [];
    for (const s of all) {
      const parent = s.parentSpanId ? `${s.traceId}/${s.parentSpanId}` : undefined;
      if (parent && this.spans.has(parent)) {
        const siblings = children.get(parent);
        if (siblings) siblings.push(s);
        else children.set(parent, [s]);
      }
      else roots.push({ span: s, orphan: parent !== undefined });
    }
    const byStart = (a: TraceSpan, b: TraceSpan) => a.start - b.start || a.spanId.localeCompare(b.spanId);
    roots.sort((a, b) => byStart(a.span, b.span));
    const out: Row[] = [];
    const seen = new Set<string>();
    const visit = (span: TraceSpan, depth: number, orphan: boolean) => {
      const k = key(span);
      if (seen.has(k)) return;
      seen.add(k);
      if (this.matches(span)) out.push({ span, depth, orphan });
      for (const c of (children.get(k) ?? []).sort(byStart)) visit(c, depth + 1, false);
    };
    for (const r of roots) visit(r.span, 0, r.orphan);
    this.cached = out;
    return out;
  }

  /** [first start, last end (running spans: now)]; one pass over the spans per change, not per frame. */
  range(now: number): { start: number; end: number } {
    if (!this.cachedRange) {
      let start = Infinity;
      let end = -Infinity;
      let running = 0;
      for (const s of this.spans.values()) {
        start = Math.min(start, s.start);
        if (s.end === undefined) running++;
        else end = Math.max(end, s.end);
      }
      this.cachedRange = { start, end, running };
    }
    const r = this.cachedRange;
    if (!Number.isFinite(r.start)) return { start: now, end: now + 1 };
    const end = r.running > 0 ? Math.max(r.end, now) : r.end;
    return { start: r.start, end: Math.max(end, r.start + 1) };
  }

  /** Spans still running, whatever the filters. */
  get running(): number {
    this.range(0);
    return this.cachedRange!.running;
  }

  totals(): Totals {
    if (this.cachedTotals) return this.cachedTotals;
    const t: Totals = { spans: 0, tokensIn: 0, tokensOut: 0, input: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0, approvalWaitMs: 0, approvals: 0, running: 0 };
    const charged: TraceSpan[] = [];
    for (const s of this.spans.values()) {
      if (!this.matches(s)) continue;
      t.spans++;
      if (s.tokens || s.costUsd) charged.push(s);
      if (s.tokens) {
        t.tokensIn += s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite;
        t.tokensOut += s.tokens.output;
        t.input += s.tokens.input;
        t.cacheRead += s.tokens.cacheRead;
        t.cacheWrite += s.tokens.cacheWrite;
      }
      t.costUsd += s.costUsd ?? 0;
      if (s.kind === 'approval-wait') {
        t.approvals++;
        if (s.end !== undefined) t.approvalWaitMs += s.end - s.start;
      }
      if (s.status === 'running') t.running++;
    }
    this.cachedTotals = t;
    this.cachedCharged = charged;
    return t;
  }

  /**
   * The spans the filters let through that carry tokens or a cost (what the cost chart sums), in no order; gathered in
   * the totals' pass, so the filters run once per change for both.
   */
  charged(): readonly TraceSpan[] {
    if (!this.cachedCharged) this.totals();
    return this.cachedCharged!;
  }

  /** Whether the filters let a span through (totals count the same spans the rows show). */
  matches(s: TraceSpan): boolean {
    const f = this.facets;
    if ((f.agent && s.agentId !== f.agent) || (f.kind && s.kind !== f.kind) || (f.status && s.status !== f.status)) return false;
    if (!this.filter) return true;
    const hay = [s.name, s.kind, s.status, s.agentName ?? s.agentId, s.model ?? '', ...Object.values(s.attributes).map(String)].join('\n').toLowerCase();
    return hay.includes(this.filter);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}
