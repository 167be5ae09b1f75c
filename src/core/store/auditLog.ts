// The audit log: append-only (SQLite triggers refuse UPDATE and DELETE) and hash-chained (auditHash.ts), so
// any edit, insertion or removal inside the chain is found by verify(). Removing the newest rows is only
// detectable against a head (seq + hash) kept elsewhere: see head().
import type { Connection } from './connection';
import { auditHash, canonicalJson, GENESIS_HASH } from './auditHash';
import { readJson } from './jsonColumn';

export interface AuditRow {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  agentId: string | null;
  subject: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditInput {
  actor: string;
  action: string;
  agentId?: string;
  subject?: string;
  data?: unknown;
  ts?: number;
}

export type AuditVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | undefined }
  | { ok: false; count: number; firstBrokenSeq: number; reason: string };

interface AuditRecord {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  agent_id: string | null;
  subject: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

const PAGE = 500;

export class AuditLog {
  constructor(private readonly db: Connection) {}

  append(input: AuditInput): AuditRow {
    for (const field of ['actor', 'action'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '') {
        throw new TypeError(`audit ${field} must be a non-empty string`);
      }
    }
    const data = canonicalJson(input.data ?? null);
    const ts = input.ts ?? this.db.now();
    const append = () =>
      this.db.transaction(() => {
        // Inside BEGIN IMMEDIATE: no other writer can append between reading the head and inserting.
        const last = this.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
        const fields = {
          seq: (last?.seq ?? 0) + 1,
          ts,
          actor: input.actor,
          action: input.action,
          agentId: input.agentId ?? null,
          subject: input.subject ?? null,
          data,
          prevHash: last?.hash ?? GENESIS_HASH,
        };
        const hash = auditHash(fields);
        this.db.run(
          `INSERT INTO audit (seq, ts, actor, action, agent_id, subject, data, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ...[fields.seq, ts, fields.actor, fields.action, fields.agentId, fields.subject, data, fields.prevHash, hash],
        );
        return { ...fields, data: JSON.parse(data) as unknown, hash };
      });
    // Durability: the store runs synchronous=NORMAL, which in WAL mode survives a process crash but can lose the
    // newest commits on power loss or an OS crash. An audit row records a human decision or a security-relevant
    // action, so it is committed with synchronous=FULL (the WAL is fsynced at this commit). Appends are rare
    // (per decision, not per token), so the extra fsync costs little; bench/store.ts measures it. SQLite refuses
    // to change the level inside a transaction: an append nested in a caller's transaction gets its durability.
    if (this.db.driver.inTransaction) return append();
    this.db.exec('PRAGMA synchronous = FULL');
    try {
      return append();
    } finally {
      this.db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  head(): { seq: number; hash: string } | undefined {
    const last = this.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    // A plain object: node:sqlite hands back null-prototype rows.
    return last && { seq: last.seq, hash: last.hash };
  }

  count(): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM audit')?.n ?? 0;
  }

  /** Newest first, for views. */
  list(options: { agentId?: string; beforeSeq?: number; limit?: number } = {}): AuditRow[] {
    const limit = Math.max(1, Math.trunc(options.limit ?? 100));
    const before = options.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const records =
      options.agentId === undefined
        ? this.db.all<AuditRecord>('SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?', before, limit)
        : this.db.all<AuditRecord>(
            'SELECT * FROM audit WHERE agent_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
            options.agentId,
            before,
            limit,
          );
    return records.map((r) => this.toRow(r));
  }

  /** Walks the whole chain in seq order, recomputing every hash. */
  verify(): AuditVerification {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    for (const r of this.records(Number.MIN_SAFE_INTEGER)) {
      const broken = (firstBrokenSeq: number, reason: string): AuditVerification => ({ ok: false, count, firstBrokenSeq, reason });
      if (r.seq !== expectedSeq) {
        return broken(expectedSeq, `seq ${expectedSeq} is missing: the row after seq ${expectedSeq - 1} is seq ${r.seq}`);
      }
      if (r.prev_hash !== prevHash) {
        return broken(r.seq, `prev_hash of seq ${r.seq} does not match the hash of the row before it`);
      }
      const fields = { ...r, agentId: r.agent_id, prevHash: r.prev_hash };
      if (auditHash(fields) !== r.hash) {
        return broken(r.seq, `hash of seq ${r.seq} does not match its contents: the row was altered`);
      }
      prevHash = r.hash;
      expectedSeq++;
      count++;
    }
    return { ok: true, count, head: count ? { seq: expectedSeq - 1, hash: prevHash } : undefined };
  }

  /** Every row in seq order (after afterSeq), read page by page: suits writing JSONL of any size. */
  *export(afterSeq = 0): Generator<AuditRow> {
    for (const r of this.records(afterSeq)) yield this.toRow(r);
  }

  private *records(afterSeq: number): Generator<AuditRecord> {
    let after = afterSeq;
    for (;;) {
      const page = this.db.all<AuditRecord>('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?', after, PAGE);
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.seq;
    }
  }

  private toRow(r: AuditRecord): AuditRow {
    return {
      seq: r.seq,
      ts: r.ts,
      actor: r.actor,
      action: r.action,
      agentId: r.agent_id,
      subject: r.subject,
      data: readJson(r.data, null, `audit.data of seq ${r.seq}`, this.db.log),
      prevHash: r.prev_hash,
      hash: r.hash,
    };
  }
}
