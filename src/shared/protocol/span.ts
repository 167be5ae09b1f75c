// span (agent -> supervisor): one timed unit of agent work (a model call, a tool run, a task) with its usage and cost.
// A span may be sent when it starts (status 'running') and again when it ends; the later frame replaces the earlier.
import { z } from 'zod';
import { AttrsSchema, CountSchema, frameHeader, IdSchema, LabelSchema, TextSchema, TimestampSchema } from './fields';

export const SPAN_KINDS = ['agent', 'task', 'model', 'tool', 'log'] as const;
export const SpanKindSchema = z.enum(SPAN_KINDS);
export type SpanKind = z.infer<typeof SpanKindSchema>;

export const SPAN_STATUSES = ['running', 'ok', 'error'] as const;
export const SpanStatusSchema = z.enum(SPAN_STATUSES);
export type SpanStatus = z.infer<typeof SpanStatusSchema>;

/** Who and what a log record belongs to; shared by span and event frames. */
export const logContextShape = {
  agent_id: IdSchema.optional().describe("Defaults to hello's agent_id; set by runners that host several agents"),
  fleet: IdSchema.optional(),
  group: IdSchema.optional(),
  task_id: IdSchema.optional(),
  trace_id: IdSchema.optional(),
};

export const SpanFrameSchema = z
  .strictObject({
    ...frameHeader('span'),
    ...logContextShape,
    span_id: IdSchema,
    parent_span_id: IdSchema.optional(),
    kind: SpanKindSchema,
    name: LabelSchema.describe("What ran, e.g. the tool name or 'claude-sonnet-4 turn'"),
    status: SpanStatusSchema,
    started_at: TimestampSchema.optional(),
    ended_at: TimestampSchema.optional(),
    // Not checked against started_at/ended_at, and a negative one is accepted: the supervisor stores such a span with
    // the problem marked (issue 12: bad spans are shown, never dropped).
    duration_ms: z.number().describe('Milliseconds; should be >= 0 (a negative one is stored with a problem marked)').optional(),
    model: LabelSchema.optional(),
    tokens_in: CountSchema.optional(),
    tokens_out: CountSchema.optional(),
    cache_read_tokens: CountSchema.optional(),
    cache_write_tokens: CountSchema.optional(),
    cost_usd: z.number().nonnegative().optional(),
    attrs: AttrsSchema.optional(),
    message: TextSchema.optional(),
  })
  .refine((span) => span.started_at !== undefined || span.duration_ms !== undefined, {
    message: 'a span needs started_at or duration_ms',
    path: ['started_at'],
  })
  .meta({ id: 'SpanFrame', title: 'span', description: 'Agent -> supervisor: a timed unit of work' });

export type SpanFrame = z.infer<typeof SpanFrameSchema>;
