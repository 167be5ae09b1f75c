// Reads a sed script far enough to know what it can do besides editing text: run a command (`e`, `s///e`)
// or write a file (`w`, `W`, `s///w`). A script it cannot follow is reported as not understood.

export interface SedScriptFacts {
  /** Why the script may run code or do what we cannot see; empty when it only edits text. */
  hazards: string[];
  /** Files the script writes (w, W, s///w). */
  writes: string[];
}

const NO_ARG = new Set(['=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F']);
const LABEL = new Set(['b', 't', 'T']);
const OPTIONAL_NUMBER = new Set(['q', 'Q', 'l', 'L']);

export function analyseSedScript(script: string): SedScriptFacts {
  const hazards: string[] = [];
  const writes: string[] = [];
  let i = 0;
  const n = script.length;
  const fail = (why: string): SedScriptFacts => ({ hazards: [...hazards, `sed script not understood (${why})`], writes });
  const skipBlanks = (): void => {
    while (i < n && /[ \t]/.test(script[i]!)) i++;
  };
  const restOfLine = (): string => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end < 0 ? n : end);
    i = end < 0 ? n : end + 1;
    return text.trim();
  };
  /** Reads up to an unescaped `delim`; returns false when it never comes. */
  const delimited = (delim: string): boolean => {
    while (i < n) {
      const ch = script[i]!;
      if (ch === '\\') i += 2;
      else if (ch === delim) {
        i++;
        return true;
      } else if (ch === '\n' && delim !== '\n') return false;
      else i++;
    }
    return false;
  };
  const address = (): boolean => {
    const ch = script[i];
    if (ch === undefined) return true;
    if (/\d/.test(ch)) {
      while (i < n && /[\d~]/.test(script[i]!)) i++;
    } else if (ch === '$') i++;
    else if (ch === '/') {
      i++;
      if (!delimited('/')) return false;
      while (i < n && /[IM]/.test(script[i]!)) i++;
    } else if (ch === '\\') {
      const d = script[i + 1];
      if (d === undefined) return false;
      i += 2;
      if (!delimited(d)) return false;
      while (i < n && /[IM]/.test(script[i]!)) i++;
    }
    return true;
  };

  while (i < n) {
    while (i < n && /[\s;]/.test(script[i]!)) i++;
    if (i >= n) break;
    if (script[i] === '#') {
      restOfLine();
      continue;
    }
    if (!address()) return fail('unterminated address');
    skipBlanks();
    if (script[i] === ',') {
      i++;
      skipBlanks();
      if (script[i] === '+' || script[i] === '~') i++;
      if (!address()) return fail('unterminated address');
    }
    skipBlanks();
    while (script[i] === '!') {
      i++;
      skipBlanks();
    }
    const cmd = script[i++];
    if (cmd === undefined) return fail('address without a command');
    if (cmd === '{' || cmd === '}') continue;
    if (NO_ARG.has(cmd)) continue;
    if (OPTIONAL_NUMBER.has(cmd)) {
      skipBlanks();
      while (i < n && /\d/.test(script[i]!)) i++;
      continue;
    }
    if (LABEL.has(cmd) || cmd === ':') {
      while (i < n && script[i] !== ';' && script[i] !== '\n') i++;
      continue;
    }
    if (cmd === 'a' || cmd === 'i' || cmd === 'c') {
      // Text to the end of the line; a trailing backslash continues it.
      while (i < n) {
        const end = script.indexOf('\n', i);
        if (end < 0) {
          i = n;
          break;
        }
        const escaped = script[end - 1] === '\\';
        i = end + 1;
        if (!escaped) break;
      }
      continue;
    }
    if (cmd === 'r' || cmd === 'R') {
      restOfLine();
      continue;
    }
    if (cmd === 'w' || cmd === 'W') {
      skipBlanks();
      const file = restOfLine();
      if (file === '/dev/stdout' || file === '/dev/stderr') continue;
      if (!file) return fail('w without a file');
      writes.push(file);
      continue;
    }
    if (cmd === 'e') {
      hazards.push('sed script runs a command (e)');
      restOfLine();
      continue;
    }
    if (cmd === 'v') {
      while (i < n && script[i] !== ';' && script[i] !== '\n') i++;
      continue;
    }
    if (cmd === 's' || cmd === 'y') {
      const delim = script[i++];
      if (delim === undefined || delim === '\n' || delim === '\\') return fail(`${cmd} without a delimiter`);
      if (!delimited(delim) || !delimited(delim)) return fail(`unterminated ${cmd} command`);
      if (cmd === 'y') continue;
      // Flags: g p i I m M e digits, and w FILE to the end of the line.
      while (i < n) {
        const f = script[i]!;
        if (/[gpiImM0-9]/.test(f)) i++;
        else if (f === 'e') {
          hazards.push('sed script runs a command (s///e)');
          i++;
        } else if (f === 'w') {
          i++;
          skipBlanks();
          const file = restOfLine();
          if (file !== '/dev/stdout' && file !== '/dev/stderr') {
            if (!file) return fail('s///w without a file');
            writes.push(file);
          }
          break;
        } else break;
      }
      continue;
    }
    return fail(`unknown command ${JSON.stringify(cmd)}`);
  }
  return { hazards, writes };
}
