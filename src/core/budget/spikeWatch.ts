// Spend spikes: an agent spending more than `multiple` times its own recent rate (a loop, a prompt-injection storm)
// is announced once, naming the agent and the rates; again only after it calmed down. Rates are per minute of the
// agent's ACTIVE time (working or waiting for approval), so idle hours neither dilute its baseline nor make a
// resumed agent look like a burst: the short window (2 min) is compared with the active time just before it (up to
// 30 min). A minimum of baseline history and a minimum absolute rate keep a first request and a tiny agent quiet.
// Dollars when every model of the agent is priced, tokens otherwise (unpriced tokens are not in its dollars).
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Clock } from '../clock';
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { AgentSnapshot } from '../../shared/agent';
import { activeMsAt } from '../approvals/budgetGate';
import { formatUsd } from '../format';

export type SpikeMetric = 'usd' | 'tokens';

export interface SpikeTuning {
  /** Fire at this multiple of the baseline rate (flotilla.budget.spikeMultiple). */
  readonly multiple: number;
  /** The short window, in active milliseconds. */
  readonly windowMs: number;
  /** The baseline before it, in active milliseconds (at most). */
  readonly baselineMs: number;
  /** No alert before the baseline holds this much active time. */
  readonly minBaselineMs: number;
  /** No alert below these rates (per active minute), whatever the multiple. */
  readonly minUsdPerMin: number;
  readonly minTokensPerMin: number;
}

export const DEFAULT_SPIKE_TUNING: SpikeTuning = {
  multiple: 3,
  windowMs: 2 * 60_000,
  baselineMs: 30 * 60_000,
  minBaselineMs: 10 * 60_000,
  minUsdPerMin: 0.05,
  minTokensPerMin: 50_000,
};

export interface SpendSpike {
  readonly agentId: string;
  readonly agentName: string;
  readonly metric: SpikeMetric;
  /** Per active minute over the short window. */
  readonly rate: number;
  /** Per active minute over the baseline. */
  readonly baseline: number;
  /** rate / baseline (Infinity when the baseline spent nothing). */
  readonly times: number;
  /** Active time the baseline covers. */
  readonly baselineMs: number;
  /** "spender is spending $0.42/min, 4.1× its rate of the last 30 min ($0.10/min)". */
  readonly message: string;
}

export interface SpikeWatchDeps {
  readonly fleet: Fleet;
  readonly clock: Clock;
  /** Read at every check (the setting may change). */
  readonly tuning: () => SpikeTuning;
  /** How often working agents are checked without a change (their short window slides; default 15 s). */
  readonly tickMs?: number;
}

/** Cumulative spend at a point of the agent's active time. */
interface Point {
  readonly activeMs: number;
  readonly usd: number;
  readonly tokens: number;
}

interface History {
  points: Point[];
  spiking: boolean;
}

/** Points closer than this in active time are merged (bounds memory to ~2 000 points per agent). */
const MERGE_MS = 1_000;

const tokensOf = (a: AgentSnapshot): number => a.usage.input + a.usage.output + a.usage.cacheRead + a.usage.cacheWrite;

export class SpikeWatch implements Disposable {
  private readonly _onDidSpike = new Emitter<SpendSpike>();
  /** Once per agent and spike (again only after it calmed down). */
  readonly onDidSpike: Event<SpendSpike> = this._onDidSpike.event;
  private readonly _onDidCalm = new Emitter<AgentSnapshot>();
  /** A spiking agent's short rate fell back under half the alert's threshold. */
  readonly onDidCalm: Event<AgentSnapshot> = this._onDidCalm.event;
  private readonly history = new Map<string, History>();
  private readonly subscriptions: Disposable[];
  private timer: unknown;
  private disposed = false;

  constructor(private readonly deps: SpikeWatchDeps) {
    // Agents already running (a window reload) start their history now: nothing fires before minBaselineMs of it.
    for (const agent of deps.fleet.list()) this.observe(agent);
    this.subscriptions = [deps.fleet.onDidChangeAgent((a) => this.observe(a)), deps.fleet.onDidRemoveAgent((id) => this.history.delete(id))];
    this.schedule();
  }

  /** Whether the agent is in a spike now (announced, not calmed yet). */
  spiking(agentId: string): boolean {
    return this.history.get(agentId)?.spiking ?? false;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this._onDidSpike.dispose();
    this._onDidCalm.dispose();
  }

  /** Brings the agent's history up to its snapshot and checks it. */
  observe(agent: AgentSnapshot): void {
    const current = this.deps.fleet.get(agent.id) ?? agent;
    const h = this.history.get(current.id) ?? { points: [], spiking: false };
    this.history.set(current.id, h);
    const last = h.points.at(-1);
    // Usage never goes backwards here (a rewritten transcript is the meter's to log).
    const point: Point = {
      activeMs: Math.max(last?.activeMs ?? 0, activeMsAt(current, this.deps.clock.now())),
      usd: Math.max(last?.usd ?? 0, current.costUsd),
      tokens: Math.max(last?.tokens ?? 0, tokensOf(current)),
    };
    const beforeLast = h.points.at(-2);
    if (last && beforeLast && point.activeMs - beforeLast.activeMs < MERGE_MS) h.points[h.points.length - 1] = point;
    else if (!last || point.activeMs !== last.activeMs || point.usd !== last.usd || point.tokens !== last.tokens) h.points.push(point);
    this.prune(h);
    if (isEnded(current.status)) {
      if (h.spiking) this.calm(h, current);
      return;
    }
    this.check(current, h);
  }

  private check(agent: AgentSnapshot, h: History): void {
    const t = this.deps.tuning();
    const metric: SpikeMetric = agent.unpricedModels.length > 0 ? 'tokens' : 'usd';
    const value = (p: Point): number => (metric === 'usd' ? p.usd : p.tokens);
    const now = h.points.at(-1)!;
    const first = h.points[0]!;
    const windowStart = now.activeMs - t.windowMs;
    const baselineStart = Math.max(first.activeMs, windowStart - t.baselineMs);
    const baselineMs = windowStart - baselineStart;
    const rate = ((value(now) - valueAt(h.points, windowStart, value)) * 60_000) / t.windowMs;
    const enough = baselineMs >= t.minBaselineMs;
    const baseline = enough ? ((valueAt(h.points, windowStart, value) - valueAt(h.points, baselineStart, value)) * 60_000) / baselineMs : 0;
    const floor = metric === 'usd' ? t.minUsdPerMin : t.minTokensPerMin;
    const threshold = Math.max(floor, t.multiple * baseline);
    if (h.spiking) {
      if (rate < threshold / 2) this.calm(h, agent);
      return;
    }
    if (!enough || rate < threshold) return;
    h.spiking = true;
    const times = baseline > 0 ? rate / baseline : Infinity;
    const minutes = Math.round(baselineMs / 60_000);
    const said = (n: number): string => (metric === 'usd' ? `${formatUsd(n)}/min` : `${formatTokens(n)} tokens/min`);
    const message = Number.isFinite(times)
      ? `${agent.name} is spending ${said(rate)}, ${times.toFixed(1)}× its rate of the last ${minutes} min of work (${said(baseline)})`
      : `${agent.name} is spending ${said(rate)}; it spent nothing in the last ${minutes} min of work before`;
    this._onDidSpike.fire({ agentId: agent.id, agentName: agent.name, metric, rate, baseline, times, baselineMs, message });
  }

  private calm(h: History, agent: AgentSnapshot): void {
    h.spiking = false;
    this._onDidCalm.fire(agent);
  }

  /** Keeps what the windows can reach, plus the last point before (the value at the baseline's start). */
  private prune(h: History): void {
    const t = this.deps.tuning();
    const horizon = h.points.at(-1)!.activeMs - t.windowMs - t.baselineMs;
    let drop = 0;
    while (drop + 1 < h.points.length && h.points[drop + 1]!.activeMs <= horizon) drop++;
    if (drop > 0) h.points.splice(0, drop);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      for (const agent of this.deps.fleet.list()) if (agent.activeSince !== undefined || this.spiking(agent.id)) this.observe(agent);
      this.schedule();
    }, this.deps.tickMs ?? 15_000);
  }
}

/** The cumulative value at active time `at`: the last point at or before it (the first point if none is). */
function valueAt(points: readonly Point[], at: number, value: (p: Point) => number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (points[0]!.activeMs > at) return value(points[0]!);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]!.activeMs <= at) lo = mid;
    else hi = mid - 1;
  }
  return value(points[lo]!);
}

function formatTokens(n: number): string {
  return n >= 1000 ? `${Math.round(n / 100) / 10}k` : `${Math.round(n)}`;
}
