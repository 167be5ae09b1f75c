// The words for an agent paused at the model API's quota wall: "paused — quota until 14:05" (local time; a reset on
// another day names the day), "quota should have reset at 14:05" once that time has passed, and "paused — quota
// (reset time unknown)" when the agent named none. vscode-free, tested in plain Node.
import type { AgentSnapshot } from '../shared/agent';

export type QuotaPause = NonNullable<AgentSnapshot['quotaPause']>;

/** What Resume types into the agent's session. */
export const QUOTA_RESUME_PROMPT = 'continue';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** "14:05" on the same local day as `now`, else "Dec 1 14:05" (and the year when it differs). */
export function resetClock(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) return time;
  const year = d.getFullYear() === today.getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}${year} ${time}`;
}

/** The reset time has come (Resume is offered from then on). */
export function quotaResetPassed(pause: QuotaPause, now: number): boolean {
  return pause.until !== undefined && now >= pause.until;
}

/** The row's state words. */
export function quotaRowText(pause: QuotaPause, now: number): string {
  if (pause.until === undefined) return 'paused — quota (reset time unknown)';
  if (quotaResetPassed(pause, now)) return `quota should have reset at ${resetClock(pause.until, now)} — resume`;
  return `paused — quota until ${resetClock(pause.until, now)}`;
}

/** The tooltip's sentence after the API's message (which the caller shows as text). */
export function quotaAdvice(pause: QuotaPause, now: number): string {
  if (pause.until === undefined) return 'The agent did not say when the quota resets: Resume After Quota (its menu or the notification) once you think it has.';
  if (quotaResetPassed(pause, now)) return `The quota should have reset at ${resetClock(pause.until, now)}: Resume After Quota (its menu or the notification).`;
  return `It resets at ${resetClock(pause.until, now)}; then a notification offers Resume (sends "continue" into its session; also Resume After Quota in its menu).`;
}
