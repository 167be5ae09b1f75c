// The words of the fleet's status bar item, vscode-free: "$(pulse) 3 working · 1 needs you · $4.20 today", its
// accessible name and its tooltip lines. "Needs you" is what the Agents tree floats to the top: waiting for approval,
// for an answer or in the terminal, quarantined, or paused for budget (attentionRank ≤ 3), and paused for quota once
// its reset time has passed or when none is known (before the reset there is nothing to do, as the tree's quiet look
// says; then it waits on you to resume it). Dollars as the Costs view's "today" to the cent; "+" when a model used
// today has no price.
import type { AgentSnapshot } from '../shared/agent';
import { isEnded } from '../core/statusMachine';
import type { TodayFigure } from '../core/cost/todaySpend';
import { attentionRank, budgetPaused } from './agentOrder';
import { agentLook, LOOKS } from './agentStatusLook';
import type { PresentedAgent } from './agentStatusLook';

export interface FleetStatusText {
  /** undefined: nothing to show (no agent in the fleet). */
  readonly text: string | undefined;
  readonly accessible: string;
  readonly tooltip: string[];
}

/** "$4.20", "<$0.01" under a cent, "$0.00" for nothing. */
export function centsText(usd: number): string {
  if (usd > 0 && usd < 0.005) return '<$0.01';
  return `$${usd.toFixed(2)}`;
}

/** Needs you at `now`: what the tree floats to the top (attentionRank ≤ 3), and an agent at the quota wall whose reset has come (or is unknown). */
export const needsYou = (a: AgentSnapshot, now: number): boolean =>
  !isEnded(a.status) && (attentionRank(a) <= 3 || (a.quotaPause !== undefined && (a.quotaPause.until === undefined || now >= a.quotaPause.until)));

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const names = (agents: readonly AgentSnapshot[], why?: (a: AgentSnapshot) => string): string => {
  const shown = agents.slice(0, 8).map((a) => (why ? `${a.name} (${why(a)})` : a.name));
  return agents.length > 8 ? `${shown.join(', ')}, … ${agents.length - 8} more` : shown.join(', ');
};

export function fleetStatusText(agents: readonly AgentSnapshot[], today: TodayFigure, now: number): FleetStatusText {
  if (agents.length === 0) return { text: undefined, accessible: '', tooltip: [] };
  const needs = agents.filter((a) => needsYou(a, now));
  const busy = agents.filter((a) => a.status === 'working' && !needs.includes(a));
  const unpriced = today.unpriced.length > 0;
  const dollars = `${centsText(today.usd)}${unpriced ? '+' : ''}`;
  const parts: string[] = [];
  if (busy.length > 0) parts.push(`${busy.length} working`);
  if (needs.length > 0) parts.push(`${needs.length} need${needs.length === 1 ? 's' : ''} you`);
  if (parts.length === 0) parts.push(plural(agents.length, 'agent'));
  const text = `$(pulse) ${[...parts, `${dollars} today`].join(' · ')}`;
  const accessible = `Flotilla: ${[...parts, `${dollars} spent today${unpriced ? ' (and a model without a price)' : ''}`].join(', ')}. Opens the Costs view.`;
  const why = (a: AgentSnapshot) => (budgetPaused(a) ? 'paused for budget' : LOOKS[agentLook(a as PresentedAgent)].label);
  const tooltip = [
    `Flotilla: ${plural(agents.length, 'agent')}`,
    ...(busy.length > 0 ? [`${busy.length} working: ${names(busy)}`] : []),
    ...(needs.length > 0 ? [`${needs.length} need${needs.length === 1 ? 's' : ''} you: ${names(needs, why)}`] : []),
    `${centsText(today.usd)} spent today (since local midnight, as in the Costs view)`,
    ...(unpriced ? [`Not counted: ${today.unpriced.join(', ')} ${today.unpriced.length === 1 ? 'has' : 'have'} no price. Add ${today.unpriced.length === 1 ? 'it' : 'them'} to flotilla.pricing.overrides.`] : []),
    'Click to open the Costs view.',
  ];
  return { text, accessible, tooltip };
}
