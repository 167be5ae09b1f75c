// A trace span as the core stores it and the Trace panel shows it (DTO): one model request, tool call, subagent,
// approval wait or task (a user prompt to the end of its turn). Shared by the recorder, the store and the webview.
import * as z from 'zod';

export const SPAN_KINDS = ['task', 'model', 'tool', 'subagent', 'approval-wait'] as const;
export const SpanKindSchema = z.enum(SPAN_KINDS);
export type SpanKind = z.infer<typeof SpanKindSchema>;

export const SPAN_STATUSES = ['running', 'ok', 'error', 'denied', 'interrupted'] as const;
export const SpanStatusSchema = z.enum(SPAN_STATUSES);
export type SpanStatus = z.infer<typeof SpanStatusSchema>;

/** Attribute values are text or numbers (already redacted and cut to size by the recorder). */
export const SpanAttributesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type SpanAttributes = z.infer<typeof SpanAttributesSchema>;

export const TraceSpanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  agentId: z.string(),
  agentName: z.string().optional(),
  sessionId: z.string().optional(),
  kind: SpanKindSchema,
  name: z.string(),
  /** Epoch ms. */
  start: z.number(),
  /** Epoch ms; absent while running. */
  end: z.number().optional(),
  status: SpanStatusSchema,
  tokens: z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() }).optional(),
  costUsd: z.number().optional(),
  model: z.string().optional(),
  attributes: SpanAttributesSchema,
  /** What was wrong with the input this span was built from (end before start, no start seen ...): shown, never hidden. */
  problems: z.array(z.string()).optional(),
});
export type TraceSpan = z.infer<typeof TraceSpanSchema>;
