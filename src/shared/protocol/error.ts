// error (both directions): a frame was refused or something went wrong; names the frame and field when it can.
import { z } from 'zod';
import { frameHeader, LabelSchema, SeqSchema, TextSchema } from './fields';

export const ERROR_CODES = [
  'bad_frame', // not JSON, not an object, or a field fails its schema
  'frame_too_large', // over MAX_FRAME_BYTES
  'unknown_frame_type', // `type` is not a frame type of this protocol version
  'unsupported_version', // hello.v is not spoken by the peer (see supported_versions)
  'unauthorized', // bad or missing token
  'not_ready', // a frame other than hello before the welcome
  'out_of_order', // seq did not grow
  'unknown_request', // approval_decision for a request_id nobody asked
  'rate_limited', // too many frames; slow down
  'internal', // the peer failed; not the sender's fault
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Codes after which the sender closes the connection. */
export const FATAL_ERROR_CODES: readonly ErrorCode[] = ['unsupported_version', 'unauthorized', 'not_ready'];

export const ErrorFrameSchema = z
  .strictObject({
    ...frameHeader('error'),
    code: ErrorCodeSchema,
    message: TextSchema,
    ref_seq: SeqSchema.optional().describe('seq of the frame that caused the error, when known'),
    field: LabelSchema.optional().describe("Dotted path of the offending field, e.g. 'heartbeat.step.k'"),
    supported_versions: z.array(z.int().positive()).max(16).optional().describe('With unsupported_version'),
  })
  .meta({ id: 'ErrorFrame', title: 'error', description: 'Both directions: a refused frame or a failure' });

export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;
