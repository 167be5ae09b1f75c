// Codex's plan (its plan tool, `update_plan`, read from the rollout) as a progress fact: the item in progress is the
// step (k of n), read the same way as Claude Code's todo list; an empty plan is no progress.
import type { AgentSignal } from '../../core/agents/agentSignal';
import { todoProgress } from '../../core/health/todoProgress';
import type { PlanItem } from './rolloutReader';

export function planProgress(items: readonly PlanItem[]): Extract<AgentSignal, { type: 'progress' }> | undefined {
  const read = todoProgress({ todos: items.map((i) => ({ content: i.step, status: i.status })) });
  if (!read.ok) return undefined;
  const { step, of, label } = read.progress;
  return { type: 'progress', step, ...(of !== undefined ? { of } : {}), ...(label !== undefined ? { label } : {}) };
}
