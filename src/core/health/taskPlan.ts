// Progress from Claude Code's task list (2.1.x: TaskCreate adds one task, TaskUpdate moves or deletes one by id), which
// replaced the TodoWrite list whose every call carried the whole plan. The list is rebuilt per agent from the calls
// as they start: ids are the session's counter (1, 2, 3 ... in creation order, recorded in
// test/unit/health/traces), so a create is numbered before its result comes back. A task seen only through an update
// (created before Flotilla watched) is kept as "#id" and marked.
import { z } from 'zod';
import type { Progress } from '../../shared/health';
import { todoProgress } from './todoProgress';

/** The tools whose calls build the task list. */
export const TASK_TOOLS: ReadonlySet<string> = new Set(['TaskCreate', 'TaskUpdate']);

const CreateSchema = z.object({ subject: z.string(), activeForm: z.string().optional() }).passthrough();
const UpdateSchema = z
  .object({
    taskId: z.union([z.string(), z.number()]),
    status: z.string().optional(),
    subject: z.string().optional(),
    activeForm: z.string().optional(),
  })
  .passthrough();

interface Task {
  subject: string;
  activeForm?: string;
  status: string;
  /** Order of the last move to in_progress: with several in progress (parallel updates), the newest is current. */
  startedSeq?: number;
  unseen?: boolean;
}

interface AgentTasks {
  sessionId?: string;
  nextId: number;
  seq: number;
  tasks: Map<string, Task>;
}

export type TaskReading = { ok: true; progress: Omit<Progress, 'since'> } | { ok: false; problem: string } | { ok: true; progress: undefined };

const MAX_TASKS = 200;

export class TaskPlans {
  private readonly agents = new Map<string, AgentTasks>();

  /** A session started: another session id means another task list. */
  session(agentId: string, sessionId: string | undefined): void {
    const a = this.agents.get(agentId);
    if (a && sessionId !== undefined && a.sessionId !== undefined && a.sessionId !== sessionId) this.agents.delete(agentId);
    if (sessionId !== undefined) this.state(agentId).sessionId = sessionId;
  }

  /** A TaskCreate or TaskUpdate call started: the list as it will be, read as progress. */
  started(agentId: string, tool: string, input: unknown): TaskReading {
    const a = this.state(agentId);
    if (tool === 'TaskCreate') {
      const parsed = CreateSchema.safeParse(input);
      if (!parsed.success) return { ok: false, problem: `TaskCreate: ${issueText(parsed.error)}` };
      const id = String(a.nextId++);
      if (a.tasks.size >= MAX_TASKS) a.tasks.delete(a.tasks.keys().next().value!);
      a.tasks.set(id, { subject: parsed.data.subject, ...(parsed.data.activeForm ? { activeForm: parsed.data.activeForm } : {}), status: 'pending' });
    } else {
      const parsed = UpdateSchema.safeParse(input);
      if (!parsed.success) return { ok: false, problem: `TaskUpdate: ${issueText(parsed.error)}` };
      const id = String(parsed.data.taskId);
      let task = a.tasks.get(id);
      if (!task) {
        if (parsed.data.status === 'deleted') return this.read(a);
        task = { subject: `#${id}`, status: 'pending', unseen: true };
        a.tasks.set(id, task);
        const n = Number(id);
        if (Number.isInteger(n) && n >= a.nextId) a.nextId = n + 1;
      }
      if (parsed.data.subject !== undefined) task.subject = parsed.data.subject;
      if (parsed.data.activeForm !== undefined) task.activeForm = parsed.data.activeForm;
      if (parsed.data.status === 'deleted') a.tasks.delete(id);
      else if (parsed.data.status !== undefined) {
        if (parsed.data.status === 'in_progress' && task.status !== 'in_progress') task.startedSeq = ++a.seq;
        task.status = parsed.data.status;
      }
    }
    return this.read(a);
  }

  forget(agentId: string): void {
    this.agents.delete(agentId);
  }

  private read(a: AgentTasks): TaskReading {
    const tasks = [...a.tasks.values()];
    if (tasks.length === 0) return { ok: true, progress: undefined };
    // Several in progress (updates sent in parallel, or parallel work): the one started last is where it is.
    const current = tasks.filter((t) => t.status === 'in_progress').sort((x, y) => (y.startedSeq ?? 0) - (x.startedSeq ?? 0))[0];
    const read = todoProgress({ todos: tasks.map((t) => ({ content: t.subject, ...(t.activeForm ? { activeForm: t.activeForm } : {}), status: t === current || t.status !== 'in_progress' ? t.status : 'pending' })) });
    if (!read.ok) return read;
    const unseen = tasks.filter((t) => t.unseen).length;
    const marker = read.progress.marker ?? (unseen > 0 ? `${unseen} task${unseen === 1 ? '' : 's'} created before Flotilla watched` : undefined);
    return { ok: true, progress: { ...read.progress, ...(marker ? { marker } : {}) } };
  }

  private state(agentId: string): AgentTasks {
    let a = this.agents.get(agentId);
    if (!a) {
      a = { nextId: 1, seq: 0, tasks: new Map() };
      this.agents.set(agentId, a);
    }
    return a;
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'input'}: ${issue.message}`;
}
