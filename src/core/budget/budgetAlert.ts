// A budget alert as the user reads it: its level (70 % information, 90 % warning, 100 % critical), who spent what of
// which limit in which period, and what happens now ("Budget exhausted: group backend has spent $1.05 of $1.00. The
// next tool call of every agent under it is denied and they wait for you.").
import type { AgentSnapshot, BudgetPeriod } from '../../shared/agent';
import { formatBudgetAmount, periodWords } from '../approvals/budgetGate';
import type { BudgetMetric, BudgetScope } from './budgetTypes';

export interface BudgetAlert {
  readonly level: 'info' | 'warning' | 'critical';
  readonly scope: BudgetScope;
  readonly metric: BudgetMetric;
  readonly threshold: number;
  readonly used: number;
  readonly limit: number;
  /** A budget per day or per task (absent: the total). */
  readonly period?: Exclude<BudgetPeriod, 'total'>;
  /** "agent-3", "group backend", "the fleet". */
  readonly who: string;
  /** The agent concerned for an agent budget (for Raise/Stop buttons). */
  readonly agentId: string | undefined;
  readonly message: string;
}

export interface AlertFigures {
  readonly scope: BudgetScope;
  readonly metric: BudgetMetric;
  readonly threshold: number;
  readonly used: number;
  readonly limit: number;
  readonly period: Exclude<BudgetPeriod, 'total'> | undefined;
  /** For a budget per task, the agent whose task it is. */
  readonly agent: AgentSnapshot | undefined;
  /** The scope in words: "agent-3", "group backend", "the fleet". */
  readonly who: string;
}

const percent = (t: number): string => `${Math.round(t * 100)} %`;

export function budgetAlert(f: AlertFigures): BudgetAlert {
  const { scope, metric, threshold, used, limit, period, agent } = f;
  const level = threshold >= 1 ? 'critical' : threshold >= 0.9 ? 'warning' : 'info';
  // A group's or the fleet's budget per task is spent by one agent's task: name the agent.
  const perTaskOf = period === 'task' && scope.kind !== 'agent' && agent ? agent : undefined;
  const who = perTaskOf ? `${perTaskOf.name} (${f.who}, per task)` : f.who;
  const spent = `${formatBudgetAmount(metric, used)} of ${formatBudgetAmount(metric, limit)}${periodWords(period)}`;
  const one = scope.kind === 'agent' || perTaskOf !== undefined;
  const waits = one ? 'Its next tool call is denied and it waits for you.' : 'The next tool call of every agent under it is denied and they wait for you.';
  const next = period === 'day' ? ' (or for midnight)' : period === 'task' ? ' (or for its next task)' : '';
  const message = level === 'critical' ? `Budget exhausted: ${who} has spent ${spent}. ${waits.replace(/ for you\.$/, ` for you${next}.`)}` : `Budget ${percent(threshold)}: ${who} has spent ${spent}.`;
  const agentId = scope.kind === 'agent' ? scope.agentId : perTaskOf?.id;
  return { level, scope, metric, threshold, used, limit, who, agentId, message, ...(period ? { period } : {}) };
}
