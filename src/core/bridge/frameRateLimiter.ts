// Flood control for one agent connection: a token bucket of frames (a burst, refilled at a steady rate). A frame
// over it is refused with `rate_limited`; an agent that keeps sending regardless is cut off.
import { FRAME_BURST, FRAME_RATE_PER_SECOND, MAX_RATE_LIMITED_FRAMES } from '../../shared/protocol/limits';

export interface FrameRate {
  readonly perSecond: number;
  readonly burst: number;
  /** Refusals in a row after which the connection is closed. */
  readonly maxRefusedInRow: number;
}

export const DEFAULT_FRAME_RATE: FrameRate = {
  perSecond: FRAME_RATE_PER_SECOND,
  burst: FRAME_BURST,
  maxRefusedInRow: MAX_RATE_LIMITED_FRAMES,
};

/** 'ok': process the frame; 'limited': refuse it; 'flood': refuse it and close the connection. */
export type FrameAdmission = 'ok' | 'limited' | 'flood';

export class FrameRateLimiter {
  private tokens: number;
  private last: number;
  private refusedInRow = 0;

  constructor(
    readonly rate: FrameRate,
    private readonly now: () => number,
  ) {
    this.tokens = rate.burst;
    this.last = now();
  }

  admit(): FrameAdmission {
    const now = this.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInRow = 0;
      return 'ok';
    }
    this.refusedInRow++;
    return this.refusedInRow >= this.rate.maxRefusedInRow ? 'flood' : 'limited';
  }
}
