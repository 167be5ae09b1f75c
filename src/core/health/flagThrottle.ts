// One notification per agent per episode: a flag (looping, stuck) is announced when it is raised, and not again for
// the same agent and flag within the same turn or within the cooldown, however often the detector clears and raises
// it (an agent that alternates a failing call with another one flaps between looping and not). The row and the
// tooltip still show every change; only the notifications are held back.
export const FLAG_NOTIFY_COOLDOWN_MS = 10 * 60_000;

export class FlagThrottle {
  private readonly turns = new Map<string, number>();
  private readonly last = new Map<string, { turn: number; at: number }>();

  constructor(private readonly cooldownMs: () => number = () => FLAG_NOTIFY_COOLDOWN_MS) {}

  /** A new turn began: a new episode. */
  turnStarted(agentId: string): void {
    this.turns.set(agentId, (this.turns.get(agentId) ?? 0) + 1);
  }

  /** Whether to announce this flag now; records it when yes. */
  shouldNotify(agentId: string, flag: string, now: number): boolean {
    const key = `${agentId}\n${flag}`;
    const turn = this.turns.get(agentId) ?? 0;
    const prev = this.last.get(key);
    if (prev && (prev.turn === turn || now - prev.at < this.cooldownMs())) return false;
    this.last.set(key, { turn, at: now });
    return true;
  }

  forget(agentId: string): void {
    this.turns.delete(agentId);
    for (const key of [...this.last.keys()]) if (key.startsWith(`${agentId}\n`)) this.last.delete(key);
  }
}
