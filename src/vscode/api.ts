// What activate() returns: a small read-only window into the running extension, used by the in-host tests
// and by other extensions that want to observe the fleet.
import type { AgentSnapshot } from '../shared/agent';
import type { PendingApproval } from '../shared/approval';
import type { Event } from '../core/events';

export interface FlotillaApi {
  readonly activationMs: number;
  readonly storeDriver: 'better-sqlite3' | 'node:sqlite';
  readonly bridgePort: number;
  agents(): AgentSnapshot[];
  pendingApprovals(): PendingApproval[];
  readonly onDidChangeAgent: Event<AgentSnapshot>;
}
