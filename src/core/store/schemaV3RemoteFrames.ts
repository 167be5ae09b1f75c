// Schema version 3: the remote frame journal. Every span, event and approval request a remote agent sends is written
// here before the supervisor acks it, with the agent's session and the highest seq whose effect is stored, so a
// reconnect (or a supervisor restart) resumes from what is on disk: nothing acked is lost, nothing is stored twice.

export const SCHEMA_V3_REMOTE_FRAMES = `
CREATE TABLE remote_sessions (
  agent_id    TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL,
  last_seq    INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE remote_frames (
  id           INTEGER PRIMARY KEY,
  agent_id     TEXT NOT NULL,
  session_id   TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  type         TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  body         TEXT NOT NULL
);
CREATE UNIQUE INDEX remote_frames_session_seq ON remote_frames (session_id, seq);
CREATE INDEX remote_frames_agent ON remote_frames (agent_id, id);
CREATE INDEX remote_frames_time ON remote_frames (received_at);
`;
