// Today for the budgets per day: where each agent's day begins (its day mark: its totals at local midnight, or after a
// reload its totals less today's stored requests) and today's use of each group and of the fleet, counted once from
// the marks (at start, at midnight, after the store is read) and then kept by the same deltas as the totals, so a
// group's or the fleet's day is not summed over every agent at each usage event.
import type { AgentSnapshot, BudgetMark } from '../../shared/agent';
import { isEnded } from '../statusMachine';
import type { DayUse } from './dayUsage';
import { sumDay } from './periodBudgets';
import { localDayStart, markAt } from './periodUse';
import type { Totals } from './periodUse';

const zero = (): Totals => ({ usd: 0, tokens: 0, timeMs: 0, wallMs: 0 });

/**
 * The day mark to set on `agent` at `now`, or undefined to leave it: an ended agent, one with a mark of today, or one
 * started today (all it used is today's) keeps what it has, unless `stored` (today's use per agent from the store)
 * is given: then every live agent's mark is its totals less what the store has for today.
 */
export function dayMarkFor(agent: AgentSnapshot, now: number, stored?: ReadonlyMap<string, DayUse>): BudgetMark | undefined {
  const today = localDayStart(now);
  if (isEnded(agent.status)) return undefined;
  const startedToday = (agent.startedAt ?? agent.createdAt) >= today;
  const kept = agent.budgetMarks?.day;
  if (!stored && ((kept?.since ?? -Infinity) >= today || startedToday)) return undefined;
  const mark = { ...markAt(agent, now), since: today };
  if (stored) {
    // Today's dollars and tokens are the stored requests'; active time today is known only from a mark of today
    // (kept in the snapshot) or for an agent started today.
    const before = stored.get(agent.id);
    mark.usd = Math.max(0, agent.costUsd - (before?.usd ?? 0));
    mark.tokens = Math.max(0, mark.tokens - (before?.tokens ?? 0));
    if (kept && kept.since >= today) mark.activeMs = kept.activeMs;
    else if (startedToday) mark.activeMs = 0;
  }
  return mark;
}

export class DayLedger {
  private use = new Map<string, Totals>();
  private day = -1;

  /** Counts today's use per group and of the fleet from the agents' marks. */
  recount(agents: readonly AgentSnapshot[], now: number): void {
    this.day = localDayStart(now);
    const next = new Map<string, Totals>([['fleet', sumDay(agents, now)]]);
    for (const group of new Set(agents.flatMap((a) => (a.group !== undefined ? [a.group] : [])))) next.set(`group:${group}`, sumDay(agents.filter((a) => a.group === group), now));
    this.use = next;
  }

  /** Whether `now` is still the day counted (else recount: a day that began without the timer, a sleeping machine). */
  isToday(now: number): boolean {
    return localDayStart(now) === this.day;
  }

  /** Adds an agent's growth to its group's and the fleet's day. */
  add(group: string | undefined, delta: Totals): void {
    for (const key of group !== undefined ? ['fleet', `group:${group}`] : ['fleet']) {
      const day = this.use.get(key) ?? zero();
      day.usd += delta.usd;
      day.tokens += delta.tokens;
      day.timeMs += delta.timeMs;
      day.wallMs += delta.wallMs;
      this.use.set(key, day);
    }
  }

  readonly of = (scope: { kind: 'group'; group: string } | { kind: 'fleet' }): Totals => this.use.get(scope.kind === 'fleet' ? 'fleet' : `group:${scope.group}`) ?? zero();
}
