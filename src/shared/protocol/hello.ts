// hello (agent -> supervisor): the first frame of every connection; says who the agent is and proves it with a token.
import { z } from 'zod';
import { AgentKindSchema } from '../status';
import { CountSchema, frameHeader, IdSchema, LabelSchema, SeqSchema } from './fields';
import { MAX_CAPABILITIES, MAX_CAPABILITY_LENGTH, MAX_TOKEN_LENGTH } from './limits';
import { PROTOCOL_VERSION } from './version';

/** Capabilities this supervisor understands; unknown ones are accepted and ignored, for forward compatibility. */
export const KNOWN_CAPABILITIES = ['heartbeats', 'spans', 'events', 'approvals', 'control'] as const;
export type KnownCapability = (typeof KNOWN_CAPABILITIES)[number];

export const CapabilitiesSchema = z
  .array(z.string().min(1).max(MAX_CAPABILITY_LENGTH))
  .max(MAX_CAPABILITIES)
  .describe(`Features the sender uses, e.g. ${KNOWN_CAPABILITIES.map((c) => `'${c}'`).join(', ')}`);

export const ResumeSchema = z
  .strictObject({
    session_id: IdSchema.describe('session_id from the welcome of the connection being resumed'),
    last_seq: SeqSchema.describe('Highest supervisor seq the agent has processed'),
  })
  .describe('Present when reconnecting: asks the supervisor to continue an earlier session');

export const HelloFrameSchema = z
  .strictObject({
    ...frameHeader('hello'),
    v: z.literal(PROTOCOL_VERSION).describe('Protocol version the agent speaks'),
    agent_id: IdSchema.describe('Stable id of the agent, unique within the supervisor'),
    name: LabelSchema.describe('Display name'),
    kind: AgentKindSchema,
    fleet: IdSchema.optional(),
    group: IdSchema.optional(),
    host: LabelSchema.optional().describe('Machine the agent runs on'),
    pid: CountSchema.optional(),
    token: z.string().min(1).max(MAX_TOKEN_LENGTH).describe('Shared secret the supervisor issued'),
    capabilities: CapabilitiesSchema,
    resume: ResumeSchema.optional(),
  })
  .meta({ id: 'HelloFrame', title: 'hello', description: 'Agent -> supervisor: first frame of a connection' });

export type HelloFrame = z.infer<typeof HelloFrameSchema>;
