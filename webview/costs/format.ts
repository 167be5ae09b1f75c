// How the Costs panel writes money, tokens and budgets: short in cells, exact in tooltips.
export function money(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

export const exactMoney = (usd: number): string => `$${usd.toFixed(6)}`;

export function tokens(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** "$1.20 of $5 (24 %)" for a dollar budget; the budget's text otherwise. */
export function budgetUse(spent: number, budget: { text: string; usd?: number } | undefined): string {
  if (!budget) return '';
  if (budget.usd === undefined) return budget.text;
  return `${money(spent)} of ${budget.text} (${Math.round((spent / budget.usd) * 100)} %)`;
}
