// heartbeat (agent -> supervisor): "still alive, here is where I am"; its absence is how stalls are detected.
import { z } from 'zod';
import { AgentStatusSchema } from '../status';
import { CountSchema, DurationMsSchema, frameHeader, IdSchema, LabelSchema } from './fields';
import { MAX_BLOCKERS } from './limits';

export const StepSchema = z
  .strictObject({
    k: CountSchema.describe('Current step, 1-based (0 before the first step)'),
    n: CountSchema.optional().describe('Number of steps, when known'),
    label: LabelSchema.optional().describe('What the current step does'),
  })
  .refine((step) => step.n === undefined || step.k <= step.n, { message: 'k must not exceed n', path: ['k'] });

export const HeartbeatFrameSchema = z
  .strictObject({
    ...frameHeader('heartbeat'),
    agent_id: IdSchema.optional().describe("Defaults to hello's agent_id; set by runners that host several agents"),
    task_id: IdSchema.optional(),
    step: StepSchema.optional(),
    elapsed_ms: DurationMsSchema.describe('Time spent on the current task (or since hello when there is none)'),
    blockers: z
      .array(LabelSchema)
      .max(MAX_BLOCKERS)
      .optional()
      .describe('Short notes on what keeps the agent from progressing'),
    status: AgentStatusSchema.optional(),
  })
  .meta({ id: 'HeartbeatFrame', title: 'heartbeat', description: 'Agent -> supervisor: liveness and progress' });

export type HeartbeatFrame = z.infer<typeof HeartbeatFrameSchema>;
