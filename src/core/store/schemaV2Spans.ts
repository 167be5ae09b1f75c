// Schema version 2: spans outlive their agent (a removed agent's trace stays until flotilla.traces.retentionDays
// prunes it), so the spans table is rebuilt without the foreign key to agents; traces are read by trace id.

export const SCHEMA_V2_SPANS = `
CREATE TABLE spans_v2 (
  id              INTEGER PRIMARY KEY,
  agent_id        TEXT NOT NULL,
  session_id      TEXT,
  trace_id        TEXT,
  span_id         TEXT,
  parent_span_id  TEXT,
  kind            TEXT NOT NULL,
  name            TEXT NOT NULL,
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  duration_ms     INTEGER,
  tokens_in       INTEGER NOT NULL DEFAULT 0,
  tokens_out      INTEGER NOT NULL DEFAULT 0,
  cache_read      INTEGER NOT NULL DEFAULT 0,
  cache_write     INTEGER NOT NULL DEFAULT 0,
  cost_usd        REAL NOT NULL DEFAULT 0,
  model           TEXT,
  status          TEXT,
  data            TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO spans_v2 SELECT id, agent_id, session_id, trace_id, span_id, parent_span_id, kind, name, started_at, ended_at,
  duration_ms, tokens_in, tokens_out, cache_read, cache_write, cost_usd, model, status, data FROM spans;
DROP TABLE spans;
ALTER TABLE spans_v2 RENAME TO spans;
CREATE INDEX spans_agent_time ON spans (agent_id, started_at, id);
CREATE INDEX spans_time ON spans (started_at);
CREATE INDEX spans_session ON spans (session_id);
CREATE INDEX spans_status ON spans (status);
CREATE UNIQUE INDEX spans_trace_span ON spans (trace_id, span_id);
`;
