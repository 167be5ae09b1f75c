// Parses the budget a user types when launching an agent: "$5", "30m", "2h", "200k tokens", or several
// separated by commas ("$5, 30m"). Returns a clear message for anything else.
import type { BudgetLimits } from '../shared/agent';

export type BudgetParse = { ok: true; limits: BudgetLimits | undefined } | { ok: false; message: string };

export function parseBudgetInput(text: string): BudgetParse {
  const limits: { timeMs?: number; tokens?: number; usd?: number } = {};
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^\$\s*(\d+(?:\.\d+)?)$/))) {
      limits.usd = Number(m[1]);
    } else if ((m = part.match(/^(\d+(?:\.\d+)?)\s*(s|m|min|h)$/i))) {
      const unit = m[2]!.toLowerCase();
      limits.timeMs = Number(m[1]) * (unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : 60_000);
    } else if ((m = part.match(/^(\d+(?:\.\d+)?)\s*([kM]?)\s*tokens?$/))) {
      limits.tokens = Math.round(Number(m[1]) * (m[2] === 'k' ? 1000 : m[2] === 'M' ? 1_000_000 : 1));
    } else {
      return { ok: false, message: `'${part}' is not a budget: use $5, 30m, 2h or 200k tokens, separated by commas` };
    }
  }
  for (const [key, value] of Object.entries(limits)) {
    if (!(value > 0)) return { ok: false, message: `the ${key} budget must be more than zero` };
  }
  return { ok: true, limits: parts.length === 0 ? undefined : limits };
}
