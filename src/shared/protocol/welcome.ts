// welcome (supervisor -> agent): the answer to an accepted hello; fixes the version, session and heartbeat pace.
import { z } from 'zod';
import { frameHeader, IdSchema, SeqSchema, TimestampSchema } from './fields';
import { CapabilitiesSchema } from './hello';
import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from './limits';
import { PROTOCOL_VERSION } from './version';

export const WelcomeFrameSchema = z
  .strictObject({
    ...frameHeader('welcome'),
    v: z.literal(PROTOCOL_VERSION).describe('Protocol version accepted for this session'),
    session_id: IdSchema.describe('Id of this session; send it in hello.resume to resume after a reconnect'),
    server_time: TimestampSchema.describe("Supervisor's clock (Unix epoch ms), to estimate clock skew"),
    heartbeat_interval_ms: z
      .int()
      .min(MIN_HEARTBEAT_INTERVAL_MS)
      .max(MAX_HEARTBEAT_INTERVAL_MS)
      .describe('Send a heartbeat at least this often'),
    capabilities: CapabilitiesSchema.describe('Capabilities of the hello that the supervisor will use'),
    resumed: z.boolean().describe('True when hello.resume was honoured and the earlier session continues'),
    last_seq: SeqSchema.optional().describe(
      'When resumed: highest agent seq the supervisor received; the agent resends what came after it',
    ),
  })
  .meta({ id: 'WelcomeFrame', title: 'welcome', description: 'Supervisor -> agent: hello accepted' });

export type WelcomeFrame = z.infer<typeof WelcomeFrameSchema>;
