// The approval notifications' texts and buttons, free of `vscode` so they are tested in Node. A notification must
// never hide part of what "Allow" allows: the action is described from the tool input itself (not the agent's summary),
// hidden characters are shown as escapes, and an action too long to show whole, or spanning several lines, gets
// "Review…" (the Approvals panel shows it in full) instead of "Allow"; a batch with such an action gets no "Allow All".
// Risky requests (a rule asked for a human) lead with the safe button: Review… first, Allow after Deny.
// A notification that ended (answered elsewhere, superseded) says so truthfully when clicked (settledText).
import type { PendingApproval } from '../../shared/approval';
import { jsonText } from '../../shared/jsonText';
import { hasLineBreak, visible } from '../../shared/visibleText';
import type { SettledApproval } from './approvalQueue';
import { batchText, leadRequest } from './batchText';

export const NoticeButton = {
  allow: 'Allow',
  deny: 'Deny',
  showAgent: 'Show Agent',
  review: 'Review…',
  allowAll: 'Allow All',
  denyAll: 'Deny All',
} as const;
export type NoticeButton = (typeof NoticeButton)[keyof typeof NoticeButton];

/** The longest action (in characters, after escaping) a notification shows whole. */
export const MAX_NOTICE_ACTION = 200;
/** How much of a longer action is still quoted before "…". */
const QUOTED_PREFIX = 100;

/** The input fields that say what each built-in tool does, the first one leading. */
const SHOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Bash: ['command'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  Write: ['file_path'],
  Read: ['file_path'],
  NotebookEdit: ['notebook_path'],
  Glob: ['pattern', 'path'],
  Grep: ['pattern', 'path', 'glob'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description'],
  Agent: ['description'],
};

export interface ShownAction {
  /** "Bash: git status", hidden characters escaped, possibly cut. */
  readonly text: string;
  /** The text shows the whole action: short enough and on one line. */
  readonly whole: boolean;
}

export interface Notice {
  readonly text: string;
  readonly buttons: readonly NoticeButton[];
}

function field(input: unknown, key: string): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const v = (input as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The raw description of the action: the tool's telling fields, or the whole input as JSON for any other tool. */
function rawAction(tool: string, input: unknown): { raw: string; complete: boolean } {
  const fields = SHOWN_FIELDS[tool];
  const lead = fields ? field(input, fields[0]!) : undefined;
  if (fields && lead !== undefined) {
    const rest = fields.slice(1).flatMap((key) => {
      const v = field(input, key);
      return v === undefined ? [] : [`${key} ${v}`];
    });
    return { raw: rest.length ? `${lead} (${rest.join(', ')})` : lead, complete: true };
  }
  // Bounded: only whether it fits matters, and the quoted prefix.
  const json = jsonText(input, { maxDepth: 16, maxChars: MAX_NOTICE_ACTION * 8 });
  return { raw: json.text, complete: !json.truncated };
}

/** The start of the first line, visible, at most QUOTED_PREFIX characters, cut between code points (never inside an escape). */
function quotedPrefix(line: string): string {
  let out = '';
  for (const char of line) {
    const shown = visible(char);
    if (out.length + shown.length > QUOTED_PREFIX) break;
    out += shown;
  }
  return out;
}

/** What a notification says the request will do, and whether that is all of it. */
export function shownAction(request: Pick<PendingApproval, 'tool' | 'input'>): ShownAction {
  const { raw, complete } = rawAction(request.tool, request.input);
  const shown = visible(raw);
  const tool = visible(request.tool);
  if (complete && shown.length <= MAX_NOTICE_ACTION && !hasLineBreak(raw)) return { text: `${tool}: ${shown}`, whole: true };
  const prefix = quotedPrefix(raw.split(/[\n\r\u0085\u2028\u2029\v\f]/)[0]!);
  const lines = hasLineBreak(raw) ? 'several lines' : complete ? `${raw.length} characters` : 'a large input';
  return { text: `${tool}: ${prefix}… (${lines}, not shown whole: review it before allowing)`, whole: false };
}

/** A rule of the policy sent it to a human (tier approve): the first button must not be Allow. */
export function isRisky(request: Pick<PendingApproval, 'tier'>): boolean {
  return request.tier === 'approve' || request.tier === 'prohibited';
}

/**
 * Notification text is plain: VS Code shows Markdown marks literally (only links are rendered), so inline-code
 * backticks from rule descriptions or reasons become quotes.
 */
export function plainText(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '"$1"');
}

/** The notification of one request: "delta wants to run Bash: echo hi > out.txt" with Allow / Deny / Show Agent. */
export function requestNotice(request: PendingApproval, options: { escalated: boolean; now: number }): Notice {
  const action = shownAction(request);
  const agent = visible(request.agentName);
  const text = options.escalated
    ? `Still waiting: ${agent} has been waiting ${Math.round((options.now - request.createdAt) / 1000)} s to run ${action.text}`
    : `${agent} wants to run ${action.text}`;
  if (!action.whole) return { text, buttons: [NoticeButton.review, NoticeButton.deny, NoticeButton.showAgent] };
  if (isRisky(request)) return { text, buttons: [NoticeButton.review, NoticeButton.deny, NoticeButton.allow, NoticeButton.showAgent] };
  return { text, buttons: [NoticeButton.allow, NoticeButton.deny, NoticeButton.showAgent] };
}

/**
 * The notification of a batch: "3 actions from alpha, bravo and charlie need approval (Bash 3): Bash: git push origin
 * main, …" with Allow All / Review… / Deny All (Review… first when an action is risky; no Allow All when one
 * cannot be shown whole).
 */
export function batchNotice(batch: readonly PendingApproval[]): Notice {
  const hidden = batch.filter((r) => !shownAction(r).whole).length;
  const lead = leadRequest(batch);
  const leadText = lead && shownAction(lead).whole ? `: ${shownAction(lead).text}${batch.length > 1 ? ', …' : ''}` : '';
  if (hidden === 0) {
    const buttons = batch.some(isRisky)
      ? [NoticeButton.review, NoticeButton.denyAll, NoticeButton.allowAll]
      : [NoticeButton.allowAll, NoticeButton.review, NoticeButton.denyAll];
    return { text: `${batchText(batch)}${leadText}`, buttons };
  }
  const which = hidden === 1 ? 'one of them is' : `${hidden} of them are`;
  return { text: `${batchText(batch)}; ${which} too long to show here, review before allowing`, buttons: [NoticeButton.review, NoticeButton.denyAll] };
}

/** "12 s ago", "4 min ago", or "at 14:02" (local time) past an hour. */
export function agoText(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  const d = new Date(at);
  return `at ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const BY: Readonly<Record<string, string>> = {
  policy: 'by the policy',
  timeout: 'by Flotilla (no answer in time)',
  terminal: "in the agent's terminal",
  supervisor: 'by Flotilla',
};

/**
 * What a click on an ended request's notification tells the user: who answered, how and when, e.g.
 * "Already allowed by you in the Approvals panel 12 s ago (pusher-2: Bash: git push origin main)."
 */
export function settledText(settled: SettledApproval, now: number): string {
  const { request, resolution } = settled;
  const ago = agoText(settled.at, now);
  const what = `(${visible(request.agentName)}: ${shownAction(request).text})`;
  if (resolution.kind === 'decided') {
    const done = resolution.decision === 'allow' ? 'allowed' : 'denied';
    const by =
      resolution.decidedBy === 'user'
        ? `by you${settled.via ? ` in ${settled.via}` : ''}${!settled.via && resolution.reason ? ` (${visible(resolution.reason)})` : ''}`
        : `${BY[resolution.decidedBy] ?? 'by Flotilla'}${resolution.reason && resolution.decidedBy !== 'timeout' ? ` (${visible(resolution.reason)})` : ''}`;
    return plainText(`Already ${done} ${by} ${ago} ${what}.`);
  }
  if (resolution.why === 'timeout') return plainText(`Not answered in time: handed back to the agent's own prompt ${ago} ${what}; nothing was allowed here.`);
  return plainText(`No longer pending ${ago}: ${visible(resolution.reason)} ${what}; nothing was allowed or denied here.`);
}

/**
 * What a click on a notification did, when it could not simply do what it said: how many it answered, then the truth
 * about the others (answered elsewhere, superseded by a newer notification, forgotten). Undefined when every request
 * was answered by this click (nothing to say).
 */
export function clickOutcomeText(
  split: { live: readonly unknown[]; superseded: readonly PendingApproval[]; settled: readonly SettledApproval[]; forgotten: readonly PendingApproval[] },
  decision: 'allow' | 'deny',
  now: number,
): string | undefined {
  const parts: string[] = [];
  const done = decision === 'allow' ? 'allowed' : 'denied';
  if (split.live.length > 0) parts.push(`${split.live.length} ${done} now.`);
  if (split.settled.length > 0) {
    parts.push(settledText(split.settled[0]!, now));
    if (split.settled.length > 1) parts.push(`${split.settled.length - 1} more had already been answered.`);
  }
  if (split.superseded.length > 0) {
    const who = split.superseded.length === 1 ? `${visible(split.superseded[0]!.agentName)}'s request is` : `${split.superseded.length} requests are`;
    parts.push(`${who} still waiting in a newer notification; this older one no longer answers it (use the newer one or the Approvals panel).`);
  }
  if (split.forgotten.length > 0) parts.push(`${split.forgotten.length} ended earlier and ${split.forgotten.length === 1 ? 'was' : 'were'} left alone.`);
  return split.settled.length + split.superseded.length + split.forgotten.length === 0 ? undefined : parts.join(' ');
}
