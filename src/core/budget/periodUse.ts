// What an agent used in a budget's period, from its snapshot alone (the gate, the row and the watch agree): since it
// started (total), since local midnight (day) or since its task's prompt (task), in dollars, tokens, active time and
// wall-clock time. A day or task counts from the agent's totals at its mark (AgentSnapshot.budgetMarks).
import type { AgentSnapshot, BudgetLimits, BudgetMark, BudgetPeriod } from '../../shared/agent';

export interface Totals {
  usd: number;
  tokens: number;
  /** Active time (working, waiting for approval). */
  timeMs: number;
  /** Wall-clock time, idle and paused time included. */
  wallMs: number;
}

export const periodOf = (limits: BudgetLimits | undefined): BudgetPeriod => limits?.period ?? 'total';

export const tokensOf = (a: AgentSnapshot): number => a.usage.input + a.usage.output + a.usage.cacheRead + a.usage.cacheWrite;

/** Active time up to `now`: the finished stretches plus the one running. */
export const activeMsAt = (a: AgentSnapshot, now: number): number => a.activeMs + (a.activeSince !== undefined ? Math.max(0, now - a.activeSince) : 0);

const startOf = (a: AgentSnapshot): number => a.startedAt ?? a.createdAt;
const endOf = (a: AgentSnapshot, now: number): number => a.endedAt ?? now;

/** Local midnight at or before `t` (the host's time zone; a DST day has 23 or 25 hours). */
export function localDayStart(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The next local midnight after `t`. */
export function nextLocalDayStart(t: number): number {
  const d = new Date(localDayStart(t));
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** The agent's totals now, as a mark would record them. */
export function markAt(a: AgentSnapshot, now: number): BudgetMark {
  return { since: now, usd: a.costUsd, tokens: tokensOf(a), activeMs: activeMsAt(a, now) };
}

/**
 * The day's mark in force at `now`: the stored one when it is today's; a mark from an earlier day (the watch rolls it
 * at midnight) or none counts today from the totals now, except an agent started today, whose whole use is today's.
 */
export function dayMark(a: AgentSnapshot, now: number): BudgetMark {
  const today = localDayStart(now);
  const mark = a.budgetMarks?.day;
  if (mark && mark.since >= today) return mark;
  if (startOf(a) >= today) return { since: startOf(a), usd: 0, tokens: 0, activeMs: 0 };
  return { ...markAt(a, now), since: today };
}

/** The current task's mark; none: the task began with the agent. */
export function taskMark(a: AgentSnapshot): BudgetMark {
  return a.budgetMarks?.task ?? { since: startOf(a), usd: 0, tokens: 0, activeMs: 0 };
}

/** What identifies the period the use belongs to ("total", the day's start, the task's start): alerts once per period. */
export function periodKey(a: AgentSnapshot, period: BudgetPeriod, now: number): string {
  switch (period) {
    case 'total':
      return 'total';
    case 'day':
      return `day@${localDayStart(now)}`;
    case 'task':
      return `task@${taskMark(a).since}`;
  }
}

/** The agent's use in `period` up to `now` (never below zero). */
export function useIn(a: AgentSnapshot, period: BudgetPeriod, now: number): Totals {
  const end = Math.max(endOf(a, now), startOf(a));
  const mark = period === 'day' ? dayMark(a, now) : period === 'task' ? taskMark(a) : { since: startOf(a), usd: 0, tokens: 0, activeMs: 0 };
  return {
    usd: Math.max(0, a.costUsd - mark.usd),
    tokens: Math.max(0, tokensOf(a) - mark.tokens),
    timeMs: Math.max(0, activeMsAt(a, now) - mark.activeMs),
    wallMs: Math.max(0, end - Math.max(mark.since, startOf(a))),
  };
}
