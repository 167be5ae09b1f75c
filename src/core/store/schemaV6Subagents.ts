// Schema version 6: a stored model request names the subagent that made it (Claude Code's subagent id, and its type,
// e.g. "Explore", when known), so the Costs view and the agent's tooltip can show each subagent's share; requests
// from before keep NULL (their agent's own). A partial index holds only subagent requests (few): the Costs view's main
// query and its covering index (schema 5) are unchanged. And a small key/value table for facts about the stored
// figures themselves: which price catalog the agents' costs were last computed with (src/core/cost/catalogReprice.ts).

export const SCHEMA_V6_SUBAGENTS = `
ALTER TABLE usage_requests ADD COLUMN subagent TEXT;
ALTER TABLE usage_requests ADD COLUMN subagent_type TEXT;
CREATE INDEX usage_requests_subagent ON usage_requests (at, agent_id) WHERE subagent IS NOT NULL;
CREATE TABLE store_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;
