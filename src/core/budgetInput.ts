// Parses the budget a user types (New Agent, Set Budget, settings, templates): "$5", "30m" (active time), "2h wall"
// (wall-clock time), "200k tokens", several separated by commas ("$5, 30m"), and a period written once on any part
// ("$5/day", "$1 per task", "200k tokens per task", "$20 total"), which is the whole budget's. Returns a clear
// message, with the accepted forms, for anything else.
import type { BudgetLimits, BudgetPeriod } from '../shared/agent';

export type BudgetParse = { ok: true; limits: BudgetLimits | undefined } | { ok: false; message: string };

/** What the messages offer; also the setting descriptions' wording. */
export const BUDGET_FORMS = '$5, 30m or 2h (active time), 2h wall (wall-clock time), 200k tokens, separated by commas, each with an optional period: /day, per day, /task, per task or total (one period per budget)';

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const USD = new RegExp(String.raw`^\$\s*${NUMBER}$`);
const TIME = new RegExp(String.raw`^${NUMBER}\s*(s|sec|m|min|h|hr)(?:\s+(wall|wall-clock|wall clock))?$`, 'i');
const TOKENS = new RegExp(String.raw`^${NUMBER}\s*([kKmM]?)\s*tokens?$`);
const PERIOD = /^(.*?)\s*(?:\/\s*|\s(?:per|a)\s+)([A-Za-z]+)$/;
const TOTAL = /^(.*?)\s+(?:total|in total)$/i;
const PERIODS: Record<string, BudgetPeriod> = { day: 'day', task: 'task', total: 'total' };

const unitMs = (unit: string): number => {
  const u = unit.toLowerCase();
  return u.startsWith('s') ? 1000 : u.startsWith('h') ? 3_600_000 : 60_000;
};

/** One part's period suffix split off ("$5/day" -> "$5", day); an unknown period is an error. */
function splitPeriod(part: string): { ok: true; rest: string; period: BudgetPeriod | undefined } | { ok: false; message: string } {
  const total = part.match(TOTAL);
  if (total) return { ok: true, rest: total[1]!, period: 'total' };
  const m = part.match(PERIOD);
  if (!m) return { ok: true, rest: part, period: undefined };
  const period = PERIODS[m[2]!.toLowerCase()];
  if (!period) return { ok: false, message: `'${m[2]}' in '${part}' is not a budget period: use /day, per day, /task, per task or total` };
  return { ok: true, rest: m[1]!, period };
}

export function parseBudgetInput(text: string): BudgetParse {
  const limits: BudgetLimits = {};
  let period: { value: BudgetPeriod; part: string } | undefined;
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    const split = splitPeriod(part);
    if (!split.ok) return split;
    if (split.period) {
      if (period && period.value !== split.period) {
        return { ok: false, message: `'${period.part}' and '${part}' have different periods: a budget has one period (write it once, e.g. "$5, 2h/day"; a budget per task and a total are two budgets)` };
      }
      period = { value: split.period, part };
    }
    const amount = split.rest.trim();
    let m: RegExpMatchArray | null;
    if ((m = amount.match(USD))) {
      limits.usd = Number(m[1]);
    } else if ((m = amount.match(TIME))) {
      const ms = Number(m[1]) * unitMs(m[2]!);
      if (m[3]) limits.wallMs = ms;
      else limits.timeMs = ms;
    } else if ((m = amount.match(TOKENS))) {
      const unit = m[2]!.toLowerCase();
      limits.tokens = Math.round(Number(m[1]) * (unit === 'k' ? 1000 : unit === 'm' ? 1_000_000 : 1));
    } else {
      return { ok: false, message: `'${part}' is not a budget: use ${BUDGET_FORMS}` };
    }
  }
  for (const key of ['usd', 'tokens', 'timeMs', 'wallMs'] as const) {
    const value = limits[key];
    if (value !== undefined && !(value > 0)) return { ok: false, message: `the ${key} budget must be more than zero` };
  }
  if (parts.length > 0 && Object.keys(limits).length === 0) return { ok: false, message: `'${text.trim()}' has no amount: use ${BUDGET_FORMS}` };
  if (period && period.value !== 'total') limits.period = period.value;
  return { ok: true, limits: parts.length === 0 ? undefined : limits };
}
