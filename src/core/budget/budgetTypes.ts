// Vocabulary of budgets: the four nested scopes (fleet > group > agent, and tasks), the three metrics and the
// figures the tracker reports. The limits a scope carries are the one BudgetLimits of src/shared/agent.ts.
import type { BudgetLimits } from '../../shared/agent';

export type { BudgetLimits };

/** The dimensions of a budget: the amounts of BudgetLimits (its `period` says what they count from). */
export type BudgetMetric = Exclude<keyof BudgetLimits, 'period'>;
export const BUDGET_METRICS: readonly BudgetMetric[] = ['timeMs', 'tokens', 'usd', 'wallMs'];

export type BudgetScope =
  | { kind: 'fleet' }
  | { kind: 'group'; group: string }
  | { kind: 'agent'; agentId: string }
  | { kind: 'task'; taskId: string };

export interface MetricSnapshot {
  used: number;
  /** undefined when the metric has no limit in this scope. */
  limit: number | undefined;
  /** used / limit (1 = the whole budget, may exceed 1); undefined without a limit. */
  ratio: number | undefined;
}

export type BudgetSnapshot = Record<BudgetMetric, MetricSnapshot>;

/** Usage since the previous update of the same agent. Every delta is >= 0. */
export interface UsageUpdate {
  agentId: string;
  /** The agent's group; when absent, the group last given for this agent (record or assignAgent) is used. */
  group?: string;
  /** The task the usage belongs to; when absent, the task last given for this agent is used. */
  taskId?: string;
  deltaTokens?: number;
  deltaUsd?: number;
  /** Working time since the previous update, in ms. Group and fleet time is the sum over their agents. */
  deltaElapsedMs?: number;
  /** Wall-clock time since the previous update, in ms (summed over agents like active time). */
  deltaWallMs?: number;
}

export interface ThresholdCrossing {
  scope: BudgetScope;
  metric: BudgetMetric;
  /** The threshold ratio crossed, e.g. 0.9. */
  threshold: number;
  used: number;
  limit: number;
  ratio: number;
  /** The agent whose update caused the crossing; undefined when a limit change did. */
  agentId: string | undefined;
}

export interface ExceededBudget {
  scope: BudgetScope;
  metric: BudgetMetric;
  used: number;
  limit: number;
}

/** A stable string key for a scope ("fleet", "group:<g>", "agent:<id>", "task:<id>"). */
export function scopeKey(scope: BudgetScope): string {
  switch (scope.kind) {
    case 'fleet':
      return 'fleet';
    case 'group':
      return `group:${scope.group}`;
    case 'agent':
      return `agent:${scope.agentId}`;
    case 'task':
      return `task:${scope.taskId}`;
  }
}
