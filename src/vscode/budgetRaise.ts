// The Raise Budget… choices of the 100 % notification, vscode-free: +50 % and ×2 of the budget in force, each shown
// as the limits it sets ("$7.50", "$0.075, 45m"), so the figure the user picks is the limit written. Dollars are kept
// to the cent from $1 and to a hundredth of a cent below (a $0.05 budget raised by half is $0.075, not $0.08).
import type { BudgetLimits } from '../shared/agent';
import { budgetText } from '../core/budget/budgetText';
import { formatUsdAmount } from '../core/format';

export interface RaiseChoice {
  readonly label: string;
  /** The new limits as the quick pick shows them. */
  readonly description: string;
  readonly limits: BudgetLimits;
}

/** Rounds a raised dollar limit the way it is stored (see the file comment). */
export function roundUsd(usd: number): number {
  const step = usd >= 1 ? 100 : 10_000;
  return Math.round(usd * step) / step;
}

/** "$7.50", "$10.00", "$0.075": whole cents with two decimals, finer amounts with as many as they need. */
export const usdText = formatUsdAmount;

/** The limits as the choice shows them: dollars by usdText, time and tokens as New Agent's text. */
export function limitsText(limits: BudgetLimits): string {
  const rest = budgetText({ ...limits, usd: undefined, period: undefined });
  const period = limits.period === 'day' ? '/day' : limits.period === 'task' ? ' per task' : '';
  return `${[limits.usd !== undefined ? usdText(limits.usd) : '', rest].filter(Boolean).join(', ')}${period}`;
}

export function scaleLimits(before: BudgetLimits, k: number): BudgetLimits {
  const out: BudgetLimits = {};
  if (before.usd) out.usd = roundUsd(before.usd * k);
  if (before.tokens) out.tokens = Math.round(before.tokens * k);
  if (before.timeMs) out.timeMs = Math.round(before.timeMs * k);
  if (before.wallMs) out.wallMs = Math.round(before.wallMs * k);
  // A budget per day or per task stays one.
  if (before.period && before.period !== 'total') out.period = before.period;
  return out;
}

/** +50 % and ×2 of `before` (the custom amount is the caller's input box). */
export function raiseChoices(before: BudgetLimits): RaiseChoice[] {
  return [
    { label: '+50 %', k: 1.5 },
    { label: '×2', k: 2 },
  ].map(({ label, k }) => {
    const limits = scaleLimits(before, k);
    return { label, description: limitsText(limits), limits };
  });
}
