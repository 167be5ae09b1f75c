// approval_decision (supervisor -> agent): the answer to an approval_request.
import { z } from 'zod';
import { frameHeader, IdSchema, TextSchema } from './fields';

/** 'ask' means: the supervisor does not decide; fall back to the agent's own prompt (e.g. its terminal). */
export const APPROVAL_DECISIONS = ['allow', 'deny', 'ask'] as const;
export const ApprovalDecisionSchema = z.enum(APPROVAL_DECISIONS);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const DECIDERS = ['user', 'policy', 'timeout'] as const;
export const DeciderSchema = z.enum(DECIDERS);
export type Decider = z.infer<typeof DeciderSchema>;

export const ApprovalDecisionFrameSchema = z
  .strictObject({
    ...frameHeader('approval_decision'),
    request_id: IdSchema,
    agent_id: IdSchema.optional().describe('Echoes approval_request.agent_id when it was set'),
    decision: ApprovalDecisionSchema,
    reason: TextSchema.optional().describe('Why; shown to the agent (and to the model on deny)'),
    decided_by: DeciderSchema,
  })
  .meta({ id: 'ApprovalDecisionFrame', title: 'approval_decision', description: 'Supervisor -> agent: the answer' });

export type ApprovalDecisionFrame = z.infer<typeof ApprovalDecisionFrameSchema>;
