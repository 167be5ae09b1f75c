// Word-level helpers for parsed shell commands: the value of a word node after quote removal (expansions and
// substitutions kept as written, since only the shell knows them), a program's resolved name, options versus
// operands (short clusters expanded, git's global options set aside), and quoting a word back for display.
import type { Node } from 'web-tree-sitter';

const GIT_GLOBAL_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path']);
/** Directories whose programs are the system's own: `/usr/bin/ls` is `ls`, but `./ls` or `bin/ls` is not. */
const SYSTEM_DIRS = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/opt/local/bin', '/run/current-system/sw/bin']);

/** A word's value may come from the shell at run time: a variable, a substitution, arithmetic. */
export function isDynamicWord(word: string): boolean {
  return /[$`]/.test(word);
}

/** The name a program is matched by: its base name when it lives in a system directory, else the word itself. */
export function programName(program: string): string {
  if (isDynamicWord(program) || !program.includes('/')) return program;
  const trimmed = program.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const dir = trimmed.slice(0, slash).replace(/\/{2,}/g, '/') || '/';
  return SYSTEM_DIRS.has(dir) ? trimmed.slice(slash + 1) : program;
}

export function displayWord(word: string): string {
  if (word !== '' && !/[\s"'\\]/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Unquoted text: a backslash keeps the next character, a backslash-newline disappears. */
function unescapeBare(text: string): string {
  return text.replace(/\\(\n|.)/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** Inside double quotes a backslash only escapes $ ` " \ and newline. */
function unescapeDouble(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

const ANSI_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** $'...' strings: the escapes bash decodes (\x72m is "rm"). */
function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/g, (m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') {
      const code = parseInt(e.slice(1), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    if (e[0] === 'c') return String.fromCharCode(e.charCodeAt(1) & 0x1f);
    return ANSI_ESCAPES[e] ?? m;
  });
}

export interface WordOptions {
  /** Called for each $(...), `...`, <(...) or >(...) inside the word; returns how to display it. */
  substitution: (node: Node) => string;
}

/** The value of an argument node after quote removal; expansions stay as written ("$HOME", "$(cmd)"). */
export function wordValue(node: Node, opts: WordOptions): string {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'test_operator':
    case 'extglob_pattern':
    case 'regex':
      return unescapeBare(node.text);
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return decodeAnsiC(node.text.slice(2, -1));
    case 'string':
    case 'translated_string': {
      let out = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        out += child.type === 'string_content' ? unescapeDouble(child.text) : wordValue(child, opts);
      }
      return out;
    }
    case 'concatenation': {
      let out = '';
      for (const child of node.children) if (child) out += wordValue(child, opts);
      return out;
    }
    case 'command_substitution':
    case 'process_substitution':
      return opts.substitution(node);
    case 'simple_expansion':
    case 'expansion':
    case 'arithmetic_expansion':
      // The text as written; substitutions inside (${x:-$(cmd)}) still run.
      for (const sub of substitutionsIn(node)) opts.substitution(sub);
      return node.text;
    default:
      for (const sub of substitutionsIn(node)) opts.substitution(sub);
      return node.isNamed ? node.text : unescapeBare(node.text);
  }
}

/** Every outermost command/process substitution below a node. */
export function substitutionsIn(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'command_substitution' || c.type === 'process_substitution') out.push(c);
      else visit(c);
    }
  };
  visit(node);
  return out;
}

/** Options and operands, with short clusters expanded (-rf -> -r, -f) and git's global options set aside. */
export function splitArgs(name: string, args: readonly string[]): { flags: string[]; operands: string[] } {
  const flags: string[] = [];
  const operands: string[] = [];
  let i = 0;
  if (name === 'git') {
    while (i < args.length && args[i]!.startsWith('-')) {
      const a = args[i]!;
      flags.push(a);
      i += GIT_GLOBAL_VALUE.has(a) ? 2 : 1;
    }
  }
  let rest = false;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (rest || a === '-' || !a.startsWith('-')) operands.push(a);
    else if (a === '--') rest = true;
    else if (a.startsWith('--')) {
      flags.push(a);
      const eq = a.indexOf('=');
      if (eq > 0) flags.push(a.slice(0, eq));
    } else {
      flags.push(a);
      if (a.length > 2 && !a.includes('=') && !/^-\d/.test(a)) for (const ch of a.slice(1)) flags.push(`-${ch}`);
    }
  }
  return { flags, operands };
}
