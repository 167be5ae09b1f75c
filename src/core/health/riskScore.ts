// The per-agent risk score over a sliding window: the weighted sum of riskWeights' table plus the tool error rate,
// with the lines that explain it (they become the quarantine's evidence). Bounded memory: events are capped per
// signal, tool calls are counted per minute.
import type { Clock } from '../clock';
import { RISK_TUNING, RISK_WEIGHTS } from './riskWeights';
import type { RiskSignal, RiskWeight } from './riskWeights';

export interface RiskReport {
  readonly score: number;
  /** One line per signal that added points, the heaviest first: "2 prohibited attempts: +7 (Bash: rm -rf ~; ...)". */
  readonly lines: readonly string[];
}

interface Scored {
  events: { signal: RiskSignal; at: number; detail?: string }[];
  calls: { minute: number; calls: number; failed: number }[];
}

export interface RiskScoreOptions {
  readonly clock: Pick<Clock, 'now'>;
  readonly weights?: Readonly<Record<RiskSignal, RiskWeight>>;
  readonly windowMinutes?: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

export class RiskScore {
  private readonly agents = new Map<string, Scored>();
  private readonly weights: Readonly<Record<RiskSignal, RiskWeight>>;
  private readonly windowMs: number;

  constructor(private readonly options: RiskScoreOptions) {
    this.weights = options.weights ?? RISK_WEIGHTS;
    this.windowMs = (options.windowMinutes ?? RISK_TUNING.windowMinutes) * 60_000;
  }

  record(agentId: string, signal: RiskSignal, detail?: string): RiskReport {
    const s = this.state(agentId);
    s.events.push({ signal, at: this.options.clock.now(), ...(detail !== undefined ? { detail: detail.slice(0, 200) } : {}) });
    // Only the newest `cap` of a signal can count; a few more are kept for the evidence.
    const same = s.events.filter((e) => e.signal === signal);
    if (same.length > this.weights[signal].cap + 2) s.events.splice(s.events.indexOf(same[0]!), 1);
    return this.report(agentId);
  }

  /** A tool call ended (failed or not): feeds the error rate. */
  toolCall(agentId: string, failed: boolean): void {
    const s = this.state(agentId);
    const minute = Math.floor(this.options.clock.now() / 60_000);
    let last = s.calls[s.calls.length - 1];
    if (!last || last.minute !== minute) {
      last = { minute, calls: 0, failed: 0 };
      s.calls.push(last);
      this.prune(s);
    }
    last.calls++;
    if (failed) last.failed++;
  }

  report(agentId: string): RiskReport {
    const s = this.agents.get(agentId);
    if (!s) return { score: 0, lines: [] };
    this.prune(s);
    let score = 0;
    const lines: { points: number; line: string }[] = [];
    for (const [signal, w] of Object.entries(this.weights) as [RiskSignal, RiskWeight][]) {
      const events = s.events.filter((e) => e.signal === signal);
      if (events.length === 0) continue;
      const counted = Math.min(events.length, w.cap);
      const points = counted * w.points;
      score += points;
      const details = [...new Set(events.map((e) => e.detail).filter((d): d is string => d !== undefined))].slice(-3);
      lines.push({ points, line: `${events.length} ${w.label}${events.length === 1 ? '' : 's'}: +${round(points)}${details.length ? ` (${details.join('; ')})` : ''}` });
    }
    const calls = s.calls.reduce((n, b) => n + b.calls, 0);
    const failed = s.calls.reduce((n, b) => n + b.failed, 0);
    if (calls >= RISK_TUNING.errorRateMinCalls && failed > 0) {
      const points = RISK_TUNING.errorRatePoints * (failed / calls);
      score += points;
      lines.push({ points, line: `tool error rate ${Math.round((100 * failed) / calls)} % (${failed} of ${calls} calls): +${round(points)}` });
    }
    // Sorted by weight (stable: the table's order among equals), so the first lines explain most of the score.
    return { score: round(score), lines: lines.sort((a, b) => b.points - a.points).map((l) => l.line) };
  }

  forget(agentId: string): void {
    this.agents.delete(agentId);
  }

  private prune(s: Scored): void {
    const from = this.options.clock.now() - this.windowMs;
    while (s.events.length > 0 && s.events[0]!.at < from) s.events.shift();
    const fromMinute = Math.floor(from / 60_000);
    while (s.calls.length > 0 && s.calls[0]!.minute < fromMinute) s.calls.shift();
  }

  private state(agentId: string): Scored {
    let s = this.agents.get(agentId);
    if (!s) {
      s = { events: [], calls: [] };
      this.agents.set(agentId, s);
    }
    return s;
  }
}
