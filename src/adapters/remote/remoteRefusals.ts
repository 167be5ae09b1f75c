// The refusals a remote agent connection answers with, besides the parser's own: no hello in time, a frame before
// the hello, a seq that does not grow, a frame over the rate limit. Each names the field, as every error frame does.
import type { FrameRate } from '../../core/bridge/frameRateLimiter';
import type { Frame } from '../../shared/protocol/frames';
import type { FrameError } from '../../shared/protocol/parse';

export function helloTimeoutError(helloTimeoutMs: number): FrameError {
  return { code: 'not_ready', field: '', message: `frame: no hello within ${Math.round(helloTimeoutMs / 100) / 10} s` };
}

export function notHelloError(frame: Frame): FrameError {
  return { code: 'not_ready', field: 'type', message: `type: '${frame.type}' before the welcome; the first frame must be hello`, ref_seq: frame.seq };
}

/** A repeat (e.g. resent while our ack was in flight): not processed again. */
export function outOfOrderError(frame: Frame, lastSeq: number): FrameError {
  return {
    code: 'out_of_order',
    field: `${frame.type}.seq`,
    message: `${frame.type}.seq: ${frame.seq} does not grow (last was ${lastSeq}); frame ignored`,
    ref_seq: frame.seq,
  };
}

/** A frame over the rate, not processed; `seq` when it had a valid one. */
export function rateLimitedError(rate: FrameRate, seq: number | undefined): FrameError {
  return {
    code: 'rate_limited',
    field: '',
    message: `frame: over the rate limit (${rate.burst} frames at once, then ${rate.perSecond} per second); not processed, send it again later`,
    ...(seq === undefined ? {} : { ref_seq: seq }),
  };
}

/** The seq of a frame that is not otherwise read (refused before its schema), when it has a valid one. */
export function seqOf(bytes: Uint8Array): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
    const seq = value !== null && typeof value === 'object' ? (value as { seq?: unknown }).seq : undefined;
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}
