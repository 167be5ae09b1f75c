// Remote frames: the journal of what remote agents sent (see schemaV3RemoteFrames.ts). commit() writes a batch of
// frames and moves the session's high-water mark in one transaction; the supervisor acks only after it returns.
import type { Connection } from './connection';

export interface RemoteSessionRow {
  agentId: string;
  sessionId: string;
  /** The highest agent seq of this session whose effect is stored (refused frames count: refusing is processing). */
  lastSeq: number;
  updatedAt: number;
}

export interface RemoteFrameInput {
  seq: number;
  type: string;
  /** The frame as JSON text. */
  body: string;
}

export interface RemoteFrameRow extends RemoteFrameInput {
  id: number;
  agentId: string;
  sessionId: string;
  receivedAt: number;
}

interface SessionRecord {
  agent_id: string;
  session_id: string;
  last_seq: number;
  updated_at: number;
}

interface FrameRecord {
  id: number;
  agent_id: string;
  session_id: string;
  seq: number;
  type: string;
  received_at: number;
  body: string;
}

const MAX_LIMIT = 100_000;

export class RemoteFramesRepo {
  constructor(private readonly db: Connection) {}

  /** The agent's current session and its high-water mark. */
  session(agentId: string): RemoteSessionRow | undefined {
    const r = this.db.get<SessionRecord>('SELECT agent_id, session_id, last_seq, updated_at FROM remote_sessions WHERE agent_id = ?', agentId);
    return r && { agentId: r.agent_id, sessionId: r.session_id, lastSeq: r.last_seq, updatedAt: r.updated_at };
  }

  /**
   * Atomically: the frames (each seq above the stored mark, growing) and the session's new mark `lastSeq`. A new
   * session replaces the agent's previous one. Throws (and writes nothing) when a seq does not grow.
   */
  commit(agentId: string, sessionId: string, lastSeq: number, frames: readonly RemoteFrameInput[]): void {
    const now = this.db.now();
    this.db.transaction(() => {
      const current = this.session(agentId);
      const floor = current?.sessionId === sessionId ? current.lastSeq : -1;
      let previous = floor;
      for (const frame of frames) {
        if (frame.seq <= previous) throw new Error(`remote frame ${agentId}/${sessionId}#${frame.seq}: seq does not grow (stored up to ${previous})`);
        previous = frame.seq;
        this.db.run('INSERT INTO remote_frames (agent_id, session_id, seq, type, received_at, body) VALUES (?, ?, ?, ?, ?, ?)', agentId, sessionId, frame.seq, frame.type, now, frame.body);
      }
      const mark = Math.max(lastSeq, previous, floor);
      this.db.run(
        `INSERT INTO remote_sessions (agent_id, session_id, last_seq, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET session_id = excluded.session_id, last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
        agentId,
        sessionId,
        mark,
        now,
      );
    });
  }

  /** Several commits (of several agents) in one transaction: all or none. */
  commitMany(commits: readonly { agentId: string; sessionId: string; lastSeq: number; frames: readonly RemoteFrameInput[] }[]): void {
    this.db.transaction(() => {
      for (const c of commits) this.commit(c.agentId, c.sessionId, c.lastSeq, c.frames);
    });
  }

  /** The request ids of the approval requests stored for this session of the agent, oldest first. */
  approvalRequestIds(agentId: string, sessionId: string): string[] {
    return this.db
      .all<{ id: string | null }>(
        "SELECT json_extract(body, '$.request_id') AS id FROM remote_frames WHERE session_id = ? AND agent_id = ? AND type = 'approval_request' ORDER BY seq",
        sessionId,
        agentId,
      )
      .flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
  }

  /** The agent's frames in the order they were stored, after row `afterId`. */
  list(agentId: string, options: { afterId?: number; limit?: number } = {}): RemoteFrameRow[] {
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(options.limit ?? 1000)));
    return this.db
      .all<FrameRecord>('SELECT id, agent_id, session_id, seq, type, received_at, body FROM remote_frames WHERE agent_id = ? AND id > ? ORDER BY id LIMIT ?', agentId, options.afterId ?? 0, limit)
      .map(toRow);
  }

  /** Every agent's frames in the order they were stored. */
  *listAll(batch = 10_000): Generator<RemoteFrameRow> {
    let afterId = 0;
    for (;;) {
      const rows = this.db
        .all<FrameRecord>('SELECT id, agent_id, session_id, seq, type, received_at, body FROM remote_frames WHERE id > ? ORDER BY id LIMIT ?', afterId, batch)
        .map(toRow);
      yield* rows;
      if (rows.length < batch) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  count(agentId?: string): number {
    const row = agentId === undefined ? this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM remote_frames') : this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM remote_frames WHERE agent_id = ?', agentId);
    return Number(row?.n ?? 0);
  }

  /** Deletes frames stored before `before` (retention); returns how many. */
  prune(before: number): number {
    return this.db.run('DELETE FROM remote_frames WHERE received_at < ?', before).changes;
  }
}

function toRow(r: FrameRecord): RemoteFrameRow {
  return { id: r.id, agentId: r.agent_id, sessionId: r.session_id, seq: r.seq, type: r.type, receivedAt: r.received_at, body: r.body };
}
