// The agent socket's flood control on a fake clock: a burst, a steady refill, refusals, and the cut-off for an agent
// that keeps flooding even while a frame trickles through now and then.
import assert from 'node:assert/strict';
import { FrameRateLimiter } from '../../../src/core/bridge/frameRateLimiter';

describe('FrameRateLimiter', () => {
  let now = 0;
  const clock = () => now;
  const admitN = (limiter: FrameRateLimiter, n: number) => Array.from({ length: n }, () => limiter.admit());

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a burst through, then refuses until tokens come back at the steady rate', () => {
    const limiter = new FrameRateLimiter({ perSecond: 10, burst: 5, maxRefused: 100 }, clock);
    assert.deepEqual(admitN(limiter, 6), ['ok', 'ok', 'ok', 'ok', 'ok', 'limited']);
    now += 100; // one token at 10 per second
    assert.deepEqual(admitN(limiter, 2), ['ok', 'limited']);
    now += 10_000; // refilled, but never beyond the burst
    assert.deepEqual(admitN(limiter, 6), ['ok', 'ok', 'ok', 'ok', 'ok', 'limited']);
  });

  it('cuts off a flood that a trickle of admitted frames does not excuse', () => {
    const limiter = new FrameRateLimiter({ perSecond: 10, burst: 10, maxRefused: 20 }, clock);
    admitN(limiter, 10);
    const outcomes: string[] = [];
    // 100 frames per second against 10 per second allowed: one in ten gets through.
    for (let i = 0; i < 30 && !outcomes.includes('flood'); i++) {
      now += 10;
      outcomes.push(limiter.admit());
    }
    assert.ok(outcomes.includes('ok'), 'some frames were let through');
    assert.equal(outcomes.at(-1), 'flood');
    assert.equal(outcomes.filter((o) => o !== 'ok').length, 20);
  });

  it('forgives the refusals of an agent that slowed down until half the burst came back', () => {
    const limiter = new FrameRateLimiter({ perSecond: 10, burst: 10, maxRefused: 3 }, clock);
    admitN(limiter, 10);
    assert.deepEqual(admitN(limiter, 2), ['limited', 'limited']);
    now += 500; // five tokens: half the burst
    assert.deepEqual(admitN(limiter, 5), ['ok', 'ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(admitN(limiter, 3), ['limited', 'limited', 'flood']);
  });
});
