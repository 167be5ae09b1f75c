// Sessions: one agent run as its CLI knows it (external_id = e.g. Claude Code's session_id). Hook events arrive
// piecemeal, so an upsert only overwrites the fields it is given.
import type { Connection } from './connection';
import { readJsonObject, writeJson } from './jsonColumn';
import type { JsonObject } from './jsonColumn';

export interface SessionRow {
  id: string;
  agentId: string;
  externalId: string | null;
  transcriptPath: string | null;
  startedAt: number | null;
  endedAt: number | null;
  data: JsonObject;
}

export interface SessionInput {
  id: string;
  agentId: string;
  externalId?: string;
  transcriptPath?: string;
  startedAt?: number;
  endedAt?: number;
  /** Replaces the stored data when given. */
  data?: JsonObject;
}

interface SessionRecord {
  id: string;
  agent_id: string;
  external_id: string | null;
  transcript_path: string | null;
  started_at: number | null;
  ended_at: number | null;
  data: string;
}

export class SessionsRepo {
  constructor(private readonly db: Connection) {}

  upsert(input: SessionInput): SessionRow {
    const record = this.db.get<SessionRecord>(
      `INSERT INTO sessions (id, agent_id, external_id, transcript_path, started_at, ended_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,
         external_id = COALESCE(excluded.external_id, sessions.external_id),
         transcript_path = COALESCE(excluded.transcript_path, sessions.transcript_path),
         started_at = COALESCE(excluded.started_at, sessions.started_at),
         ended_at = COALESCE(excluded.ended_at, sessions.ended_at),
         data = CASE WHEN ? THEN excluded.data ELSE sessions.data END
       RETURNING *`,
      input.id,
      input.agentId,
      input.externalId ?? null,
      input.transcriptPath ?? null,
      input.startedAt ?? null,
      input.endedAt ?? null,
      writeJson(input.data ?? {}, 'sessions.data'),
      input.data !== undefined,
    );
    return this.toRow(record!);
  }

  get(id: string): SessionRow | undefined {
    const record = this.db.get<SessionRecord>('SELECT * FROM sessions WHERE id = ?', id);
    return record && this.toRow(record);
  }

  getByExternalId(externalId: string): SessionRow | undefined {
    const record = this.db.get<SessionRecord>('SELECT * FROM sessions WHERE external_id = ?', externalId);
    return record && this.toRow(record);
  }

  /** Newest first (sessions not yet started last). */
  listByAgent(agentId: string): SessionRow[] {
    return this.db
      .all<SessionRecord>('SELECT * FROM sessions WHERE agent_id = ? ORDER BY started_at DESC NULLS LAST, id', agentId)
      .map((r) => this.toRow(r));
  }

  private toRow(r: SessionRecord): SessionRow {
    return {
      id: r.id,
      agentId: r.agent_id,
      externalId: r.external_id,
      transcriptPath: r.transcript_path,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      data: readJsonObject(r.data, `sessions.data of ${r.id}`, this.db.log),
    };
  }
}
