// How an agent looks in the tree: icon per status, a short description (cost, elapsed), a Markdown tooltip.
// Agent-supplied text goes into the tooltip escaped, never as trusted Markdown.
import * as vscode from 'vscode';
import type { AgentSnapshot } from '../shared/agent';
import type { AgentStatus } from '../shared/status';
import { formatDuration, formatTokens, formatUsd } from '../core/format';
import { isEnded } from '../core/statusMachine';

const ICONS: Record<AgentStatus, [string, string?]> = {
  starting: ['loading~spin'],
  working: ['sync~spin', 'charts.blue'],
  'waiting-input': ['comment-unresolved', 'charts.yellow'],
  'waiting-approval': ['shield', 'charts.orange'],
  idle: ['circle-outline'],
  stalled: ['watch', 'charts.yellow'],
  disconnected: ['debug-disconnect', 'disabledForeground'],
  failed: ['error', 'testing.iconFailed'],
  done: ['pass', 'testing.iconPassed'],
  stopped: ['debug-stop', 'disabledForeground'],
  quarantined: ['lock', 'charts.red'],
};

export const STATUS_LABELS: Record<AgentStatus, string> = {
  starting: 'starting',
  working: 'working',
  'waiting-input': 'waiting for input',
  'waiting-approval': 'waiting for approval',
  idle: 'idle',
  stalled: 'stalled',
  disconnected: 'disconnected',
  failed: 'failed',
  done: 'done',
  stopped: 'stopped',
  quarantined: 'quarantined',
};

export function statusIcon(status: AgentStatus): vscode.ThemeIcon {
  const [id, color] = ICONS[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** The icon of an agent: its status, or the quarantine lock while a quarantined agent may still act. */
export function agentIcon(agent: AgentSnapshot): vscode.ThemeIcon {
  return statusIcon(agent.quarantine && !isEnded(agent.status) ? 'quarantined' : agent.status);
}

export function elapsedMs(agent: AgentSnapshot, now: number): number {
  return (agent.endedAt ?? now) - (agent.startedAt ?? agent.createdAt);
}

export function describe(agent: AgentSnapshot, now: number): string {
  const parts = [STATUS_LABELS[agent.status], formatUsd(agent.costUsd), formatDuration(elapsedMs(agent, now))];
  if (agent.unpricedModels.length > 0) parts[1] += '+';
  if (agent.quarantine && agent.status !== 'quarantined') parts.unshift('quarantined');
  return parts.join(' · ');
}

const escape = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);

export function tooltip(agent: AgentSnapshot, now: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${escape(agent.name)}** — ${STATUS_LABELS[agent.status]} ($(${ICONS[agent.status][0].replace('~spin', '')}))\n\n`);
  if (agent.statusReason) md.appendMarkdown(`${escape(agent.statusReason)}\n\n`);
  if (agent.quarantine) appendQuarantine(md, agent.quarantine);
  if (agent.currentTool) {
    md.appendMarkdown(`Current tool: `);
    md.appendText(agent.currentTool.summary);
    md.appendMarkdown(`\n\n`);
  }
  const lines = [
    `Kind: ${agent.kind}${agent.group ? ` · group ${escape(agent.group)}` : ''}`,
    `Elapsed: ${formatDuration(elapsedMs(agent, now))}`,
    agent.lastEventAt ? `Last event: ${formatDuration(now - agent.lastEventAt)} ago` : 'Last event: none yet',
    `Tokens: ${formatTokens(agent.usage.input)} in · ${formatTokens(agent.usage.output)} out · ${formatTokens(agent.usage.cacheRead)} cache read · ${formatTokens(agent.usage.cacheWrite)} cache write`,
    `Cost: ${formatUsd(agent.costUsd)}${agent.unpricedModels.length ? ` (no price for ${agent.unpricedModels.map(escape).join(', ')})` : ''}`,
  ];
  if (agent.model) lines.push(`Model: ${escape(agent.model)}`);
  if (agent.worktree) lines.push(`Worktree: ${escape(agent.worktree.path)} (branch ${escape(agent.worktree.branch)})`);
  if (agent.exitCode !== undefined) lines.push(`Exit code: ${agent.exitCode}`);
  md.appendMarkdown(lines.join('  \n'));
  return md;
}

/** Why the agent is quarantined and what was seen, all of it text from the file system: escaped. */
function appendQuarantine(md: vscode.MarkdownString, q: NonNullable<AgentSnapshot['quarantine']>): void {
  md.appendMarkdown(`$(lock) **Quarantined** since ${escape(new Date(q.since).toLocaleTimeString())}: ${escape(q.reason)}. `);
  md.appendMarkdown('Every tool call needs your approval until you run *Release from Quarantine*.\n\n');
  const shown = q.evidence.slice(-5);
  for (const line of shown) md.appendMarkdown(`- ${escape(line.replace(/\s+/g, ' ').slice(0, 300))}\n`);
  if (q.evidence.length > shown.length) md.appendMarkdown(`- … and ${q.evidence.length - shown.length} earlier\n`);
  if (shown.length > 0) md.appendMarkdown('\n');
}
