// Field schemas shared by several frames: bounded strings, counters, timestamps, attributes, the frame header.
import { z } from 'zod';
import {
  MAX_ATTR_KEY_LENGTH,
  MAX_ATTR_VALUE_LENGTH,
  MAX_ATTRS,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_PATH_LENGTH,
  MAX_TEXT_LENGTH,
} from './limits';

export const IdSchema = z.string().min(1).max(MAX_ID_LENGTH);
export const LabelSchema = z.string().min(1).max(MAX_LABEL_LENGTH);
/** Free text may be empty (an empty log message is still a message). */
export const TextSchema = z.string().max(MAX_TEXT_LENGTH);
export const PathSchema = z.string().min(1).max(MAX_PATH_LENGTH);

/** Counters and sizes: non-negative safe integers. */
export const CountSchema = z.int().nonnegative();
/** Durations in milliseconds: non-negative, fractions allowed (performance.now() deltas). */
export const DurationMsSchema = z.number().nonnegative();
/** Wall-clock time as Unix epoch milliseconds. */
export const TimestampSchema = z.int().nonnegative().describe('Unix epoch milliseconds');
export const SeqSchema = z
  .int()
  .nonnegative()
  .describe("Sender's frame counter: starts at 0 with the first frame of a session and grows by 1 per frame");

export const AttrValueSchema = z.union([z.string().max(MAX_ATTR_VALUE_LENGTH), z.number(), z.boolean(), z.null()]);
const AttrRecordSchema = z
  .record(z.string().min(1).max(MAX_ATTR_KEY_LENGTH), AttrValueSchema)
  .refine((attrs) => Object.keys(attrs).length <= MAX_ATTRS, { message: `too many attributes (max ${MAX_ATTRS})` })
  .meta({ maxProperties: MAX_ATTRS, description: 'Flat record of scalar attributes' });

/** zod's record skips a '__proto__' key (JSON.parse keeps it as an own key); refuse it rather than drop it. */
export const AttrsSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: "key '__proto__' is not allowed", path: ['__proto__'] });
    }
  })
  .pipe(AttrRecordSchema);

/** The two fields every frame starts with. */
export function frameHeader<T extends string>(type: T) {
  return { type: z.literal(type), seq: SeqSchema };
}
