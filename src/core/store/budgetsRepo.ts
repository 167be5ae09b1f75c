// Budgets: limits (time, tokens, dollars) for the fleet, a group, an agent or a task. Limits are read
// tolerantly: a field that is not a number >= 0 is logged and dropped, so a damaged row never blocks a check.
import { z } from 'zod';
import type { Connection } from './connection';
import { readJsonObject, writeJson } from './jsonColumn';
import type { BudgetLimits } from '../../shared/agent';

export const BUDGET_SCOPES = ['fleet', 'group', 'agent', 'task'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export interface BudgetRow {
  scope: BudgetScope;
  /** '' for the fleet. */
  scopeId: string;
  limits: BudgetLimits;
  updatedAt: number;
}

export interface BudgetInput {
  scope: BudgetScope;
  scopeId?: string;
  limits: BudgetLimits;
}

const limit = z.number().finite().nonnegative();
const LimitsSchema = z.object({ timeMs: limit.optional(), tokens: limit.optional(), usd: limit.optional() });
/** Keys as stored in the limits JSON column. */
const COLUMN_KEYS = { timeMs: 'time_ms', tokens: 'tokens', usd: 'usd' } as const;

interface BudgetRecord {
  scope: string;
  scope_id: string;
  limits: string;
  updated_at: number;
}

export class BudgetsRepo {
  constructor(private readonly db: Connection) {}

  set(input: BudgetInput): BudgetRow {
    if (!BUDGET_SCOPES.includes(input.scope)) {
      throw new RangeError(`budget scope must be one of ${BUDGET_SCOPES.join('/')}, got ${String(input.scope)}`);
    }
    const parsed = LimitsSchema.safeParse(input.limits);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RangeError(`budget limits.${issue.path.join('.')}: ${issue.message}`);
    }
    const stored: Record<string, number> = {};
    for (const [key, column] of Object.entries(COLUMN_KEYS)) {
      const value = parsed.data[key as keyof typeof COLUMN_KEYS];
      if (value !== undefined) stored[column] = value;
    }
    const record = this.db.get<BudgetRecord>(
      `INSERT INTO budgets (scope, scope_id, limits, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope, scope_id) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at
       RETURNING *`,
      input.scope,
      input.scope === 'fleet' ? '' : (input.scopeId ?? ''),
      writeJson(stored, 'budgets.limits'),
      this.db.now(),
    );
    return this.toRow(record!);
  }

  get(scope: BudgetScope, scopeId = ''): BudgetRow | undefined {
    const record = this.db.get<BudgetRecord>('SELECT * FROM budgets WHERE scope = ? AND scope_id = ?', scope, scopeId);
    return record && this.toRow(record);
  }

  list(scope?: BudgetScope): BudgetRow[] {
    const records =
      scope === undefined
        ? this.db.all<BudgetRecord>('SELECT * FROM budgets ORDER BY scope, scope_id')
        : this.db.all<BudgetRecord>('SELECT * FROM budgets WHERE scope = ? ORDER BY scope_id', scope);
    return records.map((r) => this.toRow(r));
  }

  delete(scope: BudgetScope, scopeId = ''): boolean {
    return this.db.run('DELETE FROM budgets WHERE scope = ? AND scope_id = ?', scope, scopeId).changes > 0;
  }

  private toRow(r: BudgetRecord): BudgetRow {
    const where = `budgets.limits of ${r.scope}:${r.scope_id}`;
    const raw = readJsonObject(r.limits, where, this.db.log);
    const limits: BudgetLimits = {};
    for (const [key, column] of Object.entries(COLUMN_KEYS) as [keyof typeof COLUMN_KEYS, string][]) {
      if (raw[column] === undefined) continue;
      const value = limit.safeParse(raw[column]);
      if (value.success) limits[key] = value.data;
      else this.db.log('warn', `${where}: ${column} is not a number >= 0 (${JSON.stringify(raw[column])}); ignored`);
    }
    return { scope: r.scope as BudgetScope, scopeId: r.scope_id, limits, updatedAt: r.updated_at };
  }
}
