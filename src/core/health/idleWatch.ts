// The idle protocol: an agent done with its turn (idle, lastTurn 'ended') and left alone gets one nudge after
// `nudgeMs`, and, when `stopMs` is set, is stopped gracefully: never while a tool call is open (checked again a
// minute later), its worktree kept (stopping never removes anything). One timer per idle agent.
import type { Clock } from '../clock';
import type { Disposable } from '../events';
import { Emitter } from '../events';
import type { Event } from '../events';
import { formatDuration } from '../format';
import type { AgentSnapshot } from '../../shared/agent';
import type { Fleet } from '../fleet/fleet';

export interface IdleWatchOptions {
  readonly fleet: Pick<Fleet, 'get' | 'list' | 'onDidChangeAgent' | 'onDidRemoveAgent'>;
  readonly clock: Clock;
  /** Read at each check: `flotilla.idle.nudgeAfterMinutes` in ms; undefined or 0: no nudge. */
  readonly nudgeMs: () => number | undefined;
  /** `flotilla.idle.stopAfterMinutes` in ms; undefined or 0 (the default): never stopped for being idle. */
  readonly stopMs: () => number | undefined;
  /** Stops the agent the way the user's Stop does. */
  readonly stop: (agentId: string, reason: string) => void | Promise<void>;
}

interface Idle {
  since: number;
  nudged: boolean;
  timer?: unknown;
}

const RETRY_MS = 60_000;

export const isDoneIdle = (a: AgentSnapshot): boolean => a.status === 'idle' && a.lastTurn === 'ended';

export class IdleWatch implements Disposable {
  private readonly idle = new Map<string, Idle>();
  private readonly subscriptions: Disposable[];
  private readonly _onDidNudge = new Emitter<{ agent: AgentSnapshot; idleMs: number }>();
  /** Once per idle stretch: the agent waits for review, new work or Stop. */
  readonly onDidNudge: Event<{ agent: AgentSnapshot; idleMs: number }> = this._onDidNudge.event;

  constructor(private readonly options: IdleWatchOptions) {
    this.subscriptions = [options.fleet.onDidChangeAgent((a) => this.follow(a)), options.fleet.onDidRemoveAgent((id) => this.clear(id))];
    for (const a of options.fleet.list()) this.follow(a);
  }

  /** Since when the agent has been done and idle (undefined: it is not). */
  idleSince(agentId: string): number | undefined {
    return this.idle.get(agentId)?.since;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const id of [...this.idle.keys()]) this.clear(id);
    this._onDidNudge.dispose();
  }

  private follow(agent: AgentSnapshot): void {
    if (!isDoneIdle(agent)) {
      this.clear(agent.id);
      return;
    }
    if (this.idle.has(agent.id)) return;
    const w: Idle = { since: this.options.clock.now(), nudged: false };
    this.idle.set(agent.id, w);
    this.arm(agent.id, w);
  }

  private arm(agentId: string, w: Idle, retryInMs?: number): void {
    const now = this.options.clock.now();
    const nudge = this.options.nudgeMs() || undefined;
    const stop = this.options.stopMs() || undefined;
    // Past deadlines (a stop held off by an open call) wait for the retry, never fire again at once.
    const due = [!w.nudged && nudge !== undefined ? w.since + nudge : undefined, stop !== undefined ? w.since + stop : undefined]
      .filter((t): t is number => t !== undefined && (retryInMs === undefined || t > now))
      .concat(retryInMs !== undefined ? [now + retryInMs] : []);
    if (due.length === 0) return;
    w.timer = this.options.clock.setTimeout(() => {
      w.timer = undefined;
      this.check(agentId, w);
    }, Math.max(0, Math.min(...due) - now));
  }

  private check(agentId: string, w: Idle): void {
    const agent = this.options.fleet.get(agentId);
    if (!agent || !isDoneIdle(agent) || this.idle.get(agentId) !== w) return;
    const now = this.options.clock.now();
    const idleMs = now - w.since;
    const nudge = this.options.nudgeMs() || undefined;
    const stop = this.options.stopMs() || undefined;
    if (stop !== undefined && idleMs >= stop) {
      if (agent.currentTool) {
        // A call still open (a background shell, a late PostToolUse): stopping now could cut it; look again later.
        this.arm(agentId, w, RETRY_MS);
        return;
      }
      this.clear(agentId);
      void Promise.resolve(this.options.stop(agentId, `Stopped after ${formatDuration(idleMs)} idle (flotilla.idle.stopAfterMinutes); its worktree is kept.`)).catch(() => undefined);
      return;
    }
    if (!w.nudged && nudge !== undefined && idleMs >= nudge) {
      w.nudged = true;
      this._onDidNudge.fire({ agent, idleMs });
    }
    this.arm(agentId, w);
  }

  private clear(agentId: string): void {
    const w = this.idle.get(agentId);
    if (w?.timer !== undefined) this.options.clock.clearTimeout(w.timer);
    this.idle.delete(agentId);
  }
}
