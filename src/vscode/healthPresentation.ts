// How fleet health reads in the tree: "3/7 running the tests (4m)" in the row, the flag first when there is one
// ("looping"), and in the tooltip the step with its time on it (or that no progress is known), the evidence, and the
// scorecard with the risk score and its heaviest lines. Agent-supplied text (labels, evidence) is escaped.
import type { AgentSnapshot } from '../shared/agent';
import { progressText } from '../shared/health';
import { formatDuration } from '../core/format';
import type { Scorecard } from '../core/health/scorecard';
import { scorecardLines } from '../core/health/scorecard';
import { compactDuration } from './agentOrder';
import { escapeMarkdownText } from './markdownText';

/** Row parts: the flag ("stuck on step 3 of 7"), then the step with how long it has been on it. */
export function healthParts(agent: AgentSnapshot, now: number): { flag?: string; progress?: string } {
  return {
    ...(agent.health ? { flag: agent.health.summary } : {}),
    ...(agent.progress ? { progress: `${progressText(agent.progress)} (${compactDuration(now - agent.progress.since)})` } : {}),
  };
}

/** Tooltip Markdown: progress (or "no progress reported") and the health evidence. */
export function healthTooltip(agent: AgentSnapshot, now: number, escape: (s: string) => string): string {
  const out: string[] = [];
  const p = agent.progress;
  if (p) {
    const of = p.of !== undefined ? ` of ${p.of}` : '';
    out.push(`Progress: step ${p.step}${of}${p.label ? `: ${escape(p.label)}` : ''} — on it for ${formatDuration(now - p.since)}${p.marker ? ` ($(warning) as reported: ${escape(p.marker)})` : ''}`);
  } else {
    out.push('Progress: none reported (no plan or heartbeat step seen)');
  }
  const h = agent.health;
  if (h) {
    out.push(`$(warning) **${escape(h.summary)}** for ${formatDuration(now - h.since)}:`);
    for (const e of h.evidence.slice(0, 5)) out.push(`- ${escape(e.replace(/\s+/g, ' ').slice(0, 300))}`);
  }
  return `${out.join('  \n')}\n\n`;
}


/** Tooltip Markdown: the scorecard, its risk lines indented under the score (all of it escaped text). */
export function scorecardTooltip(card: Scorecard, costUsd?: number): string {
  const lines = scorecardLines(card, 3, costUsd).map((l) => (l.startsWith('  ') ? `· ${escapeMarkdownText(l.trim())}` : escapeMarkdownText(l)));
  return `\n\n**Health** — ${lines.join('  \n')}\n\n`;
}
