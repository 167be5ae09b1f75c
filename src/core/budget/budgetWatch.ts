// The budget tracker in production: follows the fleet (each agent's tokens, dollars, active and wall time, its group
// and its own budget) and the group/fleet budgets from settings; announces 70 % / 90 % / 100 % (configurable) once
// per budget, metric and period; marks every agent under a spent budget "paused for budget" (the budget gate then
// denies its next tool call with a message the agent reads) and releases the pause when a raised budget, a new day
// (budgets per day) or a new task (budgets per task) leaves room again, saying which released agents had a call
// denied (they wait to be told to go on). Totals are the tracker's; days and tasks count from the marks it keeps in
// each agent's snapshot (a task starts at a prompt, the router's turn fact; a day at local midnight, and after a
// reload today's use comes from the store's requests).
import { Emitter, DisposableStore } from '../events';
import type { Disposable, Event } from '../events';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot, BudgetLimits, BudgetPeriod } from '../../shared/agent';
import type { AgentSignal } from '../agents/agentSignal';
import { BudgetTracker, DEFAULT_THRESHOLDS } from './budgetTracker';
import { scopeKey } from './budgetTypes';
import type { BudgetMetric, BudgetScope, BudgetSnapshot, ThresholdCrossing } from './budgetTypes';
import type { ScopeBudgets } from './budgetSettings';
import { formatBudgetAmount, periodWords } from '../approvals/budgetGate';
import { budgetAlert } from './budgetAlert';
import type { BudgetAlert } from './budgetAlert';
import type { ScopeSpent } from '../approvals/budgetGate';
import type { BudgetHistory } from './dayUsage';
import { EPSILON, periodUses, spent as isSpent } from './periodBudgets';
import { DayLedger, dayMarkFor } from './dayLedger';
import { PeriodAlerts } from './periodAlerts';
import { localDayStart, markAt, nextLocalDayStart, periodOf, useIn } from './periodUse';
import type { ReleaseReason } from './budgetText';

export type { BudgetAlert } from './budgetAlert';

/** A budget pause ended because a budget was raised (not because the agent ended). */
export interface BudgetRelease {
  readonly agent: AgentSnapshot;
  /** A tool call of the agent was denied during the pause: it stopped and waits to be told to go on. */
  readonly denied: boolean;
  /** A raised budget, or a new day for a budget per day. (A new task is the user's prompt: nothing to tell.) */
  readonly why: ReleaseReason | 'new-task';
}

export interface BudgetWatchDeps {
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly log: Logger;
  readonly budgets: ScopeBudgets;
  /** How often active and wall time of agents under a budget are brought up to date (default 5 s). */
  readonly tickMs?: number;
}

/** The figures last counted for an agent: the highest seen (usage never goes back) and the last read. */
interface Seen {
  tokens: number;
  usd: number;
  timeMs: number;
  wallMs: number;
  lastTokens: number;
  lastUsd: number;
  budget: string;
}

const EMPTY_SEEN: Seen = { tokens: 0, usd: 0, timeMs: 0, wallMs: 0, lastTokens: 0, lastUsd: 0, budget: '{}' };


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
  /** Per budget dimension of a day or task budget (PeriodUse.key + metric): its period and the thresholds announced in it. */
  private readonly periodAlerts = new PeriodAlerts();
  /** Today's use per group and of the fleet. */
  private readonly day = new DayLedger();
  private readonly d = new DisposableStore();
  private budgets: ScopeBudgets = { fleet: undefined, groups: {} };
  private silent = true;
  /** While track() runs a tracker change: the crossings it made, announced when it ends. */
  private crossings: ThresholdCrossing[] | undefined;
  /** The first look at the fleet: today's sums already hold what the agents used (DayLedger.recount). */
  private starting = true;
  /** Why pauses end while it is set (a new day, a new task); otherwise a raised budget. */
  private releasing: BudgetRelease['why'] | undefined;
  private timer: unknown;
  private midnight: unknown;
  private disposed = false;

  constructor(private readonly deps: BudgetWatchDeps) {
    this.d.add(this.tracker.onDidCrossThreshold((c) => this.crossed(c)));
    this.setScopeBudgets(deps.budgets);
    // Usage from before this window (a reload) is counted silently: its thresholds were announced back then. A live
    // agent without a mark of today counts its day from now (follow() with the store's history corrects that).
    this.markDay();
    for (const agent of deps.fleet.list()) this.observe(agent);
    this.starting = false;
    this.silent = false;
    this.d.add(deps.fleet.onDidChangeAgent((a) => this.observe(a)));
    this.d.add(
      deps.fleet.onDidRemoveAgent((id) => {
        this.seen.delete(id);
        this.denied.delete(id);
        this.periodAlerts.forgetAgent(id);
      }),
    );
    this.schedule();
    this.scheduleMidnight();
  }

  /**
   * Follows the agents' facts (a turn that starts is a new task: budgets per task count from zero) and, given the
   * store's history, counts today's use from before this window (a reload) for budgets per day, silently.
   */
  follow(facts: Event<{ readonly agentId: string; readonly signal: AgentSignal }>, history?: BudgetHistory): Disposable {
    if (history) {
      this.silent = true;
      try {
        this.markDay(history);
        // What was announced counting from before the store was read is counted again from today's true use.
        this.periodAlerts.clear();
        for (const agent of this.deps.fleet.list()) this.checkPeriods(agent, this.deps.clock.now());
      } finally {
        this.silent = false;
      }
    }
    return facts(({ agentId, signal }) => {
      if (signal.type === 'turn' && signal.phase === 'started') this.startTask(agentId);
    });
  }

  /** A new task of the agent begins now (a prompt reached it): its budgets per task count from here. */
  startTask(agentId: string): void {
    const agent = this.deps.fleet.get(agentId);
    if (!agent) return;
    this.withReason('new-task', () => {
      this.deps.fleet.update(agentId, { budgetMarks: { ...agent.budgetMarks, task: markAt(agent, this.deps.clock.now()) } });
      this.observe(agent);
    });
  }

  /** Replaces the group and fleet budgets and the alert thresholds (settings changed); pauses follow at once. */
  setScopeBudgets(budgets: ScopeBudgets): void {
    const before = this.budgets;
    this.budgets = budgets;
    // 100 % always alerts: the agents are paused there and wait for the operator.
    this.track(() => this.tracker.setThresholds([...(budgets.alertThresholds ?? DEFAULT_THRESHOLDS), 1]), true);
    const totalOf = (l: BudgetLimits | undefined): BudgetLimits | undefined => (periodOf(l) === 'total' ? l : undefined);
    if (!sameLimits(before.fleet, budgets.fleet)) {
      this.track(() => this.tracker.setLimits({ kind: 'fleet' }, totalOf(budgets.fleet)), true);
      this.periodAlerts.forgetBudget('fleet');
    }
    for (const group of new Set([...Object.keys(before.groups), ...Object.keys(budgets.groups)])) {
      if (!sameLimits(before.groups[group], budgets.groups[group])) {
        this.track(() => this.tracker.setLimits({ kind: 'group', group }, totalOf(budgets.groups[group])), true);
        this.periodAlerts.forgetBudget(`group:${group}`);
      }
    }
    // Budgets per day and per task are checked against the agents' use now (alerts at once when already over).
    if (this.seen.size > 0) for (const agent of this.deps.fleet.list()) this.checkPeriods(agent, this.deps.clock.now(), true);
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
    return this.spentOver(agent.id).filter((e) => e.scope.kind === 'group' || e.scope.kind === 'fleet').map((e) => ({ metric: e.metric, used: e.used, limit: e.limit, who: this.who(e.scope), ...(e.period ? { period: e.period } : {}) }));
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

  /** Use and limit of a group or the fleet in total (for tooltips and the Set Budget prompt). */
  use(scope: BudgetScope): BudgetSnapshot {
    return this.tracker.snapshot(scope);
  }

  /** The alert thresholds in force (flotilla.budget.alertThresholds). */
  get alertThresholds(): readonly number[] {
    return this.tracker.alertThresholds;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    if (this.midnight !== undefined) this.deps.clock.clearTimeout(this.midnight);
    this.d.dispose();
    this.tracker.dispose();
    this._onDidAlert.dispose();
    this._onDidRelease.dispose();
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      // Active time grows while an agent works; wall time (and so budgets of time per day or task) always.
      for (const agent of this.deps.fleet.list()) if (agent.activeSince !== undefined || (!isEnded(agent.status) && this.binds(agent))) this.observe(agent);
      this.schedule();
    }, this.deps.tickMs ?? 5000);
  }

  /** At local midnight every agent's day starts again: budgets per day count from zero (and release their pauses). */
  private scheduleMidnight(): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    this.midnight = this.deps.clock.setTimeout(() => {
      this.markDay();
      this.scheduleMidnight();
    }, nextLocalDayStart(now) - now);
  }

  /** Sets each live agent's day mark (dayMarkFor), then counts today's use of the groups and the fleet. */
  private markDay(history?: BudgetHistory): void {
    const now = this.deps.clock.now();
    const stored = history?.usageSince(localDayStart(now));
    this.withReason('new-day', () => {
      for (const agent of this.deps.fleet.list()) {
        const mark = dayMarkFor(agent, now, stored);
        if (mark) this.deps.fleet.update(agent.id, { budgetMarks: { ...agent.budgetMarks, day: mark } });
      }
      this.day.recount(this.deps.fleet.list(), now);
      this.syncAll();
    });
  }

  private withReason(why: BudgetRelease['why'], fn: () => void): void {
    const outer = this.releasing;
    this.releasing = why;
    try {
      fn();
    } finally {
      this.releasing = outer;
    }
  }

  /** Brings the tracker up to the agent's snapshot: membership, own budget, and the growth since last seen. */
  private observe(agent: AgentSnapshot): void {
    const current = this.deps.fleet.get(agent.id) ?? agent;
    const now = this.deps.clock.now();
    const budget = JSON.stringify(current.budget ?? {});
    const total = useIn(current, 'total', now);
    const was = this.seen.get(current.id) ?? EMPTY_SEEN;
    // Usage that goes backwards (a rewritten transcript, a lower price) is logged and never subtracted.
    if (total.tokens < was.lastTokens || total.usd < was.lastUsd - EPSILON) {
      this.deps.log.warn(`agent ${current.name}: usage went back (${was.lastTokens} -> ${total.tokens} tokens, $${was.lastUsd} -> $${total.usd}); budgets keep the highest figures`);
    }
    const next: Seen = {
      tokens: Math.max(was.tokens, total.tokens),
      usd: Math.max(was.usd, total.usd),
      timeMs: Math.max(was.timeMs, total.timeMs),
      wallMs: Math.max(was.wallMs, total.wallMs),
      lastTokens: total.tokens,
      lastUsd: total.usd,
      budget,
    };
    this.seen.set(current.id, next);
    this.track(() => this.tracker.assignAgent(current.id, { group: current.group }));
    const limitChanged = budget !== was.budget;
    if (limitChanged) {
      this.track(() => this.tracker.setLimits({ kind: 'agent', agentId: current.id }, periodOf(current.budget) === 'total' ? current.budget : undefined), true);
      this.periodAlerts.forgetBudget(`agent:${current.id}`);
    }
    const delta = { deltaTokens: next.tokens - was.tokens, deltaUsd: next.usd - was.usd, deltaElapsedMs: next.timeMs - was.timeMs, deltaWallMs: next.wallMs - was.wallMs };
    if (delta.deltaTokens > 0 || delta.deltaUsd > 0 || delta.deltaElapsedMs > 0 || delta.deltaWallMs > 0) {
      this.track(() => this.tracker.record({ agentId: current.id, group: current.group, ...delta }));
      // A day that began without the timer (a sleeping machine) is counted again from the marks.
      if (!this.day.isToday(now)) this.day.recount(this.deps.fleet.list(), now);
      else if (!this.starting) this.day.add(current.group, { usd: delta.deltaUsd, tokens: delta.deltaTokens, timeMs: delta.deltaElapsedMs, wallMs: delta.deltaWallMs });
    }
    this.checkPeriods(current, now, limitChanged);
    // A raised own budget may release the pause; a lowered one may set it.
    this.sync(current.id);
  }

  /** Announces the thresholds of per-day and per-task budgets over the agent reached in their current period. */
  private checkPeriods(agent: AgentSnapshot, now: number, limitChange = false): void {
    let spentAbove = false;
    for (const u of periodUses(agent, this.day.of, this.budgets, now)) {
      const highest = this.periodAlerts.reached(u.key.split('|')[0]!, u.period === 'task' ? agent.id : undefined, u.metric, u.key, u.used / u.limit, this.tracker.alertThresholds);
      if (highest === undefined) continue;
      if (highest >= 1 && u.scope.kind !== 'agent' && u.period === 'day') spentAbove = true;
      if (!this.silent && (highest >= 1 || !limitChange)) this.alert(u.scope, u.metric, highest, u.used, u.limit, u.period, agent);
    }
    // A spent day of a group or the fleet pauses every agent under it.
    if (spentAbove) this.syncAll();
  }

  /** Every spent budget over the agent: totals (the tracker) and the current day and task. */
  private spentOver(agentId: string): { scope: BudgetScope; metric: BudgetMetric; used: number; limit: number; period?: Exclude<BudgetPeriod, 'total'> }[] {
    const agent = this.deps.fleet.get(agentId);
    if (!agent) return [];
    const periods = periodUses(agent, this.day.of, this.budgets, this.deps.clock.now()).filter(isSpent);
    return [...this.tracker.exceededBudgets(agentId), ...periods];
  }

  private syncAll(): void {
    for (const agent of this.deps.fleet.list()) this.sync(agent.id);
  }

  /** Sets or clears the agent's budget pause to match the tracker. */
  private sync(agentId: string): void {
    const agent = this.deps.fleet.get(agentId);
    if (!agent || !this.seen.has(agentId)) return;
    const spent = isEnded(agent.status) ? [] : this.spentOver(agentId);
    const paused = spent.length > 0;
    const reason = paused ? spent.map((e) => `${formatBudgetAmount(e.metric, e.used)} of ${formatBudgetAmount(e.metric, e.limit)}${periodWords(e.period)} for ${this.who(e.scope)}`).join('; ') : undefined;
    if ((agent.budgetPaused ?? false) === paused && agent.budgetReason === reason) return;
    if (paused !== (agent.budgetPaused ?? false)) this.deps.log.info(`agent ${agent.name}: ${paused ? `paused for budget (${reason})` : 'budget pause released'}`);
    const released = !paused && agent.budgetPaused === true && !isEnded(agent.status);
    this.deps.fleet.update(agentId, { budgetPaused: paused ? true : undefined, budgetReason: reason });
    if (paused) return;
    const why = this.releasing ?? 'raised';
    // A new task is the user's prompt: the agent needs no word from Flotilla.
    const denied = this.denied.delete(agentId) && why !== 'new-task';
    const now = this.deps.fleet.get(agentId);
    if (released && now) this._onDidRelease.fire({ agent: now, denied, why });
  }

  private crossed(c: ThresholdCrossing): void {
    if (c.scope.kind === 'group' || c.scope.kind === 'fleet') {
      if (c.threshold >= 1) this.syncAll();
    }
    if (this.silent || c.scope.kind === 'task') return;
    if (this.crossings) this.crossings.push(c);
    else this.alert(c.scope, c.metric, c.threshold, c.used, c.limit, undefined, undefined);
  }

  /**
   * Runs one change of the tracker and announces what it crossed: per scope and metric only the highest threshold,
   * so one jump past 70 %, 90 % and 100 % is one notification (the 100 % one), not three at once. A change of limits
   * (the user raised or set a budget) announces only a budget it leaves exhausted: the share already used of a budget
   * just set is no news to the one who set it (a raise from $0.05 to $0.075 at $0.053 said "70 %" at once).
   */
  private track(change: () => void, limitChange = false): void {
    const outer = this.crossings;
    this.crossings = [];
    let crossed: ThresholdCrossing[];
    try {
      change();
    } finally {
      crossed = this.crossings;
      this.crossings = outer;
    }
    const highest = new Map<string, ThresholdCrossing>();
    for (const c of crossed) {
      const key = `${scopeKey(c.scope)}|${c.metric}`;
      const had = highest.get(key);
      if (!had || c.threshold > had.threshold) highest.set(key, c);
    }
    for (const c of highest.values()) if (c.threshold >= 1 || !limitChange) this.alert(c.scope, c.metric, c.threshold, c.used, c.limit, undefined, undefined);
  }

  /** `agent`: for a budget per task, the agent whose task it is. */
  private alert(scope: BudgetScope, metric: BudgetMetric, threshold: number, used: number, limit: number, period: Exclude<BudgetPeriod, 'total'> | undefined, agent: AgentSnapshot | undefined): void {
    this._onDidAlert.fire(budgetAlert({ scope, metric, threshold, used, limit, period, agent, who: this.who(scope) }));
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
