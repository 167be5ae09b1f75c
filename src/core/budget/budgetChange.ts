// Set Budget: changes the budget of an agent, a group or the fleet, records the decision in the audit log
// (`budget.set`, before and after) and lets the watch re-check pauses at once, so a raised budget releases them.
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import type { AuditInput } from '../store/auditLog';
import type { BudgetWatch } from './budgetWatch';
import { budgetText } from './budgetText';

export type BudgetTarget = { kind: 'agent'; agentId: string } | { kind: 'group'; group: string } | { kind: 'fleet' };

export interface BudgetChangeDeps {
  readonly watch: BudgetWatch;
  readonly appendAudit: (entry: AuditInput) => void;
  /** Persists a group or fleet budget (the settings); undefined removes it. */
  readonly writeScope: (target: Exclude<BudgetTarget, { kind: 'agent' }>, limits: BudgetLimits | undefined) => Promise<void>;
}

export function currentBudget(watch: BudgetWatch, target: BudgetTarget, agent?: (id: string) => AgentSnapshot | undefined): BudgetLimits | undefined {
  switch (target.kind) {
    case 'agent':
      return agent?.(target.agentId)?.budget;
    case 'group':
      return watch.scopeBudgets.groups[target.group];
    case 'fleet':
      return watch.scopeBudgets.fleet;
  }
}

/** Applies the change; returns what to tell the user, e.g. "Budget of agent-3: $10 (was $5). No longer paused." */
export async function changeBudget(d: BudgetChangeDeps, target: BudgetTarget, limits: BudgetLimits | undefined, who: string, agent: (id: string) => AgentSnapshot | undefined): Promise<string> {
  const before = currentBudget(d.watch, target, agent);
  const pausedBefore = pausedUnder(d, target, agent);
  if (target.kind === 'agent') {
    if (!d.watch.setAgentBudget(target.agentId, limits)) throw new Error(`${who} is no longer in the fleet`);
  } else {
    await d.writeScope(target, limits);
    const now = d.watch.scopeBudgets;
    const groups = { ...now.groups };
    if (target.kind === 'group') {
      if (limits) groups[target.group] = limits;
      else delete groups[target.group];
    }
    d.watch.setScopeBudgets({ ...now, fleet: target.kind === 'fleet' ? limits : now.fleet, groups });
  }
  d.appendAudit({
    actor: 'user',
    action: 'budget.set',
    agentId: target.kind === 'agent' ? target.agentId : undefined,
    subject: who,
    data: { scope: target.kind, group: target.kind === 'group' ? target.group : undefined, before: before ?? null, after: limits ?? null },
  });
  const released = pausedBefore - pausedUnder(d, target, agent);
  const text = `Budget of ${who}: ${budgetText(limits) || 'none'} (was ${budgetText(before) || 'none'}).`;
  return released > 0 ? `${text} ${released === 1 && target.kind === 'agent' ? 'No longer paused.' : `${released} agent${released === 1 ? '' : 's'} no longer paused.`}` : text;
}

function pausedUnder(d: BudgetChangeDeps, target: BudgetTarget, agent: (id: string) => AgentSnapshot | undefined): number {
  if (target.kind === 'agent') return agent(target.agentId)?.budgetPaused ? 1 : 0;
  return d.watch.pausedAgents(target.kind === 'group' ? target.group : undefined).length;
}
