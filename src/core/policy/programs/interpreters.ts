// Interpreters: running a script file of the project is ordinary work, but code written inline (`python -c`,
// `perl -e`, `node -e`) or read from the command's input is a program the policy cannot see into, so it is a
// hazard; `perl -i` also edits the files it is given.
import type { ProgramFacts, ProgramInput } from './facts';
import { notReadOnly } from './facts';

interface InterpreterSpec {
  /** Options (as written) that take inline code as their value, or are the code's start. */
  inline: readonly string[];
  /** Short option letters that take a value (not code). */
  shortValue: string;
  /** Long options that take a value as the next word. */
  longValue?: readonly string[];
  /** Options after which nothing is read from the input (version, help, module runs). */
  noStdin: readonly string[];
}

const PYTHON: InterpreterSpec = { inline: ['-c'], shortValue: 'mWXQ', longValue: ['--check-hash-based-pycs'], noStdin: ['-m', '-V', '--version', '-h', '--help'] };
const SPECS: Record<string, InterpreterSpec> = {
  perl: { inline: ['-e', '-E'], shortValue: 'IMmdDxC', noStdin: ['-v', '-V', '--version', '-h', '--help', '-c'] },
  node: {
    inline: ['-e', '--eval', '-p', '--print'],
    shortValue: 'rC',
    longValue: ['--require', '--import', '--loader', '--experimental-loader', '--input-type', '--conditions', '--env-file', '--title', '--stack-trace-limit'],
    noStdin: ['-v', '--version', '-h', '--help', '--test', '--run', '-c', '--check', '--watch'],
  },
  ruby: { inline: ['-e'], shortValue: 'IrCEFKTx', noStdin: ['-v', '--version', '-h', '--help'] },
  php: { inline: ['-r', '-B', '-R', '-E', '-F'], shortValue: 'cdzt', noStdin: ['-v', '--version', '-h', '--help', '-S', '-l', '-m', '-i'] },
  lua: { inline: ['-e'], shortValue: 'l', noStdin: ['-v'] },
  luajit: { inline: ['-e'], shortValue: 'lbj', noStdin: ['-v'] },
  Rscript: { inline: ['-e'], shortValue: '', noStdin: ['--version'] },
  osascript: { inline: ['-e'], shortValue: 'ls', noStdin: [] },
  pwsh: { inline: ['-c', '-Command', '-command', '-EncodedCommand', '-e', '-ec'], shortValue: '', noStdin: ['-v', '-Version'] },
  tclsh: { inline: [], shortValue: '', noStdin: [] },
  bun: { inline: ['-e', '--eval', '-p', '--print'], shortValue: 'r', noStdin: ['-v', '--version', '-h', '--help', 'test', 'run', 'install', 'add', 'x', 'build', 'pm'] },
};

export function interpreterSpec(name: string): InterpreterSpec | undefined {
  if (/^(python|pypy)[0-9.]*$/.test(name)) return PYTHON;
  return SPECS[name];
}

export function interpreterFacts(name: string, input: ProgramInput): ProgramFacts | null {
  if (name === 'deno') {
    return input.args[0] === 'eval' ? notReadOnly(['deno eval runs inline code']) : input.args[0] === 'repl' ? notReadOnly(['deno repl runs code from its input']) : notReadOnly();
  }
  const spec = interpreterSpec(name);
  if (!spec) return null;
  const hazards: string[] = [];
  const writes: string[] = [];
  const args = input.args;
  let script: string | undefined;
  let noStdin = false;
  let inPlace = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const long = a.split('=')[0]!;
    if (spec.inline.includes(long) || spec.inline.includes(a.slice(0, 2))) {
      hazards.push(`${name} runs inline code (${spec.inline.includes(long) ? long : a.slice(0, 2)})`);
      noStdin = true;
      if (name === 'python' || /^(python|pypy)/.test(name)) break; // the rest are the script's own arguments
      if (!a.includes('=') && a.length === long.length && spec.inline.includes(a)) i++;
      continue;
    }
    if (spec.noStdin.includes(long) || spec.noStdin.includes(a.slice(0, 2))) {
      noStdin = true;
      if (spec === PYTHON && a.startsWith('-m')) break;
    }
    if (spec.longValue?.includes(long) && !a.includes('=')) {
      i++;
      continue;
    }
    if (!a.startsWith('--')) {
      // A cluster such as perl's -pi.bak -e or -lne: look at each letter.
      for (let k = 1; k < a.length; k++) {
        const letter = a[k]!;
        if (name === 'perl' && letter === 'i') {
          inPlace = true;
          break; // the rest of the word is the backup suffix
        }
        if (spec.inline.includes(`-${letter}`)) {
          hazards.push(`${name} runs inline code (-${letter})`);
          noStdin = true;
          if (k === a.length - 1) i++;
          break;
        }
        if (spec.shortValue.includes(letter)) {
          if (k === a.length - 1) i++;
          break;
        }
      }
    }
  }
  if (!noStdin) script = args[i];
  if (inPlace) {
    hazards.push('perl -i edits files in place');
    writes.push(...args.slice(script === undefined ? i : i + 1).filter((a) => !a.startsWith('-')));
  }
  if (!noStdin && script === undefined) {
    hazards.push(input.stdinFed ? `${name} runs a program from its input` : `${name} runs code read from its input`);
  }
  return notReadOnly(hazards, writes);
}

/** Toolchain programs whose bare `--version` only prints a version. */
const VERSION_ONLY = /^(node|npm|npx|pnpm|yarn|bun|deno|python[0-9.]*|pip[0-9.]*|ruby|perl|php|go|cargo|rustc|rustup|java|javac|gcc|g\+\+|clang|make|cmake|tsc|git|docker|kubectl|terraform|uv|poetry|dotnet|swift|gradle|mvn)$/;

export function isVersionQuery(name: string, args: readonly string[]): boolean {
  return VERSION_ONLY.test(name) && args.length === 1 && ['--version', '-v', '-V', 'version', '-version'].includes(args[0]!);
}

/** make and the package managers run the project's own recipes; these options make them run something else. */
export function buildToolFacts(name: string, input: ProgramInput): ProgramFacts | null {
  const args = input.args;
  if (name === 'make' || name === 'gmake') {
    const hazards: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const file = a === '-f' || a === '--file' || a === '--makefile' ? args[i + 1] : /^(-f|--file=|--makefile=)(.+)$/.exec(a)?.[2];
      if (file === '-' || file === '/dev/stdin' || (file !== undefined && input.isDynamic(file))) hazards.push('make reads its recipes from its input');
      if (a === '-E' || a.startsWith('--eval')) hazards.push('make --eval runs inline recipes');
      if (/^(SHELL|\.SHELLFLAGS|MAKESHELL|MAKEFLAGS|MAKEFILES)\+?=/.test(a)) hazards.push(`make ${a.split('=')[0]} changes how recipes run`);
    }
    return notReadOnly(hazards);
  }
  if (/^(npm|pnpm|yarn|bun)$/.test(name)) {
    const runs = args.filter((a) => /^--(script-shell|node-options|shell|userconfig|globalconfig|prefix|call)(=|$)/.test(a) || a === '-c');
    return runs.length ? notReadOnly(runs.map((a) => `${name} ${a.split('=')[0]} runs another program`)) : null;
  }
  if (name === 'zip') {
    const runs = args.some((a) => a === '-TT' || a.startsWith('--unzip-command'));
    const archive = args.find((a, i) => !a.startsWith('-') && !['-TT', '--unzip-command', '-b', '-n', '-t', '-tt', '-x', '-i', '-P', '-O'].includes(args[i - 1] ?? ''));
    return notReadOnly(runs ? ['zip -TT runs a program'] : [], archive ? [archive] : []);
  }
  return null;
}
