// Agent text made visible for a human who approves it: characters that render as nothing or reorder what is shown
// (zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates, BOM, C0/C1 controls, line and
// paragraph separators, tag characters, variation selectors, odd spaces, unassigned code points) are written as
// escapes (`\u200b`, `\u{e0041}`, `\n`), so "git status" cannot hide "; curl … ~/.ssh/id_rsa" behind them.
// Browser-safe: the notifications and the Approvals panel both use it.

/** Invisible, formatting, control and separator characters, and every space but the plain one. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface VisibleOptions {
  /** Keep line feeds (and tabs) as they are: for multi-line views (a code block), not for one-line texts. */
  readonly keepLines?: boolean;
}

export interface VisibleText {
  readonly text: string;
  /** How many characters were written as escapes (line feeds and tabs kept by keepLines not counted). */
  readonly escaped: number;
}

/** The escape a hidden character is shown as: `\n`, `\u200b`, `\u{e0041}`. */
export function escapeChar(char: string): string {
  const short = SHORT[char];
  if (short) return short;
  const cp = char.codePointAt(0)!;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** `text` with every hidden character written as its escape. */
export function visibleText(text: string, options: VisibleOptions = {}): VisibleText {
  let escaped = 0;
  const out = text.replace(HIDDEN, (char) => {
    if (options.keepLines && (char === '\n' || char === '\t')) return char;
    escaped++;
    return escapeChar(char);
  });
  return { text: out, escaped };
}

/** Shorthand: the visible form of `text`. */
export const visible = (text: string, options?: VisibleOptions): string => visibleText(text, options).text;

/** Whether `text` has a line break of any kind (LF, CR, NEL, U+2028/2029, VT, FF). */
export const hasLineBreak = (text: string): boolean => /[\n\r\u0085\u2028\u2029\v\f]/.test(text);
