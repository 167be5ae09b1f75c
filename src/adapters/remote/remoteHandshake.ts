// The hello check of a remote agent connection: the first frame must be a hello whose token belongs to the agent it
// names (the core's token lookup decides), and the welcome that opens the session.
import type { AgentSnapshot } from '../../shared/agent';
import type { FrameDraft } from '../../shared/protocol/frames';
import { KNOWN_CAPABILITIES } from '../../shared/protocol/hello';
import type { HelloFrame } from '../../shared/protocol/hello';
import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from '../../shared/protocol/limits';
import { FATAL_ERROR_CODES } from '../../shared/protocol/error';
import type { FrameError, ParseResult } from '../../shared/protocol/parse';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { WelcomeFrame } from '../../shared/protocol/welcome';
import { CLOSE_CODES, closeCodeFor } from './remoteClose';
import { notHelloError } from './remoteRefusals';

export type HelloCheck = { readonly ok: true; readonly agent: AgentSnapshot } | { readonly ok: false; readonly error: FrameError };

/** One answer for an unknown token and for a token of another agent: the reply must not help guess either. */
export function checkHello(hello: HelloFrame, agentByToken: (token: string) => AgentSnapshot | undefined): HelloCheck {
  const agent = agentByToken(hello.token);
  if (agent && agent.id === hello.agent_id && agent.kind === 'remote') return { ok: true, agent };
  return {
    ok: false,
    error: {
      code: 'unauthorized',
      field: 'hello.token',
      message: `hello.token: not a valid token for agent '${hello.agent_id}'`,
      ref_seq: hello.seq,
    },
  };
}

/** What to do with a frame before the hello was accepted: open the session, or refuse it (and close, or wait on). */
export type HandshakeStep =
  | { readonly ok: true; readonly hello: HelloFrame; readonly agent: AgentSnapshot }
  | { readonly ok: false; readonly error: FrameError; readonly close?: { readonly code: number; readonly reason: string }; readonly warn?: string };

export function handshakeStep(result: ParseResult, agentByToken: (token: string) => AgentSnapshot | undefined): HandshakeStep {
  if (!result.ok) {
    const fatal = FATAL_ERROR_CODES.includes(result.error.code);
    return { ok: false, error: result.error, ...(fatal ? { close: { code: closeCodeFor(result.error.code), reason: result.error.code } } : {}) };
  }
  const frame = result.frame;
  if (frame.type !== 'hello') return { ok: false, error: notHelloError(frame), close: { code: CLOSE_CODES.policyViolation, reason: 'not_ready' } };
  const check = checkHello(frame, agentByToken);
  if (!check.ok) {
    return {
      ok: false,
      error: check.error,
      close: { code: CLOSE_CODES.policyViolation, reason: 'unauthorized' },
      warn: `refused hello for agent '${frame.agent_id}': ${check.error.message}`,
    };
  }
  return { ok: true, hello: frame, agent: check.agent };
}

/** The heartbeat pace to ask for: a third of the stall timeout, so one lost heartbeat is not a stall. */
export function heartbeatIntervalFor(heartbeatTimeoutMs: number): number {
  const third = Math.floor(heartbeatTimeoutMs / 3);
  return Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.max(MIN_HEARTBEAT_INTERVAL_MS, third));
}

/** `resumedAt`: hello.resume was honoured, and this is the highest agent seq of the session whose effect is stored. */
export function welcomeFor(hello: HelloFrame, sessionId: string, heartbeatIntervalMs: number, now: number, resumedAt?: number): FrameDraft<WelcomeFrame> {
  const known: readonly string[] = KNOWN_CAPABILITIES;
  return {
    type: 'welcome',
    v: PROTOCOL_VERSION,
    session_id: sessionId,
    server_time: Math.floor(now),
    heartbeat_interval_ms: Math.round(Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.max(MIN_HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs))),
    capabilities: [...new Set(hello.capabilities.filter((c) => known.includes(c)))],
    // A resumed session continues: the agent resends what it sent after last_seq (see docs/protocol.md, Reconnecting).
    resumed: resumedAt !== undefined,
    ...(resumedAt === undefined ? {} : { last_seq: resumedAt }),
  };
}
