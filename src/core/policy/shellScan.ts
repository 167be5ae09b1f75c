// First pass over a shell command line, before shell-quote tokenises it: shell-quote does not know command
// substitution, backticks, heredocs, comments with quotes or newlines as separators, and it silently accepts
// unterminated quotes. This pass cuts those out into placeholders so hostile nesting cannot hide a command.

/** Marks a placeholder inside a word; a command line that already contains it is refused. */
export const MARK = '\u0001';

export interface Substitution {
  kind: 'command' | 'process' | 'arithmetic';
  /** The script inside $(...), `...` or <(...); for arithmetic, the raw text. */
  script: string;
}

export type ScanResult =
  | { ok: true; text: string; substitutions: Substitution[]; heredocs: Heredoc[] }
  | { ok: false; error: string };

export interface Heredoc {
  body: string;
  /** Unquoted delimiter: the body's $(...) and backticks run. */
  expands: boolean;
}

class ScanError extends Error {}

/** Index of the `)` closing a `$(` or `<(` whose body starts at `start`, honouring quotes and nesting. */
function findClose(src: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\') i += 2;
    else if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ScanError('unterminated single quote');
      i = end + 1;
    } else if (ch === '"') {
      i = skipDouble(src, i + 1);
    } else if (ch === '`') {
      i = findBacktick(src, i + 1) + 1;
    } else if (ch === '(') {
      depth++;
      i++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) return i;
      i++;
    } else i++;
  }
  throw new ScanError('unterminated $( or <( substitution');
}

/** Index just past the `"` closing a double-quoted string whose body starts at `start`. */
function skipDouble(src: string, start: number): number {
  let i = start;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else if (ch === '$' && src[i + 1] === '(') i = findClose(src, i + 2) + 1;
    else if (ch === '`') i = findBacktick(src, i + 1) + 1;
    else i++;
  }
  throw new ScanError('unterminated double quote');
}

function findBacktick(src: string, start: number): number {
  for (let i = start; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '`') return i;
  }
  throw new ScanError('unterminated backtick');
}

const WORD_START = /[\s;&|()<>]/;

export function scanShell(source: string): ScanResult {
  if (source.includes(MARK)) return { ok: false, error: 'the command contains control characters' };
  const substitutions: Substitution[] = [];
  const heredocs: Heredoc[] = [];
  const pending: { delimiter: string; stripTabs: boolean; index: number }[] = [];
  let out = '';
  let i = 0;
  let quote: '' | '"' = '';

  const placeholder = (kind: Substitution['kind'], script: string): string => {
    substitutions.push({ kind, script });
    return `${MARK}S${substitutions.length - 1}${MARK}`;
  };
  const dollarParen = (): void => {
    if (source[i + 2] === '(') {
      // $(( arithmetic )): opaque, unless it hides a command.
      const end = findClose(source, i + 2);
      const body = source.slice(i + 3, end);
      if (body.includes('$(') || body.includes('`')) throw new ScanError('command substitution inside arithmetic');
      out += placeholder('arithmetic', `$((${body}))`);
      i = source[end + 1] === ')' ? end + 2 : end + 1;
      return;
    }
    const end = findClose(source, i + 2);
    out += placeholder('command', source.slice(i + 2, end));
    i = end + 1;
  };
  const backtick = (): void => {
    const end = findBacktick(source, i + 1);
    out += placeholder('command', source.slice(i + 1, end).replace(/\\([`\\$])/g, '$1'));
    i = end + 1;
  };
  const readHeredocBodies = (): void => {
    for (const doc of pending.splice(0)) {
      const lines: string[] = [];
      while (i < source.length) {
        const nl = source.indexOf('\n', i);
        const raw = source.slice(i, nl < 0 ? source.length : nl);
        i = nl < 0 ? source.length : nl + 1;
        const line = doc.stripTabs ? raw.replace(/^\t+/, '') : raw;
        if (line === doc.delimiter) break;
        lines.push(line);
      }
      // An unclosed heredoc runs to the end of input, as bash does (with a warning).
      heredocs[doc.index]!.body = lines.join('\n');
    }
  };

  try {
    while (i < source.length) {
      const ch = source[i]!;
      if (quote === '"') {
        if (ch === '\\') {
          out += source.slice(i, i + 2);
          i += 2;
        } else if (ch === '"') {
          out += ch;
          quote = '';
          i++;
        } else if (ch === '$' && source[i + 1] === '(') dollarParen();
        else if (ch === '`') backtick();
        else {
          out += ch;
          i++;
        }
        continue;
      }
      if (ch === '\\') {
        if (source[i + 1] === '\n') i += 2; // line continuation
        else {
          out += source.slice(i, i + 2);
          i += 2;
        }
      } else if (ch === "'") {
        const end = source.indexOf("'", i + 1);
        if (end < 0) throw new ScanError('unterminated single quote');
        out += source.slice(i, end + 1);
        i = end + 1;
      } else if (ch === '"') {
        quote = '"';
        out += ch;
        i++;
      } else if (ch === '$' && source[i + 1] === '(') dollarParen();
      else if (ch === '`') backtick();
      else if ((ch === '<' || ch === '>') && source[i + 1] === '(') {
        const end = findClose(source, i + 2);
        out += ` ${placeholder('process', source.slice(i + 2, end))} `;
        i = end + 1;
      } else if (ch === '#' && (i === 0 || WORD_START.test(source[i - 1]!))) {
        const nl = source.indexOf('\n', i);
        i = nl < 0 ? source.length : nl;
      } else if (ch === '\n') {
        out += ' ; ';
        i++;
        if (pending.length) readHeredocBodies();
      } else if (source.startsWith('<<<', i)) {
        out += '<<<';
        i += 3;
      } else if (ch === '<' && source[i + 1] === '<') {
        const stripTabs = source[i + 2] === '-';
        i += stripTabs ? 3 : 2;
        while (source[i] === ' ' || source[i] === '\t') i++;
        const m = /^(?:'([^']*)'|"([^"]*)"|\\?([^\s;&|<>()]+))/.exec(source.slice(i));
        if (!m) throw new ScanError('heredoc without a delimiter');
        i += m[0].length;
        heredocs.push({ body: '', expands: m[3] !== undefined && !m[0].startsWith('\\') });
        pending.push({ delimiter: m[1] ?? m[2] ?? m[3]!, stripTabs, index: heredocs.length - 1 });
        out += ` << ${MARK}H${heredocs.length - 1}${MARK} `;
      } else {
        out += ch;
        i++;
      }
    }
    if (quote) throw new ScanError('unterminated double quote');
    if (pending.length) throw new ScanError('heredoc without a body');
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, error: err.message };
    throw err;
  }
  return { ok: true, text: out, substitutions, heredocs };
}

const PLACEHOLDER = new RegExp(`${MARK}([SH])(\\d+)${MARK}`, 'g');

/** Calls `fn` for each placeholder in a word and returns the word with each replaced by fn's text. */
export function replacePlaceholders(word: string, fn: (kind: 'S' | 'H', index: number) => string): string {
  if (!word.includes(MARK)) return word;
  return word.replace(PLACEHOLDER, (_m, kind: string, index: string) => fn(kind as 'S' | 'H', Number(index)));
}

export function placeholderIndexes(word: string): { kind: 'S' | 'H'; index: number }[] {
  if (!word.includes(MARK)) return [];
  return [...word.matchAll(PLACEHOLDER)].map((m) => ({ kind: m[1] as 'S' | 'H', index: Number(m[2]) }));
}

/** The scripts of the $(...) and backticks in an unquoted heredoc body; on a scan error, the whole body. */
export function heredocSubstitutions(body: string): string[] {
  const scripts: string[] = [];
  try {
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') i++;
      else if (body[i] === '$' && body[i + 1] === '(') {
        const end = findClose(body, i + 2);
        scripts.push(body.slice(i + 2, end));
        i = end;
      } else if (body[i] === '`') {
        const end = findBacktick(body, i + 1);
        scripts.push(body.slice(i + 1, end));
        i = end;
      }
    }
  } catch {
    return [body];
  }
  return scripts;
}
