// How to see through commands that run other commands: sudo, env, timeout, nice, xargs ... Each entry says
// which of its options take a value, so the wrapped command is found where the real program would find it.

export interface WrapperSpec {
  /** Short options (letters) that take a value, attached or as the next word. */
  shortValue: string;
  /** Long options that take a value as the next word when not written --opt=value. */
  longValue: readonly string[];
  /** Positional words the wrapper itself consumes before the command (timeout's duration). */
  positional?: number;
  /** Options after which there is no wrapped command (sudo -l, command -v). */
  noCommand?: readonly string[];
  /** NAME=value words before the command are environment assignments (env). */
  assignments?: boolean;
  /** The wrapped command gets more arguments from its input (xargs). */
  appendsArgs?: boolean;
  /** Default command when none is given (xargs runs echo). */
  defaultCommand?: string;
}

export const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    shortValue: 'ugCDhprtTU',
    longValue: ['--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--close-from', '--other-user', '--command-timeout'],
    noCommand: ['-l', '--list', '-v', '--validate', '-k', '-K', '--reset-timestamp', '--remove-timestamp', '-V', '--version', '-e', '--edit'],
  },
  doas: { shortValue: 'uC', longValue: [] },
  env: { shortValue: 'uCS', longValue: ['--unset', '--chdir', '--split-string'], assignments: true },
  timeout: { shortValue: 'sk', longValue: ['--signal', '--kill-after'], positional: 1 },
  nice: { shortValue: 'n', longValue: ['--adjustment'] },
  ionice: { shortValue: 'cnpPu', longValue: ['--class', '--classdata', '--pid', '--pgid', '--uid'] },
  nohup: { shortValue: '', longValue: [] },
  setsid: { shortValue: '', longValue: [] },
  time: { shortValue: 'fo', longValue: ['--format', '--output'] },
  command: { shortValue: '', longValue: [], noCommand: ['-v', '-V'] },
  builtin: { shortValue: '', longValue: [] },
  exec: { shortValue: 'a', longValue: [] },
  stdbuf: { shortValue: 'ioe', longValue: ['--input', '--output', '--error'] },
  unbuffer: { shortValue: '', longValue: [] },
  chronic: { shortValue: '', longValue: [] },
  xargs: {
    shortValue: 'IaLndPsE',
    longValue: ['--arg-file', '--max-lines', '--max-args', '--delimiter', '--max-procs', '--max-chars', '--eof', '--replace'],
    appendsArgs: true,
    defaultCommand: 'echo',
  },
};

/** Shells whose `-c SCRIPT` (or stdin) is itself a command line to inspect. */
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish']);
const SHELL_LONG_VALUE = new Set(['--rcfile', '--init-file']);

export interface Unwrapped {
  /** The wrapped command's words, or null when the wrapper runs nothing (sudo -l, bare env). */
  rest: string[] | null;
  assignments: string[];
  /** env -S / --split-string: a command line to split. */
  splitString?: string;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function isAssignment(word: string): boolean {
  return ASSIGNMENT.test(word);
}

/** Peels one wrapper off `words` (words[0] is the wrapper). */
export function unwrap(spec: WrapperSpec, words: readonly string[]): Unwrapped {
  const assignments: string[] = [];
  let splitString: string | undefined;
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-') break;
    if (spec.noCommand?.includes(w)) return { rest: null, assignments };
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const value = eq < 0 ? words[i + 1] : w.slice(eq + 1);
      if (name === '--split-string') splitString = value;
      if (eq < 0 && spec.longValue.includes(name)) i++;
      continue;
    }
    if (/^-\d+$/.test(w)) continue; // nice -10
    for (let k = 1; k < w.length; k++) {
      const letter = w[k]!;
      if (spec.noCommand?.includes(`-${letter}`)) return { rest: null, assignments };
      if (spec.shortValue.includes(letter)) {
        const attached = w.slice(k + 1);
        if (letter === 'S') splitString = attached || words[i + 1];
        if (!attached) i++;
        break;
      }
    }
  }
  if (spec.assignments) {
    while (i < words.length && isAssignment(words[i]!)) assignments.push(words[i++]!);
  }
  i += spec.positional ?? 0;
  if (splitString !== undefined) return { rest: words.slice(i), assignments, splitString };
  if (i >= words.length) {
    return { rest: spec.defaultCommand ? [spec.defaultCommand] : null, assignments };
  }
  return { rest: words.slice(i), assignments };
}

/** For `bash -lc 'script' ...`: the script, or null when the shell reads a file or its stdin. */
export function shellScript(words: readonly string[]): { script: string | null; readsStdin: boolean } {
  let hasC = false;
  let hasS = false;
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--' || w === '-') {
      i++;
      break;
    }
    if (!(w.startsWith('-') || w.startsWith('+'))) break;
    if (w.startsWith('--')) {
      if (SHELL_LONG_VALUE.has(w)) i++;
      continue;
    }
    const letters = w.slice(1);
    if (letters.includes('c')) hasC = true;
    if (w.startsWith('-') && letters.includes('s')) hasS = true;
    if (/[oO]$/.test(letters)) i++; // -o pipefail, -O extglob
  }
  if (hasC) return { script: words[i] ?? '', readsStdin: false };
  return { script: null, readsStdin: hasS || i >= words.length };
}
