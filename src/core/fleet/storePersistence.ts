// Keeps the fleet in the SQLite store: one agents row per agent, the snapshot in its data column.
// Reads are tolerant: a row that no longer fits the snapshot schema is logged and skipped, never a crash.
import type { FleetStore } from '../store/store';
import type { Logger } from '../log';
import { AgentSnapshotSchema } from '../../shared/agent';
import type { AgentRecord, FleetPersistence } from './fleet';

export class StoreFleetPersistence implements FleetPersistence {
  /** @param workspace agents belong to the window (workspace) that started them. */
  constructor(
    private readonly store: FleetStore,
    private readonly workspace: string,
    private readonly log: Logger,
  ) {}

  loadAgents(): AgentRecord[] {
    const records: AgentRecord[] = [];
    for (const row of this.store.listAgents()) {
      if (row.data.workspace !== this.workspace) continue;
      const parsed = AgentSnapshotSchema.safeParse(row.data.snapshot);
      if (!parsed.success || typeof row.data.tokenHash !== 'string') {
        const field = parsed.success ? 'tokenHash' : parsed.error.issues[0]?.path.join('.');
        this.log.warn(`stored agent ${row.id} (${row.name}) skipped: its data does not fit (${field})`);
        continue;
      }
      records.push({ snapshot: parsed.data, tokenHash: row.data.tokenHash });
    }
    return records;
  }

  saveAgent(record: AgentRecord): void {
    const s = record.snapshot;
    this.store.upsertAgent({
      id: s.id,
      name: s.name,
      kind: s.kind,
      groupName: s.group ?? null,
      status: s.status,
      data: { snapshot: s, tokenHash: record.tokenHash, workspace: this.workspace },
    });
  }

  deleteAgent(id: string): void {
    this.store.deleteAgent(id);
  }
}
