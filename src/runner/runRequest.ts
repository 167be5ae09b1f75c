// What `flotilla-agent run` asks the serve process for (its local API body), checked with zod at the boundary; the
// same request made from a supervisor's `start` on the index socket; the `--budget` syntax:
// `usd=5,tokens=2000000,minutes=30` (any of the three).
import { z } from 'zod';
import { BudgetLimitsSchema } from '../shared/agent';
import type { BudgetLimits } from '../shared/agent';
import { RUNNER_AGENT_NAME } from '../shared/protocol/runner';
import type { RunnerStartRequest } from '../shared/protocol/runner';

export const RunRequestSchema = z.strictObject({
  name: z.string().regex(RUNNER_AGENT_NAME, 'letters, digits, dot, dash or underscore, at most 64, not starting with a dot or dash'),
  group: z.string().min(1).max(128).optional(),
  budget: BudgetLimitsSchema.strict().optional(),
  worktree: z.boolean().default(false),
  cwd: z.string().min(1).max(4096),
  command: z.array(z.string().max(65536)).min(1).max(1000),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

export function parseRunRequest(value: unknown): { ok: true; request: RunRequest } | { ok: false; error: string } {
  const result = RunRequestSchema.safeParse(value);
  if (result.success) return { ok: true, request: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `run.${issue.path.join('.')}: ${issue.message}` };
}

/**
 * A supervisor's `start` as the run request `flotilla-agent run` would make in `cwd` (the folder serve runs in):
 * `claude-code` is `claude [prompt]` (the Claude Code adapter wires its hooks), `custom` its own argv.
 */
export function runRequestOfStart(start: RunnerStartRequest, cwd: string): RunRequest {
  return {
    name: start.name,
    ...(start.group === undefined ? {} : { group: start.group }),
    ...(start.budget === undefined ? {} : { budget: start.budget }),
    worktree: start.worktree,
    cwd,
    command: start.kind === 'claude-code' ? ['claude', ...(start.prompt === undefined ? [] : [start.prompt])] : [...start.command!],
  };
}

/** Parses `usd=5,tokens=2000000,minutes=30`; throws naming the bad part. */
export function parseBudget(text: string): BudgetLimits {
  const budget: { usd?: number; tokens?: number; timeMs?: number } = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=', 2);
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value <= 0) throw new Error(`--budget: '${part}' needs a positive number (usd=5,tokens=2000000,minutes=30)`);
    if (key === 'usd') budget.usd = value;
    else if (key === 'tokens' && Number.isInteger(value)) budget.tokens = value;
    else if (key === 'minutes') budget.timeMs = value * 60_000;
    else throw new Error(`--budget: '${part}': expected usd=, tokens= (an integer) or minutes=`);
  }
  if (Object.keys(budget).length === 0) throw new Error('--budget: empty (usd=5,tokens=2000000,minutes=30)');
  return budget;
}
