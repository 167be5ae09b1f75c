// The approval notifications' texts and buttons, free of `vscode` so they are tested in Node. A notification must
// never hide part of what "Allow" allows: the action is described from the tool input itself (not the agent's summary),
// hidden characters are shown as escapes, and an action too long to show whole, or spanning several lines, gets
// "Review…" (the Approvals panel shows it in full) instead of "Allow"; a batch with such an action gets no "Approve All".
import type { PendingApproval } from '../../shared/approval';
import { jsonText } from '../../shared/jsonText';
import { hasLineBreak, visible } from '../../shared/visibleText';
import { batchText } from './batchText';

export const NoticeButton = {
  allow: 'Allow',
  deny: 'Deny',
  showAgent: 'Show Agent',
  review: 'Review…',
  approveAll: 'Approve All',
  rejectAll: 'Reject All',
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

/** The notification of one request: "delta wants to run Bash: echo hi > out.txt" with Allow / Deny / Show Agent. */
export function requestNotice(request: PendingApproval, options: { escalated: boolean; now: number }): Notice {
  const action = shownAction(request);
  const agent = visible(request.agentName);
  const text = options.escalated
    ? `Still waiting: ${agent} has been waiting ${Math.round((options.now - request.createdAt) / 1000)} s to run ${action.text}`
    : `${agent} wants to run ${action.text}`;
  const first = action.whole ? NoticeButton.allow : NoticeButton.review;
  return { text, buttons: [first, NoticeButton.deny, NoticeButton.showAgent] };
}

/** The notification of a batch: "3 actions from 3 agents need approval (Bash 3)" with Approve All / Review… / Reject All. */
export function batchNotice(batch: readonly PendingApproval[]): Notice {
  const hidden = batch.filter((r) => !shownAction(r).whole).length;
  if (hidden === 0) return { text: batchText(batch), buttons: [NoticeButton.approveAll, NoticeButton.review, NoticeButton.rejectAll] };
  const which = hidden === 1 ? 'one of them is' : `${hidden} of them are`;
  return { text: `${batchText(batch)}; ${which} too long to show here, review before allowing`, buttons: [NoticeButton.review, NoticeButton.rejectAll] };
}
