// Unreachable is not failed, for a while: a remote agent whose connection broke without a goodbye (its host died, the
// network failed, its heartbeats stopped) stays `unreachable` for a grace period, in which a reconnect brings it back;
// past it the agent is failed with the reason. The status moves go through the fleet's state machine.
import type { Clock } from '../clock';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import type { Fleet } from './fleet';

/** How long an unreachable agent may come back before it counts as failed. */
export const DEFAULT_UNREACHABLE_GRACE_MS = 5 * 60_000;

export interface UnreachableWatchOptions {
  readonly fleet: Pick<Fleet, 'get' | 'list' | 'apply' | 'onDidChangeAgent' | 'onDidRemoveAgent'>;
  readonly clock: Clock;
  /** Read when an agent becomes unreachable. */
  readonly graceMs: () => number;
  readonly log: Logger;
}

export class UnreachableWatch implements Disposable {
  private readonly timers = new Map<string, unknown>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly options: UnreachableWatchOptions) {
    const { fleet } = options;
    this.subscriptions = [
      fleet.onDidChangeAgent((agent) => (agent.status === 'unreachable' ? this.watch(agent.id) : this.forget(agent.id))),
      fleet.onDidRemoveAgent((id) => this.forget(id)),
    ];
    // Unreachable when Flotilla last ran: the grace starts again now.
    for (const agent of fleet.list()) if (agent.status === 'unreachable') this.watch(agent.id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const id of [...this.timers.keys()]) this.forget(id);
  }

  private watch(id: string): void {
    if (this.timers.has(id)) return;
    const graceMs = this.options.graceMs();
    this.timers.set(
      id,
      this.options.clock.setTimeout(() => this.expire(id, graceMs), graceMs),
    );
  }

  private forget(id: string): void {
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    this.options.clock.clearTimeout(timer);
    this.timers.delete(id);
  }

  private expire(id: string, graceMs: number): void {
    this.timers.delete(id);
    const agent = this.options.fleet.get(id);
    if (agent?.status !== 'unreachable') return;
    const seconds = Math.round(graceMs / 100) / 10;
    const why = `unreachable for ${seconds} s${agent.statusReason ? ` (${agent.statusReason})` : ''}`;
    this.options.log.warn(`agent ${agent.name}: ${why}; marked failed`);
    this.options.fleet.apply(id, 'errored', { statusReason: why.slice(0, 2048) });
  }
}
