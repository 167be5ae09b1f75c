// Turns a shell command line into the flat list of simple commands it would run: through &&, ||, ;, pipes,
// subshells, $(...), backticks, <(...), bash -c, eval, heredocs fed to a shell, find -exec and wrappers
// (sudo, env, timeout, nice, xargs ...). Each command knows what feeds its input, so `curl | sh` is visible.
import { parse as shellQuoteParse } from 'shell-quote';
import { heredocSubstitutions, MARK, placeholderIndexes, replacePlaceholders, scanShell } from './shellScan';
import type { Substitution } from './shellScan';
import { isAssignment, SHELLS, shellScript, unwrap, WRAPPERS } from './shellWrappers';
import { basename, displayWord, splitArgs } from './shellWords';

export interface ShellRedirect {
  access: 'read' | 'write';
  target: string;
}

export interface ShellCommand {
  /** Base name of the program ("/bin/rm" -> "rm"). */
  name: string;
  program: string;
  args: readonly string[];
  /** Options as written plus their expansion: "-rf" gives "-rf", "-r", "-f"; "--force=x" gives "--force". */
  flags: readonly string[];
  /** Non-option arguments, in order (for git, after its global options). */
  operands: readonly string[];
  assignments: readonly string[];
  /** Wrappers it runs under, outermost first: sudo, env, timeout, xargs, bash, eval, find ... */
  via: readonly string[];
  redirects: readonly ShellRedirect[];
  /** Commands that feed it: earlier stages of its pipeline and substitutions in its words. */
  pipedFrom: readonly ShellCommand[];
  /** `cd` targets taken before it, applied in order to the request's cwd. */
  dirs: readonly string[];
  /** A `cd` to somewhere unknowable (`cd -`, `cd $X`) came before it. */
  dirUnknown: boolean;
  /** xargs or find -exec add operands we cannot see. */
  moreArgsUnknown: boolean;
  /** The command as a readable line. */
  text: string;
}

export type ShellParse =
  | { ok: true; commands: readonly ShellCommand[]; canonical: string }
  | { ok: false; error: string };

const MAX_DEPTH = 8;
const MAX_LENGTH = 64 * 1024;
const SEPARATORS = new Set([';', '&&', '||', '&', ';;', ';&', ';;&']);
const PIPES = new Set(['|', '|&']);
const REDIRECTS: Record<string, 'read' | 'write' | 'dup' | 'heredoc' | 'data'> = {
  '>': 'write', '>>': 'write', '>|': 'write', '&>': 'write', '&>>': 'write', '<>': 'write',
  '<': 'read', '>&': 'dup', '<&': 'dup', '<<': 'heredoc', '<<-': 'heredoc', '<<<': 'data',
};
/** Reserved words that lead into a command (`if cmd`, `! cmd`, `do cmd`) or close a block. */
const SKIP_WORDS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac']);
/** Reserved words whose line is a header, not a command. */
const HEADER_WORDS = new Set(['for', 'select', 'case', 'function', 'in']);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

class ParseError extends Error {}

interface Frame {
  depth: number;
  dirs: string[];
  dirUnknown: boolean;
  via: string[];
  feeders: ShellCommand[];
  redirects: ShellRedirect[];
  moreArgsUnknown: boolean;
}

interface Stage {
  words: string[];
  redirects: { kind: 'read' | 'write' | 'heredoc'; target: string }[];
}

type Token = string | { op: string; pattern?: string } | { comment: string };

/** shell-quote, with variables kept as written ($HOME stays "$HOME") rather than expanded to "". */
function tokenize(text: string): Token[] {
  return shellQuoteParse(text, (key: string) => `$${key}`) as Token[];
}

class ScriptParser {
  readonly commands: ShellCommand[] = [];

  /** Parses `source` run under `frame`, appends its commands, and returns its canonical form. */
  parse(source: string, frame: Frame): { canonical: string; commands: ShellCommand[] } {
    if (frame.depth > MAX_DEPTH) throw new ParseError('commands nested too deeply');
    const scan = scanShell(source);
    if (!scan.ok) throw new ParseError(scan.error);
    let tokens: Token[];
    try {
      tokens = tokenize(scan.text);
    } catch (err) {
      throw new ParseError(`cannot tokenise: ${(err as Error).message}`);
    }
    const start = this.commands.length;
    const subs = new Map<number, { canonical: string; commands: ShellCommand[] }>();
    const sub = (index: number, inner: Frame): { canonical: string; commands: ShellCommand[] } => {
      let done = subs.get(index);
      if (!done) {
        const s: Substitution = scan.substitutions[index]!;
        done = s.kind === 'arithmetic' ? { canonical: s.script, commands: [] } : this.parse(s.script, inner);
        subs.set(index, done);
      }
      return done;
    };
    const display = (word: string): string =>
      replacePlaceholders(word, (kind, index) => {
        if (kind === 'H') return '<<heredoc>>';
        const s = scan.substitutions[index]!;
        return s.kind === 'command' ? `$(${s.script})` : s.kind === 'process' ? `<(${s.script})` : s.script;
      });

    const dirs = [...frame.dirs];
    let dirUnknown = frame.dirUnknown;
    let stage: Stage = { words: [], redirects: [] };
    // What feeds the next stage: the frame's own input plus every earlier stage of the current pipeline.
    let feeders = [...frame.feeders];

    const endStage = (): ShellCommand[] => {
      const st = stage;
      stage = { words: [], redirects: [] };
      if (!st.words.length && !st.redirects.length) return [];
      const subFrame: Frame = { ...frame, depth: frame.depth + 1, dirs: [...dirs], dirUnknown, feeders: [], redirects: [] };
      const fed: ShellCommand[] = [];
      let heredoc: string | undefined;
      for (const text of [...st.words, ...st.redirects.map((r) => r.target)]) {
        for (const ph of placeholderIndexes(text)) {
          if (ph.kind === 'S') fed.push(...sub(ph.index, subFrame).commands);
          else {
            const doc = scan.heredocs[ph.index]!;
            heredoc = doc.body;
            // An unquoted heredoc expands $(...) and backticks in its body before the command reads it.
            for (const script of doc.expands ? heredocSubstitutions(doc.body) : []) fed.push(...this.parse(script, subFrame).commands);
          }
        }
      }
      const redirects: ShellRedirect[] = [...frame.redirects];
      for (const r of st.redirects) if (r.kind !== 'heredoc') redirects.push({ access: r.kind, target: display(r.target) });
      const stageFrame: Frame = { ...frame, dirs: [...dirs], dirUnknown, feeders: [...feeders, ...fed], redirects };
      const emitted = this.emitWords(st.words.map(display), stageFrame, heredoc, frame.moreArgsUnknown);
      for (const c of emitted) {
        if ((c.name === 'cd' || c.name === 'pushd') && c.via.length === frame.via.length) {
          const target = c.operands[0] ?? '~';
          if (target === '-' || target.includes('$') || target.includes('`')) dirUnknown = true;
          else dirs.push(target);
        }
      }
      return [...fed, ...emitted];
    };

    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (typeof t === 'string') stage.words.push(t);
      else if ('comment' in t) continue;
      else if (t.op === 'glob') stage.words.push(t.pattern ?? '');
      else if (PIPES.has(t.op)) feeders = [...feeders, ...endStage()];
      else if (t.op === '(' || t.op === ')') {
        // A group keeps its pipeline input: `curl x | (sh)` still feeds sh.
        const done = endStage();
        if (t.op === ')') feeders = [...feeders, ...done];
      } else if (SEPARATORS.has(t.op)) {
        endStage();
        feeders = [...frame.feeders];
      } else if (t.op in REDIRECTS) {
        const kind = REDIRECTS[t.op]!;
        const next = tokens[i + 1];
        const target = typeof next === 'string' ? next : next && 'op' in next && next.op === 'glob' ? next.pattern ?? '' : undefined;
        if (target === undefined) throw new ParseError(`redirection ${t.op} without a target`);
        i++;
        const last = stage.words[stage.words.length - 1];
        if (last !== undefined && /^\d+$/.test(last) && stage.words.length > 1) stage.words.pop(); // 2>file
        if (kind === 'dup') {
          if (!/^(\d+|-)$/.test(target)) stage.redirects.push({ kind: 'write', target });
        } else if (kind === 'read' || kind === 'write' || kind === 'heredoc') stage.redirects.push({ kind, target });
        else if (target.includes(MARK)) stage.redirects.push({ kind: 'read', target }); // here-string: data, but its $(...) runs
      } else throw new ParseError(`unsupported shell operator ${t.op}`);
    }
    endStage();

    const canonical = JSON.stringify(
      tokens.map((t) => {
        if (typeof t === 'string') {
          return replacePlaceholders(t, (kind, index) => (kind === 'H' ? `${MARK}H${scan.heredocs[index]!.body}${MARK}` : `${MARK}${sub(index, { ...frame, depth: frame.depth + 1 }).canonical}${MARK}`));
        }
        if ('comment' in t) return null;
        return t.op === 'glob' ? { g: t.pattern ?? '' } : { op: t.op };
      }),
    );
    return { canonical, commands: this.commands.slice(start) };
  }

  private nested(script: string, frame: Frame, via: string[], feeders: ShellCommand[], moreArgsUnknown: boolean): ShellCommand[] {
    return this.parse(script, { ...frame, depth: frame.depth + 1, via, feeders, moreArgsUnknown }).commands;
  }

  /** Peels wrappers off one simple command's words and emits what actually runs. */
  private emitWords(input: string[], frame: Frame, heredoc: string | undefined, moreArgsUnknown: boolean): ShellCommand[] {
    let words = input;
    const assignments: string[] = [];
    const via = [...frame.via];
    let more = moreArgsUnknown;
    for (;;) {
      while (words.length && isAssignment(words[0]!)) assignments.push(words.shift()!);
      if (!words.length) return [];
      const first = words[0]!;
      if (SKIP_WORDS.has(first)) {
        words = words.slice(1);
        continue;
      }
      if (HEADER_WORDS.has(first)) return [];
      const name = basename(first);
      if (name === 'eval') {
        return this.nested(words.slice(1).join(' '), frame, [...via, name], frame.feeders, more);
      }
      if (SHELLS.has(name)) {
        const { script, readsStdin } = shellScript(words);
        if (script !== null) return this.nested(script, frame, [...via, name], frame.feeders, more);
        if (readsStdin && heredoc !== undefined) return this.nested(heredoc, frame, [...via, name], frame.feeders, more);
        return [this.emit(words, assignments, via, frame, more)];
      }
      const spec = WRAPPERS[name];
      if (spec) {
        const u = unwrap(spec, words);
        if (u.rest === null) return [this.emit(words, assignments, via, frame, more)];
        assignments.push(...u.assignments);
        via.push(name);
        if (spec.appendsArgs) more = true;
        if (u.splitString !== undefined) {
          const split = tokenize(u.splitString).filter((t): t is string => typeof t === 'string');
          words = [...split, ...u.rest];
        } else words = u.rest;
        continue;
      }
      if (name === 'find') {
        const out = [this.emit(words, assignments, via, frame, more)];
        for (let i = 1; i < words.length; i++) {
          if (!FIND_EXEC.has(words[i]!)) continue;
          let end = i + 1;
          while (end < words.length && words[end] !== ';' && words[end] !== '+') end++;
          out.push(...this.emitWords(words.slice(i + 1, end), { ...frame, via: [...via, 'find'] }, undefined, true));
          i = end;
        }
        return out;
      }
      return [this.emit(words, assignments, via, frame, more)];
    }
  }

  private emit(words: string[], assignments: string[], via: string[], frame: Frame, moreArgsUnknown: boolean): ShellCommand {
    const [program, ...args] = words as [string, ...string[]];
    const name = basename(program);
    const { flags, operands } = splitArgs(name, args);
    const command: ShellCommand = {
      name,
      program,
      args,
      flags,
      operands,
      assignments: [...assignments],
      via,
      redirects: frame.redirects,
      pipedFrom: frame.feeders,
      dirs: frame.dirs,
      dirUnknown: frame.dirUnknown,
      moreArgsUnknown,
      text: [...words.map(displayWord), ...frame.redirects.map((r) => `${r.access === 'read' ? '<' : '>'} ${displayWord(r.target)}`)].join(' '),
    };
    this.commands.push(command);
    return command;
  }
}

const cache = new Map<string, ShellParse>();
const CACHE_SIZE = 2000;

/** Parses a command line into the simple commands it runs; results are cached and must not be mutated. */
export function parseShell(source: string): ShellParse {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  let result: ShellParse;
  if (source.length > MAX_LENGTH) result = { ok: false, error: 'the command is too long to inspect' };
  else {
    try {
      const parser = new ScriptParser();
      const { canonical } = parser.parse(source, { depth: 0, dirs: [], dirUnknown: false, via: [], feeders: [], redirects: [], moreArgsUnknown: false });
      result = { ok: true, commands: parser.commands, canonical };
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      result = { ok: false, error: err.message };
    }
  }
  cache.set(source, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/** The canonical form of a command line, for exact `commandLine` rules; null when it does not parse. */
export function canonicalCommandLine(source: string): string | null {
  const parsed = parseShell(source);
  return parsed.ok ? parsed.canonical : null;
}
