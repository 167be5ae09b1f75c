// The Approvals panel's webview protocol, declared once and imported by the host (src/vscode) and the webview.
// The webview says `ready` first; only then does the host send. Requests carry a requestId echoed by the answer.
import * as z from 'zod';
import { ApprovalDecisionSchema, PendingApprovalSchema } from '../approval';
import { parseMessage } from './messages';
import type { MessageOf } from './messages';

/** Bounds on what the webview may ask for in one message (far above real use, low enough to refuse garbage). */
export const APPROVALS_LIMITS = {
  idLength: 200,
  idsPerDecide: 10_000,
  messageLength: 2_000,
} as const;

const Id = z.string().min(1).max(APPROVALS_LIMITS.idLength);

// Webview -> host. Strict: a field the host does not know is a bug on the webview side, not something to drop.

export const ReadyMessageSchema = z.strictObject({ type: z.literal('ready') });

export const DecideRequestSchema = z.strictObject({
  type: z.literal('decide'),
  requestId: Id,
  ids: z.array(Id).min(1).max(APPROVALS_LIMITS.idsPerDecide),
  decision: ApprovalDecisionSchema,
  /** Told to the agent with the decision (the reason of a deny). */
  message: z.string().max(APPROVALS_LIMITS.messageLength).optional(),
});
export type DecideRequest = z.infer<typeof DecideRequestSchema>;

export const OpenAgentMessageSchema = z.strictObject({ type: z.literal('openAgent'), agentId: Id });

/** "Always allow this": for this agent (a rule in the workspace policy) or only for its current session. */
export const AlwaysAllowScopeSchema = z.enum(['agent', 'session']);
export type AlwaysAllowScope = z.infer<typeof AlwaysAllowScopeSchema>;

/** Adds the narrowest rule allowing this exact action from now on, then allows the request. Answered by `decideResult`. */
export const AlwaysAllowRequestSchema = z.strictObject({
  type: z.literal('alwaysAllow'),
  requestId: Id,
  /** The pending request's id. */
  id: Id,
  scope: AlwaysAllowScopeSchema,
});
export type AlwaysAllowRequest = z.infer<typeof AlwaysAllowRequestSchema>;

export const WEBVIEW_TO_HOST = {
  ready: ReadyMessageSchema,
  decide: DecideRequestSchema,
  openAgent: OpenAgentMessageSchema,
  alwaysAllow: AlwaysAllowRequestSchema,
} as const;
export type ApprovalsWebviewMessage = MessageOf<typeof WEBVIEW_TO_HOST>;

// Host -> webview.

/** Bounds of an agent's context texts (excerpts: the panel shows a glimpse, the terminal has the rest). */
export const CONTEXT_LIMITS = { task: 600, lastMessage: 600, budgetNote: 300 } as const;

/** What the reviewer needs to know about the agent behind a request: its task, what it last said, its spend. */
export const AgentContextSchema = z.strictObject({
  agentId: z.string(),
  /** The agent's prompt, excerpted. */
  task: z.string().max(CONTEXT_LIMITS.task).optional(),
  /** The agent's last assistant text before it asked, excerpted (its end: the words that led to the request). */
  lastMessage: z.string().max(CONTEXT_LIMITS.lastMessage).optional(),
  costUsd: z.number().nonnegative(),
  /** The agent's own dollar budget, when it has one. */
  budgetUsd: z.number().positive().optional(),
  /** Why the agent is paused for budget ("$5.02 of $5.00 for group web"), when it is. */
  budgetNote: z.string().max(CONTEXT_LIMITS.budgetNote).optional(),
});
export type AgentContext = z.infer<typeof AgentContextSchema>;

export const StateMessageSchema = z.strictObject({
  type: z.literal('state'),
  /** Every pending request, oldest first. */
  pending: z.array(PendingApprovalSchema),
  /** The context of each agent with a pending request (absent: none known). */
  agents: z.array(AgentContextSchema).optional(),
  /** The host's clock when it sent this, so the webview shows ages without trusting its own clock. */
  now: z.number(),
});
export type StateMessage = z.infer<typeof StateMessageSchema>;

export const DecideItemResultSchema = z.strictObject({
  id: z.string(),
  ok: z.boolean(),
  /** Why it was refused, e.g. the request was already answered or timed out. */
  reason: z.string().optional(),
  /** What else happened, for the panel's notice (the rule an always-allow added). */
  message: z.string().optional(),
});
export type DecideItemResult = z.infer<typeof DecideItemResultSchema>;

export const DecideResultSchema = z.strictObject({
  type: z.literal('decideResult'),
  requestId: z.string(),
  /** One entry per id of the request, in the same order. */
  results: z.array(DecideItemResultSchema),
});
export type DecideResult = z.infer<typeof DecideResultSchema>;

export const HOST_TO_WEBVIEW = {
  state: StateMessageSchema,
  decideResult: DecideResultSchema,
} as const;
export type ApprovalsHostMessage = MessageOf<typeof HOST_TO_WEBVIEW>;

/** The request/response pairs: each request's answer carries the request's requestId. */
export interface ApprovalsRequests {
  decide: { request: DecideRequest; response: DecideResult };
  alwaysAllow: { request: AlwaysAllowRequest; response: DecideResult };
}

export const parseWebviewMessage = (raw: unknown) => parseMessage(WEBVIEW_TO_HOST, raw);
export const parseHostMessage = (raw: unknown) => parseMessage(HOST_TO_WEBVIEW, raw);
