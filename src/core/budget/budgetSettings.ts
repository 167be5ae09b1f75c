// Reads the group and fleet budgets from settings (`flotilla.budget.fleet`, `flotilla.budget.groups`). A budget is
// either the BudgetLimits object (`{ "usd": 20, "tokens": 2000000, "timeMs": 7200000 }`) or the text New Agent
// accepts (`"$20, 2M tokens, 2h"`). A bad entry is reported naming its setting and field, and left out.
import { z } from 'zod';
import { BudgetLimitsSchema } from '../../shared/agent';
import type { BudgetLimits } from '../../shared/agent';
import { parseBudgetInput } from '../budgetInput';

export interface ScopeBudgets {
  readonly fleet: BudgetLimits | undefined;
  readonly groups: Readonly<Record<string, BudgetLimits>>;
}

export interface ScopeBudgetsRead extends ScopeBudgets {
  /** One message per refused entry, e.g. "flotilla.budget.groups.backend.usd: Too small: expected number to be >0". */
  readonly errors: readonly string[];
}

const LimitsObject = BudgetLimitsSchema.strict();

/** One budget from settings; `where` names it in errors. */
export function readBudgetValue(value: unknown, where: string): { ok: true; limits: BudgetLimits | undefined } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, limits: undefined };
  if (typeof value === 'string') {
    const parsed = parseBudgetInput(value);
    return parsed.ok ? parsed : { ok: false, error: `${where}: ${parsed.message}` };
  }
  const parsed = LimitsObject.safeParse(value);
  if (parsed.success) return { ok: true, limits: Object.keys(parsed.data).length > 0 ? parsed.data : undefined };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  return { ok: false, error: `${where}${field}: ${issue.message} (use usd, tokens, timeMs, or text such as "$20, 2M tokens, 2h")` };
}

export function readScopeBudgets(fleetValue: unknown, groupsValue: unknown, prefix = 'flotilla.budget'): ScopeBudgetsRead {
  const errors: string[] = [];
  const fleet = readBudgetValue(fleetValue, `${prefix}.fleet`);
  if (!fleet.ok) errors.push(fleet.error);
  const groups: Record<string, BudgetLimits> = {};
  const record = z.record(z.string(), z.unknown()).safeParse(groupsValue ?? {});
  if (!record.success) errors.push(`${prefix}.groups: expected an object of group name to budget`);
  else {
    for (const [group, value] of Object.entries(record.data)) {
      const read = readBudgetValue(value, `${prefix}.groups.${group}`);
      if (!read.ok) errors.push(read.error);
      else if (read.limits) groups[group] = read.limits;
    }
  }
  return { fleet: fleet.ok ? fleet.limits : undefined, groups, errors };
}
