// Agents: one row per supervised agent. An upsert replaces every field but created_at (the domain owns the
// whole agent object); deleting an agent cascades to its sessions, spans, usage and approvals, never the audit.
import type { Connection } from './connection';
import { readJsonObject, writeJson } from './jsonColumn';
import type { JsonObject } from './jsonColumn';

export interface AgentRow {
  id: string;
  name: string;
  /** e.g. 'claude-code' | 'codex' | 'custom' | 'remote' (validated by the domain, stored as text). */
  kind: string;
  groupName: string | null;
  status: string;
  createdAt: number;
  updatedAt: number;
  data: JsonObject;
}

export interface AgentInput {
  id: string;
  name: string;
  kind: string;
  groupName?: string | null;
  status: string;
  data?: JsonObject;
}

interface AgentRecord {
  id: string;
  name: string;
  kind: string;
  group_name: string | null;
  status: string;
  created_at: number;
  updated_at: number;
  data: string;
}

export class AgentsRepo {
  constructor(private readonly db: Connection) {}

  upsert(input: AgentInput): AgentRow {
    const now = this.db.now();
    const record = this.db.get<AgentRecord>(
      `INSERT INTO agents (id, name, kind, group_name, status, created_at, updated_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, group_name = excluded.group_name,
         status = excluded.status, updated_at = excluded.updated_at, data = excluded.data
       RETURNING *`,
      input.id,
      input.name,
      input.kind,
      input.groupName ?? null,
      input.status,
      now,
      now,
      writeJson(input.data ?? {}, 'agents.data'),
    );
    return this.toRow(record!);
  }

  get(id: string): AgentRow | undefined {
    const record = this.db.get<AgentRecord>('SELECT * FROM agents WHERE id = ?', id);
    return record && this.toRow(record);
  }

  list(filter: { groupName?: string } = {}): AgentRow[] {
    const records =
      filter.groupName === undefined
        ? this.db.all<AgentRecord>('SELECT * FROM agents ORDER BY created_at, id')
        : this.db.all<AgentRecord>('SELECT * FROM agents WHERE group_name = ? ORDER BY created_at, id', filter.groupName);
    return records.map((r) => this.toRow(r));
  }

  /** Sets only the status (the hot path: status changes far more often than anything else). */
  setStatus(id: string, status: string): boolean {
    return this.db.run('UPDATE agents SET status = ?, updated_at = ? WHERE id = ?', status, this.db.now(), id).changes > 0;
  }

  delete(id: string): boolean {
    return this.db.transaction(() => {
      this.db.run(`DELETE FROM budgets WHERE scope = 'agent' AND scope_id = ?`, id);
      return this.db.run('DELETE FROM agents WHERE id = ?', id).changes > 0;
    });
  }

  private toRow(r: AgentRecord): AgentRow {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      groupName: r.group_name,
      status: r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      data: readJsonObject(r.data, `agents.data of ${r.id}`, this.db.log),
    };
  }
}
