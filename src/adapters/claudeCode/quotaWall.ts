// Reads Claude Code's StopFailure at the model API's quota wall: which errors are a rate or usage limit, and the
// reset time when Claude Code's message names one. Verified on 2.1.197 (test/unit/claudeCode/quota/*.recorded.json):
// - API key over a rate limit: `error: "rate_limit"` after its retries, message "API Error: Request rejected (429) ·
//   <the API's message>" — no reset time anywhere in the payload or the transcript;
// - subscription at its usage limit: `error: "rate_limit"` at once, message "You've hit your session limit · resets
//   1:04pm (Europe/Berlin)", or with a day when the reset is more than 24 h away: "resets Dec 1, 4:04pm (Europe/Berlin)"
//   (and the year when it is another year). The time is the CLI's local time in the zone it names.
// A time that cannot be read exactly is not guessed: the reset stays unknown.
import { epochOfWallTime, wallTimeIn } from '../../shared/zonedTime';

/** StopFailure `error` values that mean a rate or usage limit (billing_error: "usage limit reached — check plan"). */
const QUOTA_ERRORS: ReadonlySet<string> = new Set(['rate_limit', 'billing_error']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RESETS = /\bresets (?:([A-Z][a-z]{2}) (\d{1,2}), (?:(\d{4}), )?)?(\d{1,2})(?::(\d{2}))?(am|pm) \(([A-Za-z0-9_+\-/]{1,64})\)/;
const DAY_MS = 86_400_000;

export interface QuotaWall {
  /** The reset time Claude Code named (epoch ms), when it named one that reads exactly. */
  readonly resetsAt?: number;
}

/** The quota wall an API error reports, or undefined when the error is something else (auth, server, overload). */
export function quotaWallOf(error: string, message: string | undefined, now: number): QuotaWall | undefined {
  if (!QUOTA_ERRORS.has(error)) return undefined;
  const resetsAt = message === undefined ? undefined : resetTimeIn(message, now);
  return resetsAt !== undefined ? { resetsAt } : {};
}

/** The moment a "resets <time> (<zone>)" in Claude Code's message names, read at `now`; undefined if none or unclear. */
export function resetTimeIn(message: string, now: number): number | undefined {
  const m = RESETS.exec(message);
  if (!m) return undefined;
  const [, monthName, dayText, yearText, hourText, minuteText, half, zone] = m;
  const hour12 = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return undefined;
  const hour = (hour12 % 12) + (half === 'pm' ? 12 : 0);
  const today = wallTimeIn(now, zone!);
  if (!today) return undefined;
  if (monthName === undefined) {
    // Within 24 h: the first time that wall time comes round, from the moment the message was written.
    const at = epochOfWallTime({ year: today.year, month: today.month, day: today.day, hour, minute }, zone!);
    if (at === undefined) return undefined;
    return at <= now - 60_000 ? epochOfWallTime(wallDayAfter(at, zone!, hour, minute), zone!) : at;
  }
  const month = MONTHS.indexOf(monthName) + 1;
  if (month === 0) return undefined;
  return epochOfWallTime({ year: yearText === undefined ? today.year : Number(yearText), month, day: Number(dayText), hour, minute }, zone!);
}

function wallDayAfter(at: number, zone: string, hour: number, minute: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const next = wallTimeIn(at + DAY_MS, zone)!;
  return { year: next.year, month: next.month, day: next.day, hour, minute };
}

/**
 * Claude Code 2.1.197's terminal opens a "What do you want to do? 1. Stop and wait for limit to reset" dialog at a
 * usage limit, which swallows a typed prompt (Enter picks "Stop and wait"). Escape then Enter (what Send Prompt of
 * ESC sends) closes it, and does nothing at an empty prompt: verified in a terminal both with the dialog up and
 * dismissed, "continue" then reached the model.
 */
export const CLOSE_CLAUDE_DIALOG = '\x1b';
