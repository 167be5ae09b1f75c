// What a request's tool input shows the reviewer, decided without the DOM: the full command of a Bash call, the path
// of a file tool, a diff of an Edit, the content of a Write; any other tool's input as labelled fields or JSON.
// Every text is visible: characters that render as nothing or reorder text are shown as escapes (`\u200b`).
import { jsonText } from '../../src/shared/jsonText';
import { visible, visibleText } from '../../src/shared/visibleText';
import { lineDiff } from './lineDiff';
import type { DiffLine } from './lineDiff';

export const MAX_PREVIEW_LINES = 200;
export const MAX_JSON_CHARS = 10_000;
/** JSON previews show containers this deep; deeper ones read "… (truncated: nested deeper than 32)". */
export const MAX_JSON_DEPTH = 32;

export interface Hunk {
  readonly lines: DiffLine[];
  /** Lines cut from the end of this hunk to keep the panel light. */
  readonly moreLines: number;
}

export type InputPreview =
  | {
      readonly kind: 'command';
      readonly command: string;
      readonly description?: string;
      readonly background?: boolean;
      /** How many hidden characters the command holds (shown as escapes); the view warns about them. */
      readonly hidden?: number;
    }
  | { readonly kind: 'file'; readonly path: string; readonly fields: Field[] }
  | { readonly kind: 'diff'; readonly path: string; readonly hunks: Hunk[]; readonly replaceAll: boolean }
  | { readonly kind: 'fields'; readonly fields: Field[] }
  | { readonly kind: 'json'; readonly text: string };

export interface Field {
  readonly label: string;
  readonly value: string;
}

type Bag = Record<string, unknown>;

function bag(input: unknown): Bag {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Bag) : {};
}

function str(input: Bag, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

/** A one-line text (a path, a field, a description), hidden characters and line breaks escaped. */
function line(v: string | undefined): string | undefined {
  return v === undefined ? undefined : visible(v);
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return visible(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Diff lines as shown: tabs kept, anything hidden escaped. */
function cap(raw: DiffLine[]): Hunk {
  const lines = raw.slice(0, MAX_PREVIEW_LINES).map((l) => ({ ...l, text: visible(l.text, { keepLines: true }) }));
  return { lines, moreLines: raw.length - lines.length };
}

/** Every scalar field except the ones already shown, labelled by its key. */
function otherFields(input: Bag, shown: readonly string[]): Field[] {
  const fields: Field[] = [];
  for (const [label, v] of Object.entries(input)) {
    const value = scalar(v);
    if (!shown.includes(label) && value !== undefined) fields.push({ label: visible(label), value });
  }
  return fields;
}

/** Pretty JSON without recursion (an input may be nested thousands of levels deep), clipped in depth and length. */
function json(input: unknown): InputPreview {
  const { text, chars, truncated } = jsonText(input, { indent: 2, maxDepth: MAX_JSON_DEPTH, maxChars: MAX_JSON_CHARS });
  const shown = visible(text, { keepLines: true });
  return { kind: 'json', text: truncated && chars >= MAX_JSON_CHARS ? `${shown}\n… (truncated at ${MAX_JSON_CHARS} characters)` : shown };
}

export function previewInput(tool: string, rawInput: unknown): InputPreview {
  const input = bag(rawInput);
  const path = line(str(input, 'file_path') ?? str(input, 'notebook_path'));
  const rawCommand = str(input, 'command');
  const shownCommand = rawCommand === undefined ? undefined : visibleText(rawCommand, { keepLines: true });
  const command = shownCommand?.text;
  const hidden = shownCommand?.escaped ? { hidden: shownCommand.escaped } : {};
  if (tool === 'Bash' && command !== undefined) {
    return { kind: 'command', command, description: line(str(input, 'description')), background: input.run_in_background === true, ...hidden };
  }
  if ((tool === 'Edit' || tool === 'MultiEdit') && path !== undefined) {
    const edits = tool === 'Edit' ? [input] : Array.isArray(input.edits) ? input.edits.map(bag) : [];
    const hunks = edits.map((edit) => cap(lineDiff(str(edit, 'old_string') ?? '', str(edit, 'new_string') ?? '')));
    return { kind: 'diff', path, hunks, replaceAll: edits.some((edit) => edit.replace_all === true) };
  }
  if (tool === 'Write' && path !== undefined) {
    // A file's final newline is not a line of its own.
    const content = (str(input, 'content') ?? '').replace(/\n$/, '');
    const lines = content === '' ? [] : content.split('\n').map((text): DiffLine => ({ kind: '+', text }));
    return { kind: 'diff', path, hunks: [cap(lines)], replaceAll: false };
  }
  if (path !== undefined) return { kind: 'file', path, fields: otherFields(input, ['file_path', 'notebook_path']) };
  if (command !== undefined) return { kind: 'command', command, description: line(str(input, 'description')), ...hidden };
  const keys = Object.keys(input);
  if (keys.length > 0 && keys.every((k) => scalar(input[k]) !== undefined)) return { kind: 'fields', fields: otherFields(input, []) };
  return json(rawInput);
}

/** The codicon shown beside a tool's name. */
export function toolIcon(tool: string): string {
  switch (tool) {
    case 'Bash':
      return 'terminal';
    case 'Write':
      return 'new-file';
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return 'edit';
    case 'Read':
      return 'file';
    case 'Glob':
    case 'Grep':
      return 'search';
    case 'WebFetch':
    case 'WebSearch':
      return 'globe';
    case 'Task':
      return 'hubot';
    default:
      return tool.startsWith('mcp__') ? 'plug' : 'tools';
  }
}
