// Versioned schema migrations keyed on PRAGMA user_version: each step runs in its own transaction, reopening a
// migrated file does nothing, and a file from a newer Flotilla is refused untouched.
import type { SqlDriver } from './driver';
import { StoreVersionError } from './errors';
import { SCHEMA_V1 } from './schemaV1';
import { SCHEMA_V2_SPANS } from './schemaV2Spans';
import { SCHEMA_V3_REMOTE_FRAMES } from './schemaV3RemoteFrames';
import { SCHEMA_V4_USAGE_REQUESTS } from './schemaV4UsageRequests';
import { SCHEMA_V5_USAGE_REQUESTS_AT } from './schemaV5UsageRequestsAt';
import { SCHEMA_V6_SUBAGENTS } from './schemaV6Subagents';

export interface Migration {
  version: number;
  description: string;
  up(db: SqlDriver): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'agents, sessions, spans, usage, approvals, budgets, audit', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, description: 'spans outlive their agent (no foreign key), indexed by status', up: (db) => db.exec(SCHEMA_V2_SPANS) },
  { version: 3, description: 'remote frame journal and remote sessions (ack after the write)', up: (db) => db.exec(SCHEMA_V3_REMOTE_FRAMES) },
  { version: 4, description: 'usage per model request (re-priced when prices change)', up: (db) => db.exec(SCHEMA_V4_USAGE_REQUESTS) },
  { version: 5, description: 'usage requests by time (the Costs view reads a period)', up: (db) => db.exec(SCHEMA_V5_USAGE_REQUESTS_AT) },
  { version: 6, description: 'usage requests name their subagent; store facts (the price catalog of the stored costs)', up: (db) => db.exec(SCHEMA_V6_SUBAGENTS) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersionOf(db: SqlDriver): number {
  return Number(db.prepare('PRAGMA user_version').get<{ user_version: number }>()?.user_version ?? 0);
}

/** Brings the file up to SCHEMA_VERSION; returns the version it found and the one it left. */
export function migrate(db: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const from = schemaVersionOf(db);
  if (from > known) throw new StoreVersionError(db.path, from, known);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      // Re-read under the write lock: another window may have run this step since we looked.
      const current = schemaVersionOf(db);
      if (current > known) throw new StoreVersionError(db.path, current, known);
      if (current >= migration.version) return;
      migration.up(db);
      db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
    });
  }
  return { from, to: schemaVersionOf(db) };
}
