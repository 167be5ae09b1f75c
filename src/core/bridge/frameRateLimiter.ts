// Flood control for one agent connection: a token bucket of frames (a burst, refilled at a steady rate). A frame
// over it is refused with `rate_limited`; an agent that keeps sending regardless (it never lets half of the burst
// come back) is cut off.
import { FRAME_BURST, FRAME_RATE_PER_SECOND, MAX_RATE_LIMITED_FRAMES } from '../../shared/protocol/limits';

export interface FrameRate {
  readonly perSecond: number;
  readonly burst: number;
  /** Refusals after which the connection is closed, unless the agent slowed down in between (see admit). */
  readonly maxRefused: number;
}

export const DEFAULT_FRAME_RATE: FrameRate = {
  perSecond: FRAME_RATE_PER_SECOND,
  burst: FRAME_BURST,
  maxRefused: MAX_RATE_LIMITED_FRAMES,
};

/** 'ok': process the frame; 'limited': refuse it; 'flood': refuse it and close the connection. */
export type FrameAdmission = 'ok' | 'limited' | 'flood';

export class FrameRateLimiter {
  private tokens: number;
  private last: number;
  private refused = 0;

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
    // Only an agent that slowed down until half its burst came back is forgiven its refusals; a steady flood, let
    // through a frame each time a token trickles in, keeps counting up to the cut-off.
    if (this.tokens >= this.rate.burst / 2) this.refused = 0;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'ok';
    }
    this.refused++;
    return this.refused >= this.rate.maxRefused ? 'flood' : 'limited';
  }
}
