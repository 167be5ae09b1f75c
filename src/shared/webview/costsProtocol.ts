// The Costs panel's webview protocol, declared once and imported by the host (src/vscode), the report builder
// (src/core/cost/costReport.ts) and the webview. The webview says `ready` with the period it shows (so a restored
// panel asks for what it showed); the host answers with a `report`, and sends a new one when the period changes or
// the fleet's spending does. Agent-supplied strings (names, groups, models) are data: the webview renders them as text.
import * as z from 'zod';
import { parseMessage } from './messages';
import type { MessageOf } from './messages';

export const COST_LIMITS = { text: 256, agents: 20_000, groups: 2_000, models: 500, credentials: 500, days: 31, subagents: 50 } as const;

export const COST_PERIODS = [7, 30] as const;
export const CostPeriodSchema = z.union([z.literal(7), z.literal(30)]);
export type CostPeriod = z.infer<typeof CostPeriodSchema>;

const Text = z.string().max(COST_LIMITS.text);
const Usd = z.number().nonnegative();
const Tokens = z.number().int().nonnegative();
const ByDay = z.array(Usd).max(COST_LIMITS.days);

/** A budget shown beside its scope: its text ("$5, 30m") and its dollar limit when it has one. */
export const CostBudgetSchema = z.strictObject({ text: Text, usd: Usd.optional() });
export type CostBudget = z.infer<typeof CostBudgetSchema>;

export const CostTokensSchema = z.strictObject({ input: Tokens, output: Tokens, cacheRead: Tokens, cacheWrite: Tokens });
export type CostTokens = z.infer<typeof CostTokensSchema>;

/** A subagent's share of its agent in the period (its requests are the agent's too, already in the agent's figures). */
export const CostSubagentRowSchema = z.strictObject({
  /** The subagent's id (Claude Code's), and its type ("Explore") when known: both agent-supplied text. */
  id: Text,
  type: Text.optional(),
  periodUsd: Usd,
  requests: z.number().int().nonnegative(),
  /** Some of its requests' models have no price. */
  unpriced: z.boolean(),
});
export type CostSubagentRow = z.infer<typeof CostSubagentRowSchema>;

export const CostAgentRowSchema = z.strictObject({
  id: Text,
  name: Text,
  group: Text.optional(),
  status: Text,
  /** Spent in the period (stored requests priced under today's prices). */
  periodUsd: Usd,
  /** Spent since the agent started (its summed, re-priced cost). */
  totalUsd: Usd,
  tokens: CostTokensSchema,
  requests: z.number().int().nonnegative(),
  budget: CostBudgetSchema.optional(),
  /** Part of its usage came before requests were stored one by one: that part is in totalUsd, in no day. */
  partialHistory: z.boolean(),
  /** Models without a price in the period (their tokens count, their cost does not). */
  unpriced: z.array(Text).max(50),
  /** Its subagents' shares in the period, costliest first (schema 6 on: requests before name no subagent). */
  subagents: z.array(CostSubagentRowSchema).max(COST_LIMITS.subagents).optional(),
});
export type CostAgentRow = z.infer<typeof CostAgentRowSchema>;

export const CostGroupRowSchema = z.strictObject({
  /** undefined: agents without a group. */
  group: Text.optional(),
  agents: z.number().int().nonnegative(),
  periodUsd: Usd,
  totalUsd: Usd,
  byDay: ByDay,
  budget: CostBudgetSchema.optional(),
});
export type CostGroupRow = z.infer<typeof CostGroupRowSchema>;

export const CostModelRowSchema = z.strictObject({
  model: Text,
  periodUsd: Usd,
  tokens: CostTokensSchema,
  requests: z.number().int().nonnegative(),
  /** Why it has no price (then periodUsd is 0). */
  unpriced: Text.optional(),
});
export type CostModelRow = z.infer<typeof CostModelRowSchema>;

export const CostCredentialRowSchema = z.strictObject({ name: Text, scope: Text, agents: z.number().int().nonnegative(), totalUsd: Usd });
export type CostCredentialRow = z.infer<typeof CostCredentialRowSchema>;

export const CostReportSchema = z.strictObject({
  days: CostPeriodSchema,
  /** Local midnight (ms) of each day of the period, oldest first; the last is today. */
  dayStarts: z.array(z.number()).max(COST_LIMITS.days),
  /** "2026-11-30" per day, in the host's time zone. */
  dayLabels: z.array(Text).max(COST_LIMITS.days),
  timeZone: Text,
  generatedAt: z.number(),
  fleet: z.strictObject({ periodUsd: Usd, totalUsd: Usd, byDay: ByDay, requests: z.number().int().nonnegative(), budget: CostBudgetSchema.optional() }),
  groups: z.array(CostGroupRowSchema).max(COST_LIMITS.groups),
  agents: z.array(CostAgentRowSchema).max(COST_LIMITS.agents),
  models: z.array(CostModelRowSchema).max(COST_LIMITS.models),
  credentials: z.array(CostCredentialRowSchema).max(COST_LIMITS.credentials),
});
export type CostReport = z.infer<typeof CostReportSchema>;

// Webview -> host.
export const CostsReadySchema = z.strictObject({ type: z.literal('ready'), days: CostPeriodSchema.optional() });
export const CostsPeriodSchema = z.strictObject({ type: z.literal('period'), days: CostPeriodSchema });
export const COSTS_WEBVIEW_TO_HOST = { ready: CostsReadySchema, period: CostsPeriodSchema } as const;
export type CostsWebviewMessage = MessageOf<typeof COSTS_WEBVIEW_TO_HOST>;

// Host -> webview.
export const CostsReportMessageSchema = z.strictObject({ type: z.literal('report'), report: CostReportSchema });
export const CostsErrorSchema = z.strictObject({ type: z.literal('error'), message: z.string().max(2048) });
export const COSTS_HOST_TO_WEBVIEW = { report: CostsReportMessageSchema, error: CostsErrorSchema } as const;
export type CostsHostMessage = MessageOf<typeof COSTS_HOST_TO_WEBVIEW>;

export const parseCostsWebviewMessage = (raw: unknown) => parseMessage(COSTS_WEBVIEW_TO_HOST, raw);
export const parseCostsHostMessage = (raw: unknown) => parseMessage(COSTS_HOST_TO_WEBVIEW, raw);
