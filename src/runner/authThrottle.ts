// Failed authentication is rate-limited per peer address: after `maxFailures` in a window, that address is refused
// (HTTP 429) until the window passes, so a token cannot be guessed at network speed. Bounded in memory.
export class AuthThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
    private readonly maxPeers = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(peer: string): boolean {
    const entry = this.failures.get(peer);
    if (!entry) return false;
    if (this.now() - entry.since > this.windowMs) {
      this.failures.delete(peer);
      return false;
    }
    return entry.count >= this.maxFailures;
  }

  failed(peer: string): void {
    const entry = this.failures.get(peer);
    if (entry && this.now() - entry.since <= this.windowMs) entry.count++;
    else {
      if (this.failures.size >= this.maxPeers) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(peer, { count: 1, since: this.now() });
    }
  }
}
