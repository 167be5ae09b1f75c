// Stall detection for every agent kind: an agent `working` with no fact for `stallSeconds` becomes `stalled`, with
// the last tool and how long it has been silent. An open tool call with its own timeout (a build, a test run) is not
// a stall before that timeout. One timer per working agent, re-armed at most once per threshold (not per fact).
import type { Clock } from '../clock';
import type { Disposable } from '../events';
import { formatDuration } from '../format';
import type { AgentSnapshot } from '../../shared/agent';
import type { Fleet } from './fleet';

export interface StallWatchOptions {
  readonly fleet: Fleet;
  readonly clock: Clock;
  /** Read on every check, so a settings change applies at once. */
  readonly stallMs: () => number;
  /** False for agents whose silence is normal (a custom command that reports nothing). */
  readonly watches: (agent: AgentSnapshot) => boolean;
}

interface Watched {
  lastFactAt: number;
  lastTool?: string;
  timer?: unknown;
}

export class StallWatch implements Disposable {
  private readonly agents = new Map<string, Watched>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly options: StallWatchOptions) {
    this.subscriptions = [
      options.fleet.onDidChangeAgent((agent) => this.follow(agent)),
      options.fleet.onDidRemoveAgent((id) => this.forget(id)),
    ];
    for (const agent of options.fleet.list()) this.follow(agent);
  }

  /** A fact arrived from the agent: it is alive. `tool`: the tool it last reported ("Bash: npm test"). */
  touch(agentId: string, tool?: string): void {
    const w = this.agents.get(agentId) ?? { lastFactAt: 0 };
    w.lastFactAt = this.options.clock.now();
    if (tool !== undefined) w.lastTool = tool;
    this.agents.set(agentId, w);
    const agent = this.options.fleet.get(agentId);
    if (agent) this.follow(agent);
  }

  /** When the agent counts as stalled if nothing happens before (undefined: it is not watched now). */
  deadline(agentId: string): number | undefined {
    const agent = this.options.fleet.get(agentId);
    const w = this.agents.get(agentId);
    if (!agent || !w || agent.status !== 'working' || !this.options.watches(agent)) return undefined;
    const silent = w.lastFactAt + this.options.stallMs();
    const tool = agent.currentTool;
    return tool?.timeoutMs !== undefined ? Math.max(silent, tool.since + tool.timeoutMs) : silent;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const id of [...this.agents.keys()]) this.forget(id);
  }

  private follow(agent: AgentSnapshot): void {
    let w = this.agents.get(agent.id);
    if (agent.status !== 'working' || !this.options.watches(agent)) {
      if (w?.timer !== undefined) {
        this.options.clock.clearTimeout(w.timer);
        w.timer = undefined;
      }
      return;
    }
    if (!w) {
      // First seen working (a reload, a status change without a fact): silence counts from its last event.
      w = { lastFactAt: agent.lastEventAt ?? this.options.clock.now() };
      this.agents.set(agent.id, w);
    }
    if (w.timer === undefined) this.arm(agent.id, w);
  }

  private arm(agentId: string, w: Watched): void {
    const due = this.deadline(agentId);
    if (due === undefined) return;
    w.timer = this.options.clock.setTimeout(() => {
      w.timer = undefined;
      this.check(agentId, w);
    }, Math.max(0, due - this.options.clock.now()));
  }

  private check(agentId: string, w: Watched): void {
    const due = this.deadline(agentId);
    if (due === undefined) return;
    const now = this.options.clock.now();
    if (now < due) {
      this.arm(agentId, w);
      return;
    }
    const agent = this.options.fleet.get(agentId)!;
    const tool = agent.currentTool ? `${agent.currentTool.summary} running since ${formatDuration(now - agent.currentTool.since)}` : w.lastTool ? `last: ${w.lastTool}` : 'no tool seen';
    this.options.fleet.apply(agentId, 'stallDetected', {
      statusReason: `no sign of activity for ${formatDuration(now - w.lastFactAt)} (${tool})`,
      lastEventAt: w.lastFactAt,
    });
  }

  private forget(agentId: string): void {
    const w = this.agents.get(agentId);
    if (w?.timer !== undefined) this.options.clock.clearTimeout(w.timer);
    this.agents.delete(agentId);
  }
}
