// Schema version 1: every table of the fleet store. Times are epoch milliseconds (INTEGER); JSON columns are TEXT.

export const SCHEMA_V1 = `
CREATE TABLE agents (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  group_name  TEXT,
  status      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  data        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX agents_group ON agents (group_name);

CREATE TABLE sessions (
  id               TEXT PRIMARY KEY,
  agent_id         TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  external_id      TEXT,
  transcript_path  TEXT,
  started_at       INTEGER,
  ended_at         INTEGER,
  data             TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX sessions_external ON sessions (external_id);
CREATE INDEX sessions_agent ON sessions (agent_id, started_at);

-- session_id has no foreign key on purpose: hook events can report a span before its session row is written.
CREATE TABLE spans (
  id              INTEGER PRIMARY KEY,
  agent_id        TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
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
CREATE INDEX spans_agent_time ON spans (agent_id, started_at, id);
CREATE INDEX spans_time ON spans (started_at);
CREATE INDEX spans_session ON spans (session_id);
-- A span reported at its start and again at its end is one row (NULL ids never conflict).
CREATE UNIQUE INDEX spans_trace_span ON spans (trace_id, span_id);

CREATE TABLE usage (
  agent_id     TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  model        TEXT NOT NULL,
  input        INTEGER NOT NULL DEFAULT 0,
  output       INTEGER NOT NULL DEFAULT 0,
  cache_read   INTEGER NOT NULL DEFAULT 0,
  cache_write  INTEGER NOT NULL DEFAULT 0,
  cost_usd     REAL NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (agent_id, model)
) WITHOUT ROWID;

CREATE TABLE approvals (
  id          TEXT PRIMARY KEY,
  agent_id    TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  session_id  TEXT,
  tool        TEXT NOT NULL,
  input       TEXT NOT NULL DEFAULT 'null',
  tier        TEXT NOT NULL,
  rule        TEXT,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'allowed', 'denied', 'expired', 'stale')),
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER,
  decided_by  TEXT,
  reason      TEXT
);
CREATE INDEX approvals_status ON approvals (status, created_at);
CREATE INDEX approvals_agent ON approvals (agent_id, created_at);

CREATE TABLE budgets (
  scope       TEXT NOT NULL CHECK (scope IN ('fleet', 'group', 'agent', 'task')),
  scope_id    TEXT NOT NULL DEFAULT '',
  limits      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (scope, scope_id)
) WITHOUT ROWID;

-- Append-only, hash-chained (see auditHash.ts). agent_id has no foreign key: the audit outlives its agents.
CREATE TABLE audit (
  seq        INTEGER PRIMARY KEY,
  ts         INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  agent_id   TEXT,
  subject    TEXT,
  data       TEXT NOT NULL DEFAULT 'null',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_agent ON audit (agent_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit is append-only: DELETE refused');
END;
`;
