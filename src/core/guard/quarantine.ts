// Quarantine with its audit trail: Flotilla puts an agent in quarantine (every tool call then waits for a human,
// see policyGate) and only the user releases it. Both moves are recorded in the hash-chained audit log.
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import type { AuditInput } from '../store/auditLog';
import type { AgentSnapshot } from '../../shared/agent';

export interface QuarantineDeps {
  readonly fleet: Pick<Fleet, 'get' | 'list' | 'quarantine' | 'release'>;
  readonly appendAudit: (entry: AuditInput) => void;
  readonly log: Logger;
  readonly now?: () => number;
}

export type ReleaseResult = { ok: true; agent: AgentSnapshot } | { ok: false; reason: string };

export class Quarantines {
  constructor(private readonly deps: QuarantineDeps) {}

  /** Agents in quarantine now. */
  list(): AgentSnapshot[] {
    return this.deps.fleet.list().filter((a) => a.quarantine !== undefined);
  }

  /** Quarantines the agent (or adds evidence to its quarantine) and audits it. */
  quarantine(agentId: string, reason: string, evidence: readonly string[]): AgentSnapshot | undefined {
    const agent = this.deps.fleet.quarantine(agentId, reason, evidence);
    if (!agent) return undefined;
    this.deps.log.warn(`${agent.name} quarantined: ${reason}`);
    this.audit({ actor: 'flotilla', action: 'quarantine.entered', agentId, subject: reason.slice(0, 500), data: { reason, evidence } });
    return agent;
  }

  /** The user ends the quarantine: the agent's actions follow the policy again. */
  release(agentId: string): ReleaseResult {
    const agent = this.deps.fleet.get(agentId);
    if (!agent) return { ok: false, reason: 'that agent is no longer in the fleet' };
    const was = agent.quarantine;
    if (!was || !this.deps.fleet.release(agentId)) return { ok: false, reason: `${agent.name} is not quarantined` };
    const heldMs = (this.deps.now ?? Date.now)() - was.since;
    this.deps.log.info(`${agent.name} released from quarantine by the user (held ${Math.round(heldMs / 1000)} s)`);
    this.audit({ actor: 'user', action: 'quarantine.released', agentId, subject: was.reason.slice(0, 500), data: { reason: was.reason, evidence: was.evidence, since: was.since, heldMs } });
    return { ok: true, agent: this.deps.fleet.get(agentId) ?? agent };
  }

  private audit(entry: AuditInput): void {
    try {
      this.deps.appendAudit(entry);
    } catch (err) {
      this.deps.log.error(`could not audit ${entry.action}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
