// The runner transport (docs/protocol.md, "Runners: the supervisor dials"): a `flotilla-agent serve` endpoint that the
// supervisor connects to. One index WebSocket lists the runner's agents; one WebSocket per agent carries an ordinary
// protocol v1 session, the runner speaking as the agent (hello first) although the supervisor dialled.
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
