// Approval requests: an agent's risky tool call waiting for (or given) a decision. A decision is a
// compare-and-set on status = 'pending', so the UI, the terminal and a timeout cannot both decide one request.
import type { Connection } from './connection';
import { readJson, writeJson } from './jsonColumn';

export const APPROVAL_STATUSES = ['pending', 'allowed', 'denied', 'expired', 'stale'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export type ApprovalDecision = Exclude<ApprovalStatus, 'pending'>;
const DECISIONS: readonly string[] = APPROVAL_STATUSES.filter((s) => s !== 'pending');

export interface ApprovalRow {
  id: string;
  agentId: string;
  sessionId: string | null;
  tool: string;
  input: unknown;
  tier: string;
  rule: string | null;
  status: ApprovalStatus;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  reason: string | null;
}

export interface ApprovalInput {
  id: string;
  agentId: string;
  sessionId?: string;
  tool: string;
  input: unknown;
  tier: string;
  rule?: string;
  createdAt?: number;
}

export interface DecideApprovalInput {
  status: ApprovalDecision;
  decidedBy: string;
  reason?: string;
  decidedAt?: number;
}

export interface ListApprovalsOptions {
  status?: ApprovalStatus;
  agentId?: string;
  /** Default 200. */
  limit?: number;
}

interface ApprovalRecord {
  id: string;
  agent_id: string;
  session_id: string | null;
  tool: string;
  input: string;
  tier: string;
  rule: string | null;
  status: string;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  reason: string | null;
}

export class ApprovalsRepo {
  constructor(private readonly db: Connection) {}

  insert(input: ApprovalInput): ApprovalRow {
    const record = this.db.get<ApprovalRecord>(
      `INSERT INTO approvals (id, agent_id, session_id, tool, input, tier, rule, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING *`,
      input.id,
      input.agentId,
      input.sessionId,
      input.tool,
      writeJson(input.input, 'approvals.input'),
      input.tier,
      input.rule,
      input.createdAt ?? this.db.now(),
    );
    return this.toRow(record!);
  }

  /** Decides a pending request; undefined when there is no such request or it was already decided. */
  decide(id: string, decision: DecideApprovalInput): ApprovalRow | undefined {
    if (!DECISIONS.includes(decision.status)) {
      throw new RangeError(`approval decision status must be one of allowed/denied/expired/stale, got ${String(decision.status)}`);
    }
    const record = this.db.get<ApprovalRecord>(
      `UPDATE approvals SET status = ?, decided_at = ?, decided_by = ?, reason = ?
       WHERE id = ? AND status = 'pending' RETURNING *`,
      decision.status,
      decision.decidedAt ?? this.db.now(),
      decision.decidedBy,
      decision.reason,
      id,
    );
    return record && this.toRow(record);
  }

  get(id: string): ApprovalRow | undefined {
    const record = this.db.get<ApprovalRecord>('SELECT * FROM approvals WHERE id = ?', id);
    return record && this.toRow(record);
  }

  /** Oldest first, so a queue of pending requests reads in arrival order. */
  list(options: ListApprovalsOptions = {}): ApprovalRow[] {
    const limit = Math.max(1, Math.trunc(options.limit ?? 200));
    // Only the filters given go into the SQL, so SQLite can use the (status, created_at) index.
    const where: string[] = [];
    const params: string[] = [];
    if (options.status !== undefined) {
      where.push('status = ?');
      params.push(options.status);
    }
    if (options.agentId !== undefined) {
      where.push('agent_id = ?');
      params.push(options.agentId);
    }
    const sql = `SELECT * FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ?`;
    return this.db.all<ApprovalRecord>(sql, ...params, limit).map((r) => this.toRow(r));
  }

  private toRow(r: ApprovalRecord): ApprovalRow {
    return {
      id: r.id,
      agentId: r.agent_id,
      sessionId: r.session_id,
      tool: r.tool,
      input: readJson(r.input, null, `approvals.input of ${r.id}`, this.db.log),
      tier: r.tier,
      rule: r.rule,
      // The CHECK constraint keeps status inside the vocabulary.
      status: r.status as ApprovalStatus,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      decidedBy: r.decided_by,
      reason: r.reason,
    };
  }
}
