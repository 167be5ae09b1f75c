// Schema version 4: one row per model request (tokens by kind, the 1-hour part of the cache writes apart), so a
// change of the price data or of a price override re-prices history (src/core/cost/reprice.ts) instead of keeping
// whatever rate applied when the request came in. The running totals of `usage` stay for fast budget reads.
// Removed with their agent, like `usage`.

export const SCHEMA_V4_USAGE_REQUESTS = `
CREATE TABLE usage_requests (
  id              INTEGER PRIMARY KEY,
  agent_id        TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  model           TEXT NOT NULL,
  request_id      TEXT,
  input           INTEGER NOT NULL DEFAULT 0,
  output          INTEGER NOT NULL DEFAULT 0,
  cache_read      INTEGER NOT NULL DEFAULT 0,
  cache_write     INTEGER NOT NULL DEFAULT 0,
  cache_write_1h  INTEGER NOT NULL DEFAULT 0,
  at              INTEGER NOT NULL
);
CREATE INDEX usage_requests_agent ON usage_requests (agent_id, id);
`;
