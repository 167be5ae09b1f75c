// Accumulates token, dollar and time usage per scope (agent, task, group, fleet) and announces, exactly once per
// scope + metric + threshold, when a budget passes 70 %, 90 % and 100 %. Pure: time arrives as deltas, no timers.
import { Emitter } from '../events';
import type { Event } from '../events';
import { BUDGET_METRICS, scopeKey } from './budgetTypes';
import type { BudgetLimits, BudgetMetric, BudgetScope, BudgetSnapshot, ExceededBudget, ThresholdCrossing, UsageUpdate } from './budgetTypes';

export const DEFAULT_THRESHOLDS: readonly number[] = [0.7, 0.9, 1];

/** Float sums of dollars drift (0.1 + 0.6 = 0.7000000000000001 but 0.4 + 0.3 = 0.7 - 1e-16); compare with slack. */
const EPSILON = 1e-9;

interface ScopeState {
  scope: BudgetScope;
  used: Record<BudgetMetric, number>;
  limits: BudgetLimits;
  /** `${metric}@${threshold}` already announced since the metric's limit was last changed. */
  fired: Set<string>;
}

interface Membership {
  group: string | undefined;
  taskId: string | undefined;
}

const DELTA_FIELDS: Record<BudgetMetric, 'deltaElapsedMs' | 'deltaTokens' | 'deltaUsd' | 'deltaWallMs'> = {
  timeMs: 'deltaElapsedMs',
  wallMs: 'deltaWallMs',
  tokens: 'deltaTokens',
  usd: 'deltaUsd',
};

export interface BudgetTrackerOptions {
  /** Ratios that raise an alert when reached, e.g. [0.7, 0.9, 1]. */
  thresholds?: readonly number[];
}

export class BudgetTracker {
  private readonly _onDidCrossThreshold = new Emitter<ThresholdCrossing>();
  /** Fires once per scope + metric + threshold; again only after that metric's limit is changed. */
  readonly onDidCrossThreshold: Event<ThresholdCrossing> = this._onDidCrossThreshold.event;

  private thresholds: readonly number[] = DEFAULT_THRESHOLDS;
  private readonly scopes = new Map<string, ScopeState>();
  private readonly members = new Map<string, Membership>();

  constructor(options: BudgetTrackerOptions = {}) {
    this.setThresholds(options.thresholds ?? DEFAULT_THRESHOLDS);
  }

  /** The ratios that alert from now on (already announced ones are not announced again). */
  setThresholds(thresholds: readonly number[]): void {
    this.thresholds = checkThresholds(thresholds);
  }

  get alertThresholds(): readonly number[] {
    return this.thresholds;
  }

  /**
   * Replaces the limits of `scope` (a metric left out, or set to 0, has no limit). Thresholds of a metric whose
   * limit changed may fire again, and fire at once when usage already reaches them under the new limit.
   */
  setLimits(scope: BudgetScope, limits: BudgetLimits | undefined): void {
    const next: BudgetLimits = {};
    if (limits?.period !== undefined && limits.period !== 'total') throw new RangeError(`the tracker counts totals; a budget per ${limits.period} of ${scopeKey(scope)} is the watch's`);
    for (const metric of BUDGET_METRICS) {
      const value = limits?.[metric];
      if (value === undefined || value === 0) continue;
      if (!(Number.isFinite(value) && value > 0)) {
        throw new RangeError(`budget limit ${metric} of ${scopeKey(scope)} must be a positive number or 0 for none, got ${value}`);
      }
      next[metric] = value;
    }
    const state = this.state(scope);
    const changed = BUDGET_METRICS.filter((m) => state.limits[m] !== next[m]);
    state.limits = next;
    for (const metric of changed) {
      for (const key of [...state.fired]) if (key.startsWith(`${metric}@`)) state.fired.delete(key);
    }
    this.fireAll(this.crossings(state, changed, undefined));
  }

  getLimits(scope: BudgetScope): BudgetLimits {
    return { ...this.scopes.get(scopeKey(scope))?.limits };
  }

  /** Sets which group and task an agent belongs to, before or between usage updates. */
  assignAgent(agentId: string, membership: { group?: string; taskId?: string }): void {
    this.members.set(agentId, { group: membership.group, taskId: membership.taskId });
  }

  /** Adds usage to the agent and to its task, group and the fleet, then announces any thresholds crossed. */
  record(update: UsageUpdate): void {
    if (typeof update.agentId !== 'string' || update.agentId === '') throw new TypeError('usage update: agentId must be a non-empty string');
    const deltas = {} as Record<BudgetMetric, number>;
    for (const metric of BUDGET_METRICS) {
      const field = DELTA_FIELDS[metric];
      const value = update[field] ?? 0;
      if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`usage update for ${update.agentId}: ${field} must be a number >= 0, got ${value}`);
      deltas[metric] = value;
    }
    const prior = this.members.get(update.agentId);
    const membership = { group: update.group ?? prior?.group, taskId: update.taskId ?? prior?.taskId };
    this.members.set(update.agentId, membership);

    const touched = this.enclosingScopes(update.agentId).map((scope) => this.state(scope));
    const metrics = BUDGET_METRICS.filter((m) => deltas[m] > 0);
    for (const state of touched) for (const metric of metrics) state.used[metric] += deltas[metric];
    // Update every scope before telling anyone, so listeners reading snapshots see the whole update.
    this.fireAll(touched.flatMap((state) => this.crossings(state, metrics, update.agentId)));
  }

  snapshot(scope: BudgetScope): BudgetSnapshot {
    const state = this.scopes.get(scopeKey(scope));
    const out = {} as BudgetSnapshot;
    for (const metric of BUDGET_METRICS) {
      const used = state?.used[metric] ?? 0;
      const limit = state?.limits[metric];
      out[metric] = { used, limit, ratio: limit === undefined ? undefined : used / limit };
    }
    return out;
  }

  /** The agent's own scope, its current task and group, and the fleet: the budgets that bound it. */
  enclosingScopes(agentId: string): BudgetScope[] {
    const m = this.members.get(agentId);
    const scopes: BudgetScope[] = [{ kind: 'agent', agentId }];
    if (m?.taskId !== undefined) scopes.push({ kind: 'task', taskId: m.taskId });
    if (m?.group !== undefined) scopes.push({ kind: 'group', group: m.group });
    scopes.push({ kind: 'fleet' });
    return scopes;
  }

  /** Every exhausted budget (used >= limit) among the agent's enclosing scopes. */
  exceededBudgets(agentId: string): ExceededBudget[] {
    const out: ExceededBudget[] = [];
    for (const scope of this.enclosingScopes(agentId)) {
      const state = this.scopes.get(scopeKey(scope));
      if (!state) continue;
      for (const metric of BUDGET_METRICS) {
        const limit = state.limits[metric];
        if (limit !== undefined && state.used[metric] / limit >= 1 - EPSILON) out.push({ scope, metric, used: state.used[metric], limit });
      }
    }
    return out;
  }

  isExceeded(agentId: string): boolean {
    return this.exceededBudgets(agentId).length > 0;
  }

  /** Every scope that has usage or limits. */
  knownScopes(): BudgetScope[] {
    return [...this.scopes.values()].map((s) => s.scope);
  }

  dispose(): void {
    this._onDidCrossThreshold.dispose();
  }

  private state(scope: BudgetScope): ScopeState {
    const key = scopeKey(scope);
    let state = this.scopes.get(key);
    if (!state) {
      state = { scope: { ...scope }, used: { timeMs: 0, tokens: 0, usd: 0, wallMs: 0 }, limits: {}, fired: new Set() };
      this.scopes.set(key, state);
    }
    return state;
  }

  /** Thresholds now reached but not yet announced, in ascending order, marked as announced. */
  private crossings(state: ScopeState, metrics: readonly BudgetMetric[], agentId: string | undefined): ThresholdCrossing[] {
    const out: ThresholdCrossing[] = [];
    for (const metric of metrics) {
      const limit = state.limits[metric];
      if (limit === undefined) continue;
      const used = state.used[metric];
      const ratio = used / limit;
      for (const threshold of this.thresholds) {
        const key = `${metric}@${threshold}`;
        if (ratio < threshold - EPSILON || state.fired.has(key)) continue;
        state.fired.add(key);
        out.push({ scope: { ...state.scope }, metric, threshold, used, limit, ratio, agentId });
      }
    }
    return out;
  }

  private fireAll(crossings: readonly ThresholdCrossing[]): void {
    for (const c of crossings) this._onDidCrossThreshold.fire(c);
  }
}

/** Distinct, ascending, each > 0 (a RangeError names the bad one). */
export function checkThresholds(thresholds: readonly number[]): number[] {
  for (const t of thresholds) {
    if (!(typeof t === 'number' && Number.isFinite(t) && t > 0)) throw new RangeError(`budget threshold ${String(t)} must be a number greater than 0`);
  }
  return [...new Set(thresholds)].sort((a, b) => a - b);
}
