// Approval requests as the views see them (DTO), shared by the tree, the notifications and the Approvals panel.
import { z } from 'zod';

export const ApprovalDecisionSchema = z.enum(['allow', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const DecidedBySchema = z.enum(['user', 'policy', 'timeout', 'terminal', 'supervisor']);
export type DecidedBy = z.infer<typeof DecidedBySchema>;

export const PendingApprovalSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  sessionId: z.string().optional(),
  tool: z.string(),
  /** One line for notifications: "Bash: git push origin feature". */
  summary: z.string(),
  input: z.unknown(),
  cwd: z.string().optional(),
  tier: z.string().optional(),
  rule: z.string().optional(),
  /** Why the gate sent it to a human (e.g. "budget exhausted: $5.02 of $5.00 for agent-3 — ..."). */
  reason: z.string().max(2048).optional(),
  createdAt: z.number(),
  escalated: z.boolean(),
});
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;
