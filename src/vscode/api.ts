// What activate() returns: a small read-only window into the running extension, used by the in-host tests
// and by other extensions that want to observe the fleet.
import type { AgentSnapshot } from '../shared/agent';
import type { PendingApproval } from '../shared/approval';
import type { Event } from '../core/events';

export interface FlotillaApi {
  /** Time spent inside activate() until it returned; the fleet starts right after. */
  readonly activationMs: number;
  /** Settles once the fleet has started (store open, bridge listening): true, or false when it could not start. */
  readonly ready: Promise<boolean>;
  /** Undefined until ready. */
  readonly storeDriver: 'better-sqlite3' | 'node:sqlite' | undefined;
  /** Undefined until ready. */
  readonly bridgePort: number | undefined;
  /** Empty until ready. */
  agents(): AgentSnapshot[];
  pendingApprovals(): PendingApproval[];
  readonly onDidChangeAgent: Event<AgentSnapshot>;
}
