// How an agent looks in the tree: icon and colour per state (the states that need the user are the loud ones), a
// short description (state, cost, active time), a Markdown tooltip with the wall time. Words and colours come from
// agentStatusLook; agent-supplied text goes into the tooltip escaped, never as trusted Markdown.
import * as vscode from 'vscode';
import type { AgentSnapshot } from '../shared/agent';
import { formatDuration, formatTokens, formatUsd } from '../core/format';
import { Commands } from './ids';
import { healthParts, healthTooltip } from './healthPresentation';
import { appendPlainText, escapeMarkdownText } from './markdownText';
import { compactDuration, SHORT_LABEL } from './agentOrder';
import { activeMs, agentLook, LOOKS, wallMs } from './agentStatusLook';
import { budgetFraction, budgetLines, budgetShare } from '../core/budget/budgetText';
import type { AgentLook, PresentedAgent } from './agentStatusLook';
import { quotaAdvice, quotaRowText } from './quotaText';
import { subagentCostLine } from './subagentCostLine';
import { applies } from './agentPickerModel';

export function lookIcon(look: AgentLook): vscode.ThemeIcon {
  const { icon, color } = LOOKS[look];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

export function agentIcon(agent: AgentSnapshot): vscode.ThemeIcon {
  return lookIcon(agentLook(agent));
}

/** The row's label for its state, e.g. "done — ready for review". */
export function statusLabel(agent: AgentSnapshot): string {
  return LOOKS[agentLook(agent)].label;
}

/** Active time when the core tracks it (working, waiting for approval), else wall time. */
function shownTime(agent: PresentedAgent, now: number): string {
  return compactDuration(activeMs(agent, now) ?? wallMs(agent, now));
}

/** The row's compact description (fits 300 px with the name): short state word · cost · active time. */
/** From this share of a budget on, the row shows the budget beside the cost (the first alert's threshold). */
const ROW_BUDGET_SHARE = 0.7;

/** Dollars in a row: cents, and under a cent "<$0.01" (the tooltip has the exact figure). */
function rowUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return '<$0.01';
  return formatUsd(usd);
}

export function describe(agent: AgentSnapshot, now: number): string {
  const look = agentLook(agent);
  const state = look === 'quota-paused' && agent.quotaPause ? quotaRowText(agent.quotaPause, now) : (SHORT_LABEL[look] ?? LOOKS[look].label);
  const parts = [state, rowUsd(agent.costUsd), shownTime(agent, now)];
  if (agent.unpricedModels.length > 0) parts[1] += '+';
  // The tightest budget as a fraction once it matters (from the first alert, 70 %): "$4.20/$5" in place of the
  // cost, or "150k/200k" after it; below that the tooltip has it, and the row keeps to 300 px.
  const fraction = budgetShare(agent, now) >= ROW_BUDGET_SHARE ? budgetFraction(agent, now) : undefined;
  // A budget per day or task ("$1.20/$5 today", "$0.40/$1 this task") is not the cost's: it goes beside it.
  if (fraction?.startsWith('$') && !fraction.includes(' ')) parts[1] = `${parts[1]}/${fraction.split('/')[1]}`;
  else if (fraction) parts.splice(2, 0, fraction);
  if (agent.budgetPaused) parts.unshift('paused for budget');
  if (agent.quarantine && look !== 'quarantined') parts.unshift('quarantined');
  // Fleet health: the step with its time after the state, a looping/stuck flag first.
  const health = healthParts(agent, now);
  if (health.progress) parts.splice(1, 0, health.progress);
  if (health.flag) parts.unshift(health.flag);
  return parts.join(' · ');
}

// Agent-supplied text: never Markdown, an icon or a link (markdownText.ts).
const escape = escapeMarkdownText;

export function tooltip(agent: AgentSnapshot, now: number): vscode.MarkdownString {
  const look = agentLook(agent);
  const md = new vscode.MarkdownString(undefined, true);
  // Only Open Diff and Open Trace may run from the tooltip; everything the agent wrote is escaped text.
  md.isTrusted = { enabledCommands: [Commands.openDiff, Commands.openTrace] };
  md.supportHtml = false;
  md.appendMarkdown(`**${escape(agent.name)}** — ${LOOKS[look].label} ($(${LOOKS[look].icon.replace('~spin', '')}))\n\n`);
  // At the quota wall the reason is the API's message, shown once with the pause below.
  if (agent.statusReason && look !== 'quota-paused') md.appendMarkdown(`${escape(agent.statusReason)}\n\n`);
  if (agent.quotaPause && look === 'quota-paused') {
    md.appendMarkdown(`$(history) **${escape(quotaRowText(agent.quotaPause, now))}**: ${escape(agent.quotaPause.reason.replace(/[.\s]+$/, ''))}. ${escape(quotaAdvice(agent.quotaPause, now))}\n\n`);
  }
  if (agent.budgetPaused) {
    md.appendMarkdown(`$(credit-card) **Paused for budget**: ${escape(agent.budgetReason ?? 'a budget is spent')}. Its tool calls are denied until *Set Budget…* raises it.\n\n`);
  }
  const openDiff = look === 'ready-for-review' && applies(agent, 'changes') ? `[$(diff) Open Diff](command:${Commands.openDiff}?${encodeURIComponent(JSON.stringify([agent.id]))}) · ` : '';
  md.appendMarkdown(`${openDiff}[$(list-tree) Open Trace](command:${Commands.openTrace}?${encodeURIComponent(JSON.stringify([agent.id]))})\n\n`);
  if (agent.quarantine) appendQuarantine(md, agent.quarantine);
  md.appendMarkdown(healthTooltip(agent, now, escape));
  if (agent.currentTool) {
    md.appendMarkdown(`Current tool: `);
    appendPlainText(md, agent.currentTool.summary);
    md.appendMarkdown(` (for ${formatDuration(now - agent.currentTool.since)})\n\n`);
  }
  const active = activeMs(agent, now);
  const subagents = subagentCostLine(agent.id);
  const lines = [
    `Kind: ${agent.kind}${agent.group ? ` · group ${escape(agent.group)}` : ''}`,
    active !== undefined ? `Active: ${formatDuration(active)} · wall time ${formatDuration(wallMs(agent, now))}` : `Wall time: ${formatDuration(wallMs(agent, now))}`,
    agent.lastEventAt ? `Last event: ${formatDuration(now - agent.lastEventAt)} ago` : 'Last event: none yet',
    `Tokens: ${formatTokens(agent.usage.input)} in · ${formatTokens(agent.usage.output)} out · ${formatTokens(agent.usage.cacheRead)} cache read · ${formatTokens(agent.usage.cacheWrite)} cache write`,
    `Cost: ${formatUsd(agent.costUsd)}${subagents ? ` (${escape(subagents)})` : ''}${agent.unpricedModels.length ? ` (no price for ${agent.unpricedModels.map(escape).join(', ')})` : ''}`,
  ];
  for (const line of budgetLines(agent, now)) lines.push(`Budget: ${escape(line)}`);
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
