// event (agent -> supervisor): a point-in-time log record, optionally inside a span.
import { z } from 'zod';
import { AttrsSchema, frameHeader, IdSchema, LabelSchema, TextSchema, TimestampSchema } from './fields';
import { logContextShape, SpanKindSchema } from './span';

export const EVENT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const EventLevelSchema = z.enum(EVENT_LEVELS);
export type EventLevel = z.infer<typeof EventLevelSchema>;

export const EventFrameSchema = z
  .strictObject({
    ...frameHeader('event'),
    ...logContextShape,
    span_id: IdSchema.optional().describe('Span the event happened in'),
    kind: SpanKindSchema,
    name: LabelSchema,
    ts: TimestampSchema,
    level: EventLevelSchema.optional().describe("Defaults to 'info'"),
    attrs: AttrsSchema.optional(),
    message: TextSchema.optional(),
  })
  .meta({ id: 'EventFrame', title: 'event', description: 'Agent -> supervisor: a point-in-time log record' });

export type EventFrame = z.infer<typeof EventFrameSchema>;
