// Paces the runner's frames under the supervisor's flood limit (docs/protocol.md, Limits: bursts of 1 000, then 100
// per second): a token bucket a little below it, so a replay of a long backlog after a reconnect is not refused.
import { FRAME_BURST, FRAME_RATE_PER_SECOND } from '../shared/protocol/limits';

export class SendPacer {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst = Math.floor(FRAME_BURST * 0.8),
    private readonly perSecond = Math.floor(FRAME_RATE_PER_SECOND * 0.9),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** 0 when a frame may go now (its token is taken), else the milliseconds to wait. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  /** The supervisor refused a frame over its rate: empty the bucket. */
  backOff(): void {
    this.tokens = 0;
  }
}
