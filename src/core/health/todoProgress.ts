// Progress from a plan the agent keeps: Claude Code's todo list (the TodoWrite tool's input carries every item with
// its state) and a remote agent's heartbeat step. Reported values are kept as they came; what is odd about them gets
// a marker (k > n, a list without states), never a correction.
import { z } from 'zod';
import type { Progress } from '../../shared/health';

/** The tools whose input is the agent's whole plan. */
export const PLAN_TOOLS: ReadonlySet<string> = new Set(['TodoWrite']);

const TodoItemSchema = z
  .object({
    content: z.string().optional(),
    activeForm: z.string().optional(),
    status: z.string().optional(),
  })
  .passthrough();
const TodoInputSchema = z.object({ todos: z.array(TodoItemSchema) }).passthrough();

export type PlanReading = { ok: true; progress: Omit<Progress, 'since'> } | { ok: false; problem: string };

const clip = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** The step of a todo list: the item in progress (k of n), else how many are done; an empty list is no plan. */
export function todoProgress(input: unknown): PlanReading {
  const parsed = TodoInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `todo list: ${issue.path.join('.') || 'input'}: ${issue.message}` };
  }
  const todos = parsed.data.todos;
  if (todos.length === 0) return { ok: false, problem: 'todo list: empty' };
  const of = todos.length;
  const base = { of, source: 'todo' as const };
  if (todos.some((t) => t.status === undefined)) {
    return { ok: true, progress: { ...base, step: todos.filter((t) => t.status === 'completed').length, marker: 'todo list without states' } };
  }
  const unknown = todos.find((t) => !['pending', 'in_progress', 'completed'].includes(t.status!));
  const marker = unknown ? `unknown state '${clip(unknown.status)}'` : undefined;
  const current = todos.findIndex((t) => t.status === 'in_progress');
  const done = todos.filter((t) => t.status === 'completed').length;
  const withMarker = marker ? { marker } : {};
  if (current >= 0) {
    const item = todos[current]!;
    const label = clip(item.activeForm ?? item.content);
    const several = todos.filter((t) => t.status === 'in_progress').length > 1 ? { marker: marker ?? 'several items in progress' } : withMarker;
    return { ok: true, progress: { ...base, step: current + 1, ...(label ? { label } : {}), ...several } };
  }
  if (done === of) {
    const label = clip(todos[of - 1]!.content);
    return { ok: true, progress: { ...base, step: of, ...(label ? { label: `done: ${label}` } : {}), ...withMarker } };
  }
  // Nothing in progress yet: the steps done so far (0 of n before the first).
  return { ok: true, progress: { ...base, step: done, ...withMarker } };
}

/** A heartbeat's step as reported; k > n or a negative k is kept with a marker. */
export function heartbeatProgress(step: number, of: number | undefined, label: string | undefined): Omit<Progress, 'since'> {
  let marker: string | undefined;
  if (step < 0) marker = `negative step ${step}`;
  else if (of !== undefined && step > of) marker = `step ${step} of ${of} reported`;
  else if (of !== undefined && of < 0) marker = `negative total ${of}`;
  const l = clip(label);
  return { step: Math.trunc(step), ...(of !== undefined ? { of: Math.trunc(of) } : {}), ...(l ? { label: l } : {}), source: 'heartbeat', ...(marker ? { marker } : {}) };
}

/** Same step as before (the time on it keeps counting)? */
export function sameStep(a: Omit<Progress, 'since'> | undefined, b: Omit<Progress, 'since'>): boolean {
  return a !== undefined && a.step === b.step && a.of === b.of && a.label === b.label && a.source === b.source;
}
