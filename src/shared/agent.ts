// The agent snapshot: what the tree, the webviews and the store see of an agent (a DTO, no secrets).
import { z } from 'zod';
import { AgentKindSchema, AgentStatusSchema } from './status';
import { HealthSchema, ProgressSchema } from './health';

const id = z.string().min(1).max(128);

export const UsageSchema = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheWrite: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;
export const emptyUsage = (): Usage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

export const WorktreeInfoSchema = z.object({
  path: z.string(),
  branch: z.string(),
  baseCommit: z.string(),
  repoRoot: z.string(),
});
export type WorktreeInfo = z.infer<typeof WorktreeInfoSchema>;

/** What a budget's use counts from: since the agent started (total), since local midnight (day), since the task's prompt (task). */
export const BudgetPeriodSchema = z.enum(['total', 'day', 'task']);
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;

export const BudgetLimitsSchema = z.object({
  /** Active time (working or waiting for approval). */
  timeMs: z.number().positive().optional(),
  tokens: z.number().int().positive().optional(),
  usd: z.number().positive().optional(),
  /** Wall-clock time, idle and paused time included. */
  wallMs: z.number().positive().optional(),
  /** Absent: total. */
  period: BudgetPeriodSchema.optional(),
});
export type BudgetLimits = z.infer<typeof BudgetLimitsSchema>;

/** The agent's totals when its day or its task began: a budget per day or per task counts from there (src/core/budget). */
export const BudgetMarkSchema = z.object({ since: z.number(), usd: z.number().nonnegative(), tokens: z.number().nonnegative(), activeMs: z.number().nonnegative() });
export type BudgetMark = z.infer<typeof BudgetMarkSchema>;

/** Why Flotilla isolated an agent: every tool call then needs a human's approval until the user releases it. */
export const QuarantineSchema = z.object({
  since: z.number(),
  reason: z.string().max(2048),
  /** What was seen (files changed outside Flotilla, with what changed), newest last. */
  evidence: z.array(z.string().max(4096)).max(100),
});
export type Quarantine = z.infer<typeof QuarantineSchema>;

export const AgentSnapshotSchema = z.object({
  id,
  name: z.string().min(1).max(128),
  kind: AgentKindSchema,
  group: z.string().max(128).optional(),
  status: AgentStatusSchema,
  statusReason: z.string().max(2048).optional(),
  createdAt: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  lastEventAt: z.number().optional(),
  cwd: z.string(),
  worktree: WorktreeInfoSchema.optional(),
  command: z.string().max(4096).optional(),
  prompt: z.string().max(16384).optional(),
  sessionId: z.string().max(256).optional(),
  transcriptPath: z.string().optional(),
  /** Every transcript the agent wrote (one per session): its usage is the sum over them. */
  transcriptPaths: z.array(z.string()).default([]),
  model: z.string().max(256).optional(),
  /** The tool call in flight; `timeoutMs`: how long it may legitimately run (no stall before that). */
  currentTool: z.object({ name: z.string(), summary: z.string(), since: z.number(), timeoutMs: z.number().int().positive().optional() }).optional(),
  /**
   * What a waiting agent waits for: an answer to its question (input), a permission (approval), something only the
   * user can do in its terminal (terminal: a trust dialog, a login), or a remote agent's first connection.
   */
  waitingFor: z.enum(['input', 'approval', 'terminal', 'connection']).optional(),
  /** How the last turn ended: 'ended' (done, ready for review), 'interrupted' by the user, or 'failed' (API error). */
  lastTurn: z.enum(['ended', 'interrupted', 'failed']).optional(),
  /** Active time: milliseconds spent working or waiting for approval, up to activeSince (wall time is createdAt..now). */
  activeMs: z.number().nonnegative().default(0),
  /** When the current active stretch began (the agent is working or waiting for approval since then). */
  activeSince: z.number().optional(),
  usage: UsageSchema,
  usageByModel: z.record(z.string(), UsageSchema),
  costUsd: z.number().nonnegative(),
  /** Models whose price is unknown: their tokens are not in costUsd. */
  unpricedModels: z.array(z.string()),
  exitCode: z.number().int().optional(),
  /** The shell process of the agent's terminal, to find it again after a window reload. */
  terminalPid: z.number().int().optional(),
  budget: BudgetLimitsSchema.optional(),
  /** Where the agent's current day and task began, for budgets per day and per task (set by src/core/budget/budgetWatch.ts). */
  budgetMarks: z.object({ day: BudgetMarkSchema.optional(), task: BudgetMarkSchema.optional() }).optional(),
  /**
   * Paused for budget: a budget over the agent (its own, its group's or the fleet's) is spent, so its next tool call
   * waits for a human (src/core/approvals/budgetGate.ts); `budgetReason` says which ("$5.02 of $5.00 for agent-3").
   */
  budgetPaused: z.boolean().optional(),
  budgetReason: z.string().max(2048).optional(),
  /**
   * Paused at the model API's quota wall (a rate or usage limit ended its turn): `until` the reset time the agent
   * reported (epoch ms; absent: it named none), `reason` the API's message. Cleared when a new turn or tool starts.
   */
  quotaPause: z.object({ since: z.number(), until: z.number().optional(), reason: z.string().max(2048) }).optional(),
  quarantine: QuarantineSchema.optional(),
  /** Where the agent is in its plan (src/core/health); absent: no progress known. */
  progress: ProgressSchema.optional(),
  /** Looping or stuck, with the evidence (src/core/health); absent: nothing seen. */
  health: HealthSchema.optional(),
});
export type AgentSnapshot = z.infer<typeof AgentSnapshotSchema>;
