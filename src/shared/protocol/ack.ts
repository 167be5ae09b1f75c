// ack (both directions): the receiver has processed every frame of the peer up to and including ack_seq.
import { z } from 'zod';
import { frameHeader, SeqSchema } from './fields';

export const AckFrameSchema = z
  .strictObject({
    ...frameHeader('ack'),
    ack_seq: SeqSchema.describe("Highest peer seq processed (cumulative: it acknowledges all earlier ones too)"),
  })
  .meta({ id: 'AckFrame', title: 'ack', description: 'Both directions: frames up to ack_seq were processed' });

export type AckFrame = z.infer<typeof AckFrameSchema>;
