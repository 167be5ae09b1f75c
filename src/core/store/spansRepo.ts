// Spans: the trace of what an agent did (model turns, tool calls, subagents), with tokens and cost. A span that
// carries trace_id + span_id is one row however often it is reported (start, then end), so inserts are upserts.
import type { Connection } from './connection';
import { readJsonObject, writeJson } from './jsonColumn';
import type { JsonObject } from './jsonColumn';

export interface SpanRow {
  id: number;
  agentId: string;
  sessionId: string | null;
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  kind: string;
  name: string;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  tokensIn: number;
  tokensOut: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
  model: string | null;
  status: string | null;
  data: JsonObject;
}

export type SpanInput = Pick<SpanRow, 'agentId' | 'kind' | 'name' | 'startedAt'> &
  Partial<Omit<SpanRow, 'id' | 'agentId' | 'kind' | 'name' | 'startedAt'>>;

/** Keyset cursor: rows strictly older than (startedAt, id) in the listing order. */
export interface SpanCursor {
  startedAt: number;
  id: number;
}

export interface ListSpansOptions {
  /** Default 100, at most 10 000. */
  limit?: number;
  /** A started_at time (ms, exclusive) or a cursor from the last row of the previous page. */
  before?: number | SpanCursor;
}

interface SpanRecord {
  id: number;
  agent_id: string;
  session_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  kind: string;
  name: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  tokens_in: number;
  tokens_out: number;
  cache_read: number;
  cache_write: number;
  cost_usd: number;
  model: string | null;
  status: string | null;
  data: string;
}

const MAX_LIMIT = 10_000;

export class SpansRepo {
  constructor(private readonly db: Connection) {}

  insert(span: SpanInput): SpanRow {
    const durationMs = span.durationMs ?? (span.endedAt != null ? span.endedAt - span.startedAt : null);
    const record = this.db.get<SpanRecord>(
      `INSERT INTO spans (agent_id, session_id, trace_id, span_id, parent_span_id, kind, name, started_at, ended_at,
         duration_ms, tokens_in, tokens_out, cache_read, cache_write, cost_usd, model, status, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (trace_id, span_id) DO UPDATE SET session_id = COALESCE(excluded.session_id, spans.session_id),
         parent_span_id = COALESCE(excluded.parent_span_id, spans.parent_span_id), kind = excluded.kind,
         name = excluded.name, started_at = excluded.started_at, ended_at = COALESCE(excluded.ended_at, spans.ended_at),
         duration_ms = COALESCE(excluded.duration_ms, spans.duration_ms), tokens_in = excluded.tokens_in,
         tokens_out = excluded.tokens_out, cache_read = excluded.cache_read, cache_write = excluded.cache_write,
         cost_usd = excluded.cost_usd, model = COALESCE(excluded.model, spans.model),
         status = COALESCE(excluded.status, spans.status), data = excluded.data
       RETURNING *`,
      span.agentId,
      span.sessionId,
      span.traceId,
      span.spanId,
      span.parentSpanId,
      span.kind,
      span.name,
      span.startedAt,
      span.endedAt,
      durationMs,
      span.tokensIn ?? 0,
      span.tokensOut ?? 0,
      span.cacheRead ?? 0,
      span.cacheWrite ?? 0,
      span.costUsd ?? 0,
      span.model,
      span.status,
      writeJson(span.data ?? {}, 'spans.data'),
    );
    return this.toRow(record!);
  }

  /** Newest first. */
  list(agentId: string, options: ListSpansOptions = {}): SpanRow[] {
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(options.limit ?? 100)));
    const before = options.before;
    let records: SpanRecord[];
    if (before === undefined) {
      records = this.db.all<SpanRecord>(
        'SELECT * FROM spans WHERE agent_id = ? ORDER BY started_at DESC, id DESC LIMIT ?',
        agentId,
        limit,
      );
    } else {
      const cursor = typeof before === 'number' ? { startedAt: before, id: -1 } : before;
      records = this.db.all<SpanRecord>(
        `SELECT * FROM spans WHERE agent_id = ? AND (started_at < ? OR (started_at = ? AND id < ?))
         ORDER BY started_at DESC, id DESC LIMIT ?`,
        agentId,
        cursor.startedAt,
        cursor.startedAt,
        cursor.id,
        limit,
      );
    }
    return records.map((r) => this.toRow(r));
  }

  listBySession(sessionId: string): SpanRow[] {
    return this.db
      .all<SpanRecord>('SELECT * FROM spans WHERE session_id = ? ORDER BY started_at, id', sessionId)
      .map((r) => this.toRow(r));
  }

  /** Every span of one trace, oldest first. */
  listTrace(traceId: string): SpanRow[] {
    return this.db
      .all<SpanRecord>('SELECT * FROM spans WHERE trace_id = ? ORDER BY started_at, id', traceId)
      .map((r) => this.toRow(r));
  }

  /** Spans started at or after `since` (one agent's, or the fleet's), oldest first, at most `limit`. */
  listSince(since: number, agentId?: string, limit = MAX_LIMIT * 5): SpanRow[] {
    const records =
      agentId === undefined
        ? this.db.all<SpanRecord>('SELECT * FROM spans WHERE started_at >= ? ORDER BY started_at, id LIMIT ?', since, limit)
        : this.db.all<SpanRecord>('SELECT * FROM spans WHERE agent_id = ? AND started_at >= ? ORDER BY started_at, id LIMIT ?', agentId, since, limit);
    return records.map((r) => this.toRow(r));
  }

  /** Spans still marked running (open when Flotilla stopped: the trace recorder picks them up again). */
  listByStatus(status: string): SpanRow[] {
    return this.db.all<SpanRecord>('SELECT * FROM spans WHERE status = ? ORDER BY started_at, id', status).map((r) => this.toRow(r));
  }

  /** The agents that have spans, with their newest span's start (removed agents included). */
  agentsWithSpans(): { agentId: string; lastStartedAt: number }[] {
    return this.db
      .all<{ agent_id: string; last: number }>('SELECT agent_id, max(started_at) AS last FROM spans GROUP BY agent_id ORDER BY last DESC')
      .map((r) => ({ agentId: r.agent_id, lastStartedAt: r.last }));
  }

  /** Deletes finished spans that ended (or started, when they never ended) before `before`; returns how many. */
  pruneBefore(before: number): number {
    const result = this.db.run(`DELETE FROM spans WHERE COALESCE(ended_at, started_at) < ? AND (status IS NULL OR status != 'running')`, before);
    return Number(result.changes);
  }

  count(agentId?: string): number {
    const row =
      agentId === undefined
        ? this.db.get<{ n: number }>('SELECT count(*) AS n FROM spans')
        : this.db.get<{ n: number }>('SELECT count(*) AS n FROM spans WHERE agent_id = ?', agentId);
    return row?.n ?? 0;
  }

  private toRow(r: SpanRecord): SpanRow {
    return {
      id: r.id,
      agentId: r.agent_id,
      sessionId: r.session_id,
      traceId: r.trace_id,
      spanId: r.span_id,
      parentSpanId: r.parent_span_id,
      kind: r.kind,
      name: r.name,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      durationMs: r.duration_ms,
      tokensIn: r.tokens_in,
      tokensOut: r.tokens_out,
      cacheRead: r.cache_read,
      cacheWrite: r.cache_write,
      costUsd: r.cost_usd,
      model: r.model,
      status: r.status,
      data: readJsonObject(r.data, `spans.data of span ${r.id}`, this.db.log),
    };
  }
}
