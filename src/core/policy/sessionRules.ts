// "Always allow for this session" rules: kept in memory only (never written anywhere), layered last over the
// policy, and dropped when the agent's session ends, it starts another session, or the agent is removed.
import { isEnded } from '../statusMachine';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { AgentSnapshot } from '../../shared/agent';
import type { PolicyFile, PolicyRule } from '../../shared/policy';

export interface SessionRule {
  readonly rule: PolicyRule;
  readonly agentId: string;
  readonly agentName: string;
  /** The session the rule belongs to; undefined when the agent had not reported one. */
  readonly sessionId: string | undefined;
  readonly addedAt: number;
}

export class SessionRules implements Disposable {
  private readonly rules = new Map<string, SessionRule>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;

  /** Adds a rule, replacing one with the same id. */
  add(entry: SessionRule): void {
    this.rules.set(entry.rule.id, entry);
    this._onDidChange.fire();
  }

  list(): SessionRule[] {
    return [...this.rules.values()].sort((a, b) => a.addedAt - b.addedAt);
  }

  get(ruleId: string): SessionRule | undefined {
    return this.rules.get(ruleId);
  }

  remove(ruleId: string): boolean {
    const removed = this.rules.delete(ruleId);
    if (removed) this._onDidChange.fire();
    return removed;
  }

  /** Drops the agent's rules, all of them or (with `keepSessionId`) those of its other sessions. Returns how many. */
  pruneAgent(agentId: string, keepSessionId?: string): number {
    let count = 0;
    for (const [id, entry] of this.rules) {
      if (entry.agentId === agentId && (keepSessionId === undefined || entry.sessionId !== keepSessionId)) {
        this.rules.delete(id);
        count++;
      }
    }
    if (count > 0) this._onDidChange.fire();
    return count;
  }

  /** The rules as the last policy layer. */
  asPolicy(): PolicyFile {
    return { rules: this.list().map((e) => e.rule) };
  }

  dispose(): void {
    this.rules.clear();
    this._onDidChange.dispose();
  }
}

/** What the pruning needs from the fleet (Fleet fits it). */
export interface FleetEvents {
  readonly onDidChangeAgent: Event<AgentSnapshot>;
  readonly onDidRemoveAgent: Event<string>;
}

/** Ends session rules with their session: the agent ended, moved to a new session, or was removed. */
export function pruneSessionRulesWithFleet(fleet: FleetEvents, rules: SessionRules): Disposable {
  const changed = fleet.onDidChangeAgent((agent) => {
    if (isEnded(agent.status)) rules.pruneAgent(agent.id);
    else if (agent.sessionId !== undefined) rules.pruneAgent(agent.id, agent.sessionId);
  });
  const removed = fleet.onDidRemoveAgent((id) => rules.pruneAgent(id));
  return {
    dispose: () => {
      changed.dispose();
      removed.dispose();
    },
  };
}
