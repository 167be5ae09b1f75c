// Follows the agents paused at the model API's quota wall (snapshot.quotaPause, set by the signal router): says when an
// agent is paused, and when the reset time it reported has come, so the window can offer Resume. One timer per paused
// agent with a known reset; a new turn or tool (the pause cleared), an ended agent or a removed one cancels it.
import type { AgentSnapshot } from '../../shared/agent';
import type { Clock } from '../clock';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import { isEnded } from '../statusMachine';
import type { Fleet } from './fleet';

/** setTimeout's longest delay; a later reset re-arms from there. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class QuotaWatch implements Disposable {
  private readonly _onDidPause = new Emitter<AgentSnapshot>();
  private readonly _onDidReset = new Emitter<AgentSnapshot>();
  /** An agent newly paused at the quota wall (not those found paused at start: they were told before a reload). */
  readonly onDidPause: Event<AgentSnapshot> = this._onDidPause.event;
  /** A paused agent's reported reset time has come: it can be resumed. */
  readonly onDidReset: Event<AgentSnapshot> = this._onDidReset.event;
  /** Per agent: the pause followed (its `since`) and its timer. */
  private readonly followed = new Map<string, { since: number; timer?: unknown }>();
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly fleet: Fleet,
    private readonly clock: Clock,
  ) {
    this.subscriptions = [fleet.onDidChangeAgent((a) => this.check(a, true)), fleet.onDidRemoveAgent((id) => this.forget(id))];
    for (const agent of fleet.list()) this.check(agent, false);
  }

  private check(agent: AgentSnapshot, announce: boolean): void {
    const pause = agent.quotaPause;
    if (!pause || isEnded(agent.status)) {
      this.forget(agent.id);
      return;
    }
    if (this.followed.get(agent.id)?.since === pause.since) return;
    this.forget(agent.id);
    this.followed.set(agent.id, { since: pause.since });
    if (announce) this._onDidPause.fire(agent);
    if (pause.until !== undefined) this.arm(agent.id, pause.since, pause.until);
  }

  private arm(id: string, since: number, until: number): void {
    const entry = this.followed.get(id);
    if (!entry) return;
    const delay = Math.max(0, until - this.clock.now());
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      const agent = this.fleet.get(id);
      if (!agent || agent.quotaPause?.since !== since || isEnded(agent.status)) return;
      if (this.clock.now() < until) this.arm(id, since, until);
      else this._onDidReset.fire(agent);
    }, Math.min(delay, MAX_DELAY_MS));
  }

  private forget(id: string): void {
    const entry = this.followed.get(id);
    if (entry?.timer !== undefined) this.clock.clearTimeout(entry.timer);
    this.followed.delete(id);
  }

  dispose(): void {
    for (const id of [...this.followed.keys()]) this.forget(id);
    for (const s of this.subscriptions) s.dispose();
    this._onDidPause.dispose();
    this._onDidReset.dispose();
  }
}
