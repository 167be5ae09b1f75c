// How agent connections end: the WebSocket close codes the server uses, and the reason line the fleet shows.
import type { ErrorCode } from '../../shared/protocol/error';

export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  /** Flotilla could not process the agent's frames (its store failed); the agent should reconnect later. */
  internalError: 1011,
  /** A newer connection of the same agent took over. */
  replaced: 4000,
} as const;

/** The close code after a fatal error frame. */
export function closeCodeFor(code: ErrorCode): number {
  return code === 'unsupported_version' ? CLOSE_CODES.protocolError : CLOSE_CODES.policyViolation;
}

/** The fleet's reason for a connection the agent's side ended; `failure` is what we know better than the code. */
export function describeClose(code: number, reason: string, failure: string | undefined): string {
  if (failure !== undefined) return `connection failed: ${failure}`;
  if (code === 1006) return 'connection lost (closed without a close frame)';
  const why = reason === '' ? '' : `: ${reason}`;
  if (code === CLOSE_CODES.normal || code === CLOSE_CODES.goingAway) return `the agent closed the connection${why}`;
  return `connection closed (code ${code}${why})`;
}
