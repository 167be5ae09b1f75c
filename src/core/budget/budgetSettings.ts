// Reads the group and fleet budgets and the alert thresholds from settings (`flotilla.budget.fleet`,
// `flotilla.budget.groups`, `flotilla.budget.alertThresholds`). A budget is either the BudgetLimits object
// (`{ "usd": 20, "tokens": 2000000, "timeMs": 7200000, "wallMs": 28800000, "period": "day" }`) or the text New Agent
// accepts (`"$20/day, 2M tokens"`). A bad entry (text that does not parse, a zero or negative limit, an unknown period
// or field) is an error naming its setting and field, and is left out; a budget for a group no agent or template is
// in is a warning (it stays in force for when one is). Each problem carries the JSON path inside its setting, so the
// window can point at its line in the settings file (budgetSettingsPositions.ts).
import { z } from 'zod';
import { BudgetLimitsSchema } from '../../shared/agent';
import type { BudgetLimits } from '../../shared/agent';
import { parseBudgetInput } from '../budgetInput';
import { checkThresholds } from './budgetTracker';

export interface ScopeBudgets {
  readonly fleet: BudgetLimits | undefined;
  readonly groups: Readonly<Record<string, BudgetLimits>>;
  /** Ratios that alert (flotilla.budget.alertThresholds); absent: 70 %, 90 %, 100 %. */
  readonly alertThresholds?: readonly number[];
}

export interface BudgetSettingProblem {
  readonly severity: 'error' | 'warning';
  /** The setting's key without the section, e.g. "budget.groups". */
  readonly setting: string;
  /** Where in the setting's value, e.g. ["backend", "usd"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface ScopeBudgetsRead extends ScopeBudgets {
  /** One message per refused entry, e.g. "flotilla.budget.groups.backend.usd: Too small: expected number to be >0". */
  readonly errors: readonly string[];
  /** Errors and warnings with where they are. */
  readonly problems: readonly BudgetSettingProblem[];
}

const LimitsObject = BudgetLimitsSchema.strict();
const AMOUNTS = ['usd', 'tokens', 'timeMs', 'wallMs'] as const;
const OBJECT_FORMS = 'use usd, tokens, timeMs (active), wallMs (wall-clock) and period ("total", "day" or "task"), or text such as "$20/day, 2M tokens"';

type ValueRead = { ok: true; limits: BudgetLimits | undefined } | { ok: false; error: string; path: (string | number)[] };

/** One budget from settings; `where` names it in errors. */
export function readBudgetValue(value: unknown, where: string): ValueRead {
  if (value === undefined || value === null) return { ok: true, limits: undefined };
  if (typeof value === 'string') {
    const parsed = parseBudgetInput(value);
    return parsed.ok ? parsed : { ok: false, error: `${where}: ${parsed.message}`, path: [] };
  }
  const parsed = LimitsObject.safeParse(value);
  if (parsed.success) {
    const limits = parsed.data;
    if (limits.period === 'total') delete limits.period;
    if (!AMOUNTS.some((k) => limits[k] !== undefined)) {
      if (Object.keys(value as object).length === 0) return { ok: true, limits: undefined };
      return { ok: false, error: `${where}: a budget needs an amount (${OBJECT_FORMS})`, path: [] };
    }
    return { ok: true, limits };
  }
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  const message = issue.path[0] === 'period' ? `"${String((value as { period?: unknown }).period)}" is not a budget period` : issue.message;
  return { ok: false, error: `${where}${field}: ${message} (${OBJECT_FORMS})`, path: issue.path.filter((p): p is string | number => typeof p !== 'symbol') };
}

export interface ReadScopeBudgetsOptions {
  readonly prefix?: string;
  /** The value of flotilla.budget.alertThresholds. */
  readonly thresholds?: unknown;
  /** Groups some agent or template is in; given, a budget for another group is a warning. */
  readonly knownGroups?: ReadonlySet<string>;
}

export function readScopeBudgets(fleetValue: unknown, groupsValue: unknown, options: ReadScopeBudgetsOptions | string = {}): ScopeBudgetsRead {
  const o: ReadScopeBudgetsOptions = typeof options === 'string' ? { prefix: options } : options;
  const prefix = o.prefix ?? 'flotilla.budget';
  const section = prefix.replace(/^flotilla\./, '');
  const problems: BudgetSettingProblem[] = [];
  const refuse = (setting: string, path: (string | number)[], message: string): void => {
    problems.push({ severity: 'error', setting: `${section}.${setting}`, path, message });
  };
  const fleet = readBudgetValue(fleetValue, `${prefix}.fleet`);
  if (!fleet.ok) refuse('fleet', fleet.path, fleet.error);
  const groups: Record<string, BudgetLimits> = {};
  const record = z.record(z.string(), z.unknown()).safeParse(groupsValue ?? {});
  if (!record.success) refuse('groups', [], `${prefix}.groups: expected an object of group name to budget`);
  else {
    for (const [group, value] of Object.entries(record.data)) {
      const read = readBudgetValue(value, `${prefix}.groups.${group}`);
      if (!read.ok) refuse('groups', [group, ...read.path], read.error);
      else if (read.limits) {
        groups[group] = read.limits;
        if (o.knownGroups && !o.knownGroups.has(group)) {
          problems.push({ severity: 'warning', setting: `${section}.groups`, path: [group], message: `${prefix}.groups.${group}: no agent or template is in group "${group}" (a typo?); the budget applies once an agent is` });
        }
      }
    }
  }
  let alertThresholds: number[] | undefined;
  if (o.thresholds !== undefined && o.thresholds !== null) {
    const list = z.array(z.number().positive().max(10)).min(1).safeParse(o.thresholds);
    if (!list.success) {
      const issue = list.error.issues[0]!;
      refuse('alertThresholds', issue.path.filter((p): p is number => typeof p === 'number'), `${prefix}.alertThresholds${issue.path.length ? `[${issue.path.join('][')}]` : ''}: ${issue.message} (a list of shares that alert, e.g. [0.7, 0.9, 1])`);
    } else alertThresholds = checkThresholds(list.data);
  }
  return {
    fleet: fleet.ok ? fleet.limits : undefined,
    groups,
    ...(alertThresholds ? { alertThresholds } : {}),
    errors: problems.filter((p) => p.severity === 'error').map((p) => p.message),
    problems,
  };
}
