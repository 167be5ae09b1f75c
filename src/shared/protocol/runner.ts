// The runner transport (docs/protocol.md, "Runners: the supervisor dials"): a `flotilla-agent serve` endpoint that the
// supervisor connects to. One index WebSocket lists the runner's agents; one WebSocket per agent carries an ordinary
// protocol v1 session, the runner speaking as the agent (hello first) although the supervisor dialled. On the index
// the supervisor may ask the runner to start an agent (`start`, answered by `start_result`).
import { z } from 'zod';
import { IdSchema, LabelSchema, PathSchema } from './fields';
import { BudgetLimitsSchema } from '../agent';

/** The index socket: the runner sends a `runner_agents` message on connect and whenever its agents change. */
export const RUNNER_INDEX_PATH = '/v1/runner';
/** One protocol v1 session per agent: `/v1/agents/<runner agent id>`. */
export const RUNNER_AGENT_PATH_PREFIX = '/v1/agents/';
/** The upgrade request names the id the supervisor gave the agent; the runner's hello uses it as `agent_id`. */
export const SUPERVISOR_AGENT_ID_HEADER = 'x-flotilla-agent-id';
/** The hello of a dialled session carries no secret (the upgrade request was authenticated): this placeholder. */
export const DIALED_HELLO_TOKEN = 'dialed';

export const RunnerAgentSchema = z.strictObject({
  /** The runner's own id of the agent (its --name): the path of its session socket. */
  id: IdSchema,
  name: LabelSchema,
  group: IdSchema.optional(),
  /** What runs (`claude-code` for Claude Code wired through its hooks, else `custom`). */
  kind: z.enum(['claude-code', 'custom']),
  cwd: PathSchema,
  /** The agent's process still runs; an exited agent stays listed until its frames were all acknowledged. */
  running: z.boolean(),
  /** Frames waiting for the supervisor's ack (sent or not yet sent). */
  unacked: z.int().nonnegative(),
  budget: BudgetLimitsSchema.strict().optional(),
});
export type RunnerAgent = z.infer<typeof RunnerAgentSchema>;

export const RunnerIndexMessageSchema = z.strictObject({
  type: z.literal('runner_agents'),
  /** The runner's host name, for the connection's node in the tree. */
  host: LabelSchema,
  agents: z.array(RunnerAgentSchema).max(1000),
});
export type RunnerIndexMessage = z.infer<typeof RunnerIndexMessageSchema>;

/** Parses an index message; the error names the first bad field. */
export function parseRunnerIndexMessage(text: string): { ok: true; message: RunnerIndexMessage } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'runner index: not JSON' };
  }
  const result = RunnerIndexMessageSchema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `runner_agents.${issue.path.join('.')}: ${issue.message}` };
}

/** A runner agent's name: also its id, its branch `flotilla/<name>` and its folder. */
export const RUNNER_AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE = 'letters, digits, dot, dash or underscore, at most 64, not starting with a dot or dash';
export const MAX_START_PROMPT_CHARS = 100_000;
export const MAX_START_COMMAND_ARGS = 256;
export const MAX_START_ARG_CHARS = 8192;
export const MAX_START_ERROR_CHARS = 1024;
/** Answers in flight on one index socket; more are refused. */
export const MAX_PENDING_STARTS = 8;

const StartIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, dash or underscore');

/**
 * Supervisor → runner on the index socket: start an agent exactly as `flotilla-agent run` would, in the folder
 * `serve` runs in (or a new git worktree of it). `claude-code` runs `claude [prompt]` wired through its hooks;
 * `custom` runs `command` (argv, no shell) and takes no prompt.
 */
export const RunnerStartRequestSchema = z
  .strictObject({
    type: z.literal('start'),
    /** Chosen by the supervisor, unique among its requests in flight; the answer carries it back. */
    request_id: StartIdSchema,
    name: z.string().regex(RUNNER_AGENT_NAME, NAME_RULE),
    kind: z.enum(['claude-code', 'custom']),
    prompt: z.string().min(1).max(MAX_START_PROMPT_CHARS).optional(),
    command: z.array(z.string().min(1).max(MAX_START_ARG_CHARS)).min(1).max(MAX_START_COMMAND_ARGS).optional(),
    group: z.string().min(1).max(128).optional(),
    budget: BudgetLimitsSchema.strict().optional(),
    worktree: z.boolean(),
  })
  .superRefine((request, ctx) => {
    if (request.kind === 'custom' && request.command === undefined) ctx.addIssue({ code: 'custom', path: ['command'], message: 'required for a custom agent' });
    if (request.kind === 'custom' && request.prompt !== undefined) ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'only for claude-code (a custom command takes its own arguments)' });
    if (request.kind === 'claude-code' && request.command !== undefined) ctx.addIssue({ code: 'custom', path: ['command'], message: 'only for a custom agent (claude-code runs claude)' });
  });
export type RunnerStartRequest = z.infer<typeof RunnerStartRequestSchema>;

/** Runner → supervisor: how a `start` went. `request_id` is "" when the request was too broken to read one. */
export const RunnerStartResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    type: z.literal('start_result'),
    request_id: z.string().max(64),
    ok: z.literal(true),
    name: z.string().regex(RUNNER_AGENT_NAME),
    /** The agent's process on the runner. */
    pid: z.int().positive().optional(),
    mode: z.enum(['pty', 'pipes']),
    cwd: PathSchema,
  }),
  z.strictObject({
    type: z.literal('start_result'),
    request_id: z.string().max(64),
    ok: z.literal(false),
    error: z.string().min(1).max(MAX_START_ERROR_CHARS),
  }),
]);
export type RunnerStartResult = z.infer<typeof RunnerStartResultSchema>;

/** What the runner sends on the index socket. */
export const RunnerServerMessageSchema = z.union([RunnerIndexMessageSchema, RunnerStartResultSchema]);
export type RunnerServerMessage = RunnerIndexMessage | RunnerStartResult;

function firstIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${prefix}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`;
}

/** Parses what the runner sent on the index socket; the error names the first bad field. */
export function parseRunnerServerMessage(text: string): { ok: true; message: RunnerServerMessage } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'runner index: not JSON' };
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'start_result') {
    const result = RunnerStartResultSchema.safeParse(value);
    return result.success ? { ok: true, message: result.data } : { ok: false, error: firstIssue('start_result', result.error) };
  }
  const result = RunnerIndexMessageSchema.safeParse(value);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: firstIssue('runner_agents', result.error) };
}

/** Parses a supervisor's `start`; the error names the first bad field, and the request id when one could be read. */
export function parseRunnerStartRequest(text: string): { ok: true; request: RunnerStartRequest } | { ok: false; requestId: string; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, requestId: '', error: 'start: not JSON' };
  }
  const id = StartIdSchema.safeParse((value as { request_id?: unknown } | null)?.request_id);
  const requestId = id.success ? id.data : '';
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== 'start') return { ok: false, requestId, error: `type: the runner accepts only 'start' on its index, not ${JSON.stringify(type)?.slice(0, 64) ?? 'none'}` };
  const result = RunnerStartRequestSchema.safeParse(value);
  return result.success ? { ok: true, request: result.data } : { ok: false, requestId, error: firstIssue('start', result.error) };
}
