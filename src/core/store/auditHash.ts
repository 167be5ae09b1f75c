// The audit chain's hashing, kept apart so an external verifier can reproduce it from an exported JSONL file:
// hash = sha256 hex of the UTF-8 JSON array [seq, ts, actor, action, agent_id, subject, data, prev_hash],
// where data is the stored JSON text (itself canonical JSON: sorted keys, no spaces) and the first prev_hash
// is 64 zeros.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditHashFields {
  seq: unknown;
  ts: unknown;
  actor: unknown;
  action: unknown;
  agentId: unknown;
  subject: unknown;
  /** The JSON text as stored in the data column. */
  data: unknown;
  prevHash: unknown;
}

export function canonicalAuditText(f: AuditHashFields): string {
  return JSON.stringify([f.seq, f.ts, f.actor, f.action, f.agentId, f.subject, f.data, f.prevHash]);
}

export function auditHash(f: AuditHashFields): string {
  return createHash('sha256').update(canonicalAuditText(f), 'utf8').digest('hex');
}

/** JSON with object keys sorted at every depth, so equal values always give the same text (and hash). */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    );
  } catch (err) {
    throw new TypeError(`audit data cannot be stored as JSON (${(err as Error).message})`);
  }
  return text ?? 'null';
}
