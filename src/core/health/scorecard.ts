// The per-agent scorecard: what an agent has done since Flotilla started watching it (turns finished, tool calls and
// how many failed, approvals it asked for and how long they waited, denials, prohibited attempts, loops, silent
// stretches, restarts), next to its risk score now with the lines that make it up. Counters only, no history; the
// fleet health service feeds it and the tooltip reads it.
import { formatDuration, formatUsd } from '../format';
import type { RiskReport } from './riskScore';
import type { RiskSignal } from './riskWeights';

export interface ScorecardCounts {
  turns: number;
  toolCalls: number;
  toolErrors: number;
  approvalsAsked: number;
  /** Time requests of this agent waited for a decision (a person's or a timeout). */
  waitedMs: number;
  signals: Record<RiskSignal, number>;
}

export interface Scorecard extends ScorecardCounts {
  readonly risk: RiskReport;
  readonly riskThreshold: number;
}

const zero = (): ScorecardCounts => ({
  turns: 0,
  toolCalls: 0,
  toolErrors: 0,
  approvalsAsked: 0,
  waitedMs: 0,
  signals: { prohibited: 0, denied: 0, tamper: 0, loop: 0, restart: 0, budgetSpike: 0, silent: 0 },
});

export class Scorecards {
  private readonly agents = new Map<string, ScorecardCounts>();

  turnEnded(agentId: string): void {
    this.of(agentId).turns++;
  }

  toolEnded(agentId: string, failed: boolean): void {
    const c = this.of(agentId);
    c.toolCalls++;
    if (failed) c.toolErrors++;
  }

  approvalSettled(agentId: string, waitedMs: number): void {
    const c = this.of(agentId);
    c.approvalsAsked++;
    c.waitedMs += Math.max(0, waitedMs);
  }

  signal(agentId: string, signal: RiskSignal): void {
    this.of(agentId).signals[signal]++;
  }

  counts(agentId: string): ScorecardCounts {
    const c = this.agents.get(agentId) ?? zero();
    return { ...c, signals: { ...c.signals } };
  }

  forget(agentId: string): void {
    this.agents.delete(agentId);
  }

  private of(agentId: string): ScorecardCounts {
    let c = this.agents.get(agentId);
    if (!c) {
      c = zero();
      this.agents.set(agentId, c);
    }
    return c;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The scorecard as plain lines (the caller escapes them for Markdown): the risk first, then what was counted.
 * `costUsd` (the agent's spend) adds the cost per finished turn.
 */
export function scorecardLines(card: Scorecard, topEvidence = 3, costUsd?: number): string[] {
  const s = card.signals;
  const errorRate = card.toolCalls > 0 ? ` (${Math.round((100 * card.toolErrors) / card.toolCalls)} % failed)` : '';
  const perTurn = costUsd !== undefined && card.turns > 0 ? ` · ${formatUsd(costUsd / card.turns)} per turn` : '';
  const lines = [
    `Risk: ${card.risk.score} of ${card.riskThreshold}${card.risk.lines.length === 0 ? ' (nothing in the last 30 minutes)' : ''}`,
    ...card.risk.lines.slice(0, topEvidence).map((l) => `  ${l}`),
    `${plural(card.turns, 'turn')} finished${perTurn} · ${plural(card.toolCalls, 'tool call')}${errorRate}`,
    `${plural(card.approvalsAsked, 'approval')} asked${card.approvalsAsked > 0 ? ` (waited ${formatDuration(card.waitedMs)})` : ''} · ${plural(s.denied, 'denial')} · ${plural(s.prohibited, 'prohibited attempt')}`,
    `${plural(s.loop, 'loop')} · ${plural(s.silent, 'stall')} · ${plural(s.restart, 'restart')}${s.tamper > 0 ? ` · ${plural(s.tamper, 'tamper event')}` : ''}${s.budgetSpike > 0 ? ` · ${plural(s.budgetSpike, 'budget spike')}` : ''}`,
  ];
  return lines;
}
