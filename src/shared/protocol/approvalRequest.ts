// approval_request (agent -> supervisor): the agent wants to run a risky tool and waits for a decision.
import { z } from 'zod';
import { frameHeader, IdSchema, LabelSchema, PathSchema, TextSchema } from './fields';
import { BoundedJsonSchema } from './jsonValue';

export const ApprovalRequestFrameSchema = z
  .strictObject({
    ...frameHeader('approval_request'),
    request_id: IdSchema.describe('Unique per agent; the decision echoes it'),
    agent_id: IdSchema.optional().describe("Defaults to hello's agent_id"),
    session_id: IdSchema.optional().describe("The agent's own session id (e.g. Claude Code's session_id)"),
    tool: LabelSchema.describe("Tool name, e.g. 'Bash'"),
    input: BoundedJsonSchema.describe('Tool input; truncate long strings (file contents) and say so in summary'),
    cwd: PathSchema.optional(),
    summary: TextSchema.optional().describe('One-line human description of what will happen'),
    when_no_rule: z
      .enum(['human', 'agent'])
      .optional()
      .describe("Who decides when no policy rule does: a human in Flotilla ('human', the default) or the agent's own check ('agent': the decision is ask)"),
  })
  .meta({ id: 'ApprovalRequestFrame', title: 'approval_request', description: 'Agent -> supervisor: may I run this?' });

export type ApprovalRequestFrame = z.infer<typeof ApprovalRequestFrameSchema>;
