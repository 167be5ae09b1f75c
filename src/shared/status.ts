// The agent status vocabulary, shared by the core, the wire protocol and the webviews.
import { z } from 'zod';

export const AGENT_STATUSES = [
  'starting',
  'working',
  'waiting-input',
  'waiting-approval',
  'idle',
  'stalled',
  'disconnected',
  'unreachable',
  'failed',
  'done',
  'stopped',
  'quarantined',
] as const;

export const AgentStatusSchema = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const AGENT_KINDS = ['claude-code', 'codex', 'custom', 'remote'] as const;
export const AgentKindSchema = z.enum(AGENT_KINDS);
export type AgentKind = z.infer<typeof AgentKindSchema>;
