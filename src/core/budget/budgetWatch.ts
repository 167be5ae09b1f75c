// The budget tracker in production: follows the fleet (each agent's tokens, dollars and active time, its group and
// its own budget) and the group/fleet budgets from settings; announces 70 % / 90 % / 100 % once per scope and
// metric; marks every agent under a spent budget "paused for budget" (the budget gate then denies its next tool
// call with a message the agent reads) and releases the pause when a raised budget leaves room again, saying which
// released agents had a call denied (they wait to be told to go on).
import { Emitter, DisposableStore } from '../events';
import type { Disposable, Event } from '../events';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import { BudgetTracker } from './budgetTracker';
import type { BudgetMetric, BudgetScope, BudgetSnapshot, ThresholdCrossing } from './budgetTypes';
import type { ScopeBudgets } from './budgetSettings';
import { activeMsAt, formatBudgetAmount } from '../approvals/budgetGate';
import type { ScopeSpent } from '../approvals/budgetGate';

export interface BudgetAlert {
  readonly level: 'info' | 'warning' | 'critical';
  readonly scope: BudgetScope;
  readonly metric: BudgetMetric;
  readonly threshold: number;
  readonly used: number;
  readonly limit: number;
  /** "agent-3", "group backend", "the fleet". */
  readonly who: string;
  /** The agent concerned for an agent budget (for Raise/Stop buttons). */
  readonly agentId: string | undefined;
  readonly message: string;
}

/** A budget pause ended because a budget was raised (not because the agent ended). */
export interface BudgetRelease {
  readonly agent: AgentSnapshot;
  /** A tool call of the agent was denied during the pause: it stopped and waits to be told to go on. */
  readonly denied: boolean;
}

export interface BudgetWatchDeps {
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly log: Logger;
  readonly budgets: ScopeBudgets;
  /** How often active time of working agents is brought up to date (default 5 s). */
  readonly tickMs?: number;
}

interface Seen {
  tokens: number;
  usd: number;
  timeMs: number;
  budget: string;
}

const tokensOf = (a: AgentSnapshot): number => a.usage.input + a.usage.output + a.usage.cacheRead + a.usage.cacheWrite;
const percent = (t: number): string => `${Math.round(t * 100)} %`;

export class BudgetWatch implements Disposable {
  private readonly _onDidAlert = new Emitter<BudgetAlert>();
  /** One alert per scope, metric and threshold (again only after that budget changed). */
  readonly onDidAlert: Event<BudgetAlert> = this._onDidAlert.event;
  private readonly _onDidRelease = new Emitter<BudgetRelease>();
  readonly onDidRelease: Event<BudgetRelease> = this._onDidRelease.event;
  /** Agents with a tool call denied for budget during their current pause. */
  private readonly denied = new Set<string>();
  private readonly tracker = new BudgetTracker();
  private readonly seen = new Map<string, Seen>();
  private readonly d = new DisposableStore();
  private budgets: ScopeBudgets = { fleet: undefined, groups: {} };
  private silent = true;
  private timer: unknown;
  private disposed = false;

  constructor(private readonly deps: BudgetWatchDeps) {
    this.d.add(this.tracker.onDidCrossThreshold((c) => this.crossed(c)));
    this.setScopeBudgets(deps.budgets);
    // Usage from before this window (a reload) is counted silently: its thresholds were announced back then.
    for (const agent of deps.fleet.list()) this.observe(agent);
    this.silent = false;
    this.d.add(deps.fleet.onDidChangeAgent((a) => this.observe(a)));
    this.d.add(
      deps.fleet.onDidRemoveAgent((id) => {
        this.seen.delete(id);
        this.denied.delete(id);
      }),
    );
    this.schedule();
  }

  /** Replaces the group and fleet budgets (settings changed); pauses follow at once. */
  setScopeBudgets(budgets: ScopeBudgets): void {
    const before = this.budgets;
    this.budgets = budgets;
    if (!sameLimits(before.fleet, budgets.fleet)) this.tracker.setLimits({ kind: 'fleet' }, budgets.fleet);
    for (const group of new Set([...Object.keys(before.groups), ...Object.keys(budgets.groups)])) {
      if (!sameLimits(before.groups[group], budgets.groups[group])) this.tracker.setLimits({ kind: 'group', group }, budgets.groups[group]);
    }
    this.syncAll();
  }

  get scopeBudgets(): ScopeBudgets {
    return this.budgets;
  }

  /** Sets an agent's own budget (undefined: none); the pause follows. Returns the agent, or undefined if unknown. */
  setAgentBudget(agentId: string, budget: BudgetLimits | undefined): AgentSnapshot | undefined {
    if (!this.deps.fleet.get(agentId)) return undefined;
    this.deps.fleet.update(agentId, { budget });
    return this.deps.fleet.get(agentId);
  }

  /** Spent group and fleet budgets over the agent (its own budget the gate reads from the snapshot), up to now. */
  spentScopes(agent: AgentSnapshot): ScopeSpent[] {
    this.observe(agent);
    return this.tracker
      .exceededBudgets(agent.id)
      .filter((e) => e.scope.kind === 'group' || e.scope.kind === 'fleet')
      .map((e) => ({ metric: e.metric, used: e.used, limit: e.limit, who: this.who(e.scope) }));
  }

  /** The budget gate denied a tool call of the agent (it now waits to be told to go on). */
  noteDenied(agentId: string): void {
    this.denied.add(agentId);
  }

  /** Whether any budget covers the agent: its own, its group's or the fleet's. */
  binds(agent: AgentSnapshot): boolean {
    return agent.budget !== undefined || this.budgets.fleet !== undefined || (agent.group !== undefined && this.budgets.groups[agent.group] !== undefined);
  }

  /** Agents paused for budget (in `group` when given). */
  pausedAgents(group?: string): AgentSnapshot[] {
    return this.deps.fleet.list().filter((a) => a.budgetPaused && (group === undefined || a.group === group));
  }

  /** Use and limit of a group or the fleet (for tooltips and the Set Budget prompt). */
  use(scope: BudgetScope): BudgetSnapshot {
    return this.tracker.snapshot(scope);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.d.dispose();
    this.tracker.dispose();
    this._onDidAlert.dispose();
    this._onDidRelease.dispose();
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      for (const agent of this.deps.fleet.list()) if (agent.activeSince !== undefined) this.observe(agent);
      this.schedule();
    }, this.deps.tickMs ?? 5000);
  }

  /** Brings the tracker up to the agent's snapshot: membership, own budget, and the growth since last seen. */
  private observe(agent: AgentSnapshot): void {
    const current = this.deps.fleet.get(agent.id) ?? agent;
    const now = this.deps.clock.now();
    const budget = JSON.stringify(current.budget ?? {});
    const was = this.seen.get(current.id) ?? { tokens: 0, usd: 0, timeMs: 0, budget: '{}' };
    const next: Seen = { tokens: Math.max(was.tokens, tokensOf(current)), usd: Math.max(was.usd, current.costUsd), timeMs: Math.max(was.timeMs, activeMsAt(current, now)), budget };
    this.seen.set(current.id, next);
    this.tracker.assignAgent(current.id, { group: current.group });
    if (budget !== was.budget) this.tracker.setLimits({ kind: 'agent', agentId: current.id }, current.budget);
    const delta = { deltaTokens: next.tokens - was.tokens, deltaUsd: next.usd - was.usd, deltaElapsedMs: next.timeMs - was.timeMs };
    if (delta.deltaTokens > 0 || delta.deltaUsd > 0 || delta.deltaElapsedMs > 0) this.tracker.record({ agentId: current.id, group: current.group, ...delta });
    // A raised own budget may release the pause; a lowered one may set it.
    this.sync(current.id);
  }

  private syncAll(): void {
    for (const agent of this.deps.fleet.list()) this.sync(agent.id);
  }

  /** Sets or clears the agent's budget pause to match the tracker. */
  private sync(agentId: string): void {
    const agent = this.deps.fleet.get(agentId);
    if (!agent || !this.seen.has(agentId)) return;
    const spent = isEnded(agent.status) ? [] : this.tracker.exceededBudgets(agentId);
    const paused = spent.length > 0;
    const reason = paused ? spent.map((e) => `${formatBudgetAmount(e.metric, e.used)} of ${formatBudgetAmount(e.metric, e.limit)} for ${this.who(e.scope)}`).join('; ') : undefined;
    if ((agent.budgetPaused ?? false) === paused && agent.budgetReason === reason) return;
    if (paused !== (agent.budgetPaused ?? false)) this.deps.log.info(`agent ${agent.name}: ${paused ? `paused for budget (${reason})` : 'budget pause released'}`);
    const released = !paused && agent.budgetPaused === true && !isEnded(agent.status);
    this.deps.fleet.update(agentId, { budgetPaused: paused ? true : undefined, budgetReason: reason });
    if (paused) return;
    const denied = this.denied.delete(agentId);
    const now = this.deps.fleet.get(agentId);
    if (released && now) this._onDidRelease.fire({ agent: now, denied });
  }

  private crossed(c: ThresholdCrossing): void {
    if (c.scope.kind === 'group' || c.scope.kind === 'fleet') {
      if (c.threshold >= 1) this.syncAll();
    }
    if (this.silent || c.scope.kind === 'task') return;
    const level = c.threshold >= 1 ? 'critical' : c.threshold >= 0.9 ? 'warning' : 'info';
    const who = this.who(c.scope);
    const spent = `${formatBudgetAmount(c.metric, c.used)} of ${formatBudgetAmount(c.metric, c.limit)}`;
    const waits = c.scope.kind === 'agent' ? 'Its next tool call is denied and it waits for you.' : 'The next tool call of every agent under it is denied and they wait for you.';
    const message = level === 'critical' ? `Budget exhausted: ${who} has spent ${spent}. ${waits}` : `Budget ${percent(c.threshold)}: ${who} has spent ${spent}.`;
    this._onDidAlert.fire({ level, scope: c.scope, metric: c.metric, threshold: c.threshold, used: c.used, limit: c.limit, who, agentId: c.scope.kind === 'agent' ? c.scope.agentId : undefined, message });
  }

  private who(scope: BudgetScope): string {
    switch (scope.kind) {
      case 'agent':
        return this.deps.fleet.get(scope.agentId)?.name ?? scope.agentId;
      case 'group':
        return `group ${scope.group}`;
      case 'fleet':
        return 'the fleet';
      case 'task':
        return `task ${scope.taskId}`;
    }
  }
}

function sameLimits(a: BudgetLimits | undefined, b: BudgetLimits | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
