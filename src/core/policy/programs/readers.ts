// The everyday programs that can be read-only, each with the options it may be given and stay read-only.
// Programs marked HARMLESS have no option at all that writes a file or runs another program (GNU coreutils,
// BSD and busybox manuals), so any option passes; the others have option tables, and an option outside the
// table (or a word filled in at run time that could be one) makes the command not read-only.
import { analyseSedScript } from './sedScript';
import { awkProgramHazards } from './awkProgram';
import type { ProgramFacts, ProgramInput } from './facts';
import { mayBeOption, notReadOnly, readOnlyFacts } from './facts';
import { has, parseOptions, valuesOf } from './options';
import type { OptionTable } from './options';

const SECRET_NAME = /TOKEN|SECRET|KEY|PASS|AUTH|CRED|COOKIE|SESSION/i;

export const HARMLESS = new Set([
  'ls', 'll', 'dir', 'vdir', 'cat', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'wc', 'cut', 'tr', 'diff', 'cmp', 'comm',
  'stat', 'du', 'df', 'pwd', 'echo', 'printf', 'true', 'false', 'test', '[', '[[', 'which', 'type', 'whereis',
  'whoami', 'id', 'groups', 'uname', 'basename', 'dirname', 'realpath', 'readlink', 'jq', 'hexdump', 'od',
  'md5sum', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'b2sum', 'shasum', 'cksum', 'sum', 'seq',
  'sleep', 'cd', 'pushd', 'popd', 'dirs', 'column', 'nl', 'tac', 'rev', 'paste', 'join', 'fold', 'expand', 'unexpand',
  'fmt', 'strings', 'nproc', 'free', 'uptime', 'set', 'unset', 'read', 'shift', 'wait', 'exit', 'return', ':', 'cal',
  'locale', 'tput', 'arch', 'getconf', 'logname', 'tty', 'users', 'who', 'w', 'lsb_release', 'sw_vers', 'look', 'numfmt',
  'base32', 'base64', 'basenc', 'factor', 'expr', 'tsort', 'pr', 'iconv', 'lscpu', 'lsblk', 'vmstat', 'pgrep',
]);

const SORT: OptionTable = {
  short: 'bdfgiMhnRrVcCmsuz',
  shortValue: 'kStTo',
  long: ['ignore-leading-blanks', 'dictionary-order', 'ignore-case', 'general-numeric-sort', 'ignore-nonprinting', 'month-sort', 'human-numeric-sort', 'numeric-sort', 'random-sort', 'reverse', 'version-sort', 'merge', 'stable', 'unique', 'zero-terminated', 'debug', 'help', 'version'],
  longValue: ['sort', 'random-source', 'key', 'field-separator', 'buffer-size', 'temporary-directory', 'parallel', 'files0-from', 'batch-size', 'output', 'compress-program'],
  longOptional: ['check'],
};

const UNIQ: OptionTable = {
  short: 'cdDiuz',
  shortValue: 'fsw',
  long: ['count', 'repeated', 'ignore-case', 'unique', 'zero-terminated', 'help', 'version'],
  longValue: ['skip-fields', 'skip-chars', 'check-chars'],
  longOptional: ['all-repeated', 'group'],
};

const LESS: OptionTable = {
  short: 'NSRrFXiIMmnsxeEqQgGJwWcCdfKLuUV~',
  shortValue: 'bhjpPxyz#D',
  long: ['quit-if-one-screen', 'RAW-CONTROL-CHARS', 'raw-control-chars', 'no-init', 'chop-long-lines', 'LINE-NUMBERS', 'line-numbers', 'ignore-case', 'IGNORE-CASE', 'quiet', 'silent', 'squeeze-blank-lines', 'long-prompt', 'help', 'version'],
  longValue: ['pattern', 'tabs', 'shift', 'jump-target'],
  numeric: true,
};

const MORE: OptionTable = { short: 'dlfpcsue', shortValue: 'n', numeric: true, long: ['silent', 'logical', 'no-pause', 'print-over', 'clean-print', 'squeeze', 'plain', 'help', 'version'], longValue: ['lines'] };

const DATE: OptionTable = {
  short: 'uRjnI',
  shortValue: 'drfv',
  long: ['utc', 'universal', 'rfc-email', 'rfc-2822', 'debug', 'help', 'version'],
  longValue: ['date', 'reference', 'file', 'rfc-3339'],
  longOptional: ['iso-8601'],
};

const HOSTNAME: OptionTable = { short: 'sfiIdaAyhV', long: ['short', 'fqdn', 'long', 'ip-address', 'all-ip-addresses', 'domain', 'alias', 'all-fqdns', 'yp', 'nis', 'help', 'version'] };

/** find's expression words that only test or print; everything else (-exec, -delete, -fprint ...) is not. */
const FIND_TESTS_WITH_VALUE = new Set([
  '-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-type', '-xtype', '-size',
  '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-anewer', '-cnewer', '-perm', '-user', '-group',
  '-uid', '-gid', '-maxdepth', '-mindepth', '-links', '-inum', '-samefile', '-regextype', '-fstype', '-lname',
  '-ilname', '-used', '-context', '-printf', '-newermt', '-newerct', '-newerat', '-newermm', '-newerBt', '-D', '-O',
]);
const FIND_TESTS = new Set([
  '-print', '-print0', '-ls', '-prune', '-quit', '-not', '-a', '-o', '-and', '-or', '-readable', '-writable',
  '-executable', '-empty', '-nouser', '-nogroup', '-true', '-false', '-daystart', '-noleaf', '-depth', '-follow',
  '-xdev', '-mount', '-ignore_readdir_race', '-noignore_readdir_race', '-L', '-H', '-P', '!', '(', ')', ',', '-help', '--help', '-version', '--version',
]);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

function tableFacts(table: OptionTable, input: ProgramInput): { facts: ProgramFacts; parsed: ReturnType<typeof parseOptions> } {
  const parsed = parseOptions(table, input.args);
  const facts = readOnlyFacts();
  if (parsed.unknown.length) facts.readOnly = false;
  // A word the shell fills in could turn out to be an option we would have refused; so could xargs' input.
  if (input.moreArgsUnknown || input.args.some((a) => input.isDynamic(a) && mayBeOption(a))) facts.readOnly = false;
  return { facts, parsed };
}

function sedFacts(input: ProgramInput): ProgramFacts {
  const args = input.args;
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let fromFile = false;
  let unknown = false;
  let rest = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (rest || a === '-' || !a.startsWith('-')) {
      files.push(a);
      continue;
    }
    if (a === '--') {
      rest = true;
      continue;
    }
    if (a.startsWith('--')) {
      const [name, value] = [a.split('=')[0]!, a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined];
      if (name === '--expression') scripts.push(value ?? args[++i] ?? '');
      else if (name === '--file') fromFile = true;
      else if (name === '--in-place') inPlace = true;
      else if (name === '--line-length') {
        if (value === undefined) i++;
      }
      else if (!['--quiet', '--silent', '--regexp-extended', '--separate', '--unbuffered', '--null-data', '--posix', '--debug', '--sandbox', '--follow-symlinks', '--help', '--version', '--zero-terminated'].includes(name)) unknown = true;
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const letter = a[k]!;
      if (letter === 'e' || letter === 'f' || letter === 'l') {
        const value = a.slice(k + 1) || args[++i] || '';
        if (letter === 'e') scripts.push(value);
        if (letter === 'f') fromFile = true;
        break;
      }
      if (letter === 'i') {
        inPlace = true;
        // BSD sed: `-i ''` or `-i .bak` as a separate word.
        if (k === a.length - 1 && (args[i + 1] === '' || /^\.\w*$/.test(args[i + 1] ?? ''))) i++;
        break;
      }
      if (!'nErsuzaE'.includes(letter)) {
        unknown = true;
        break;
      }
    }
  }
  if (!scripts.length && !fromFile) scripts.push(files.shift() ?? '');
  const hazards: string[] = [];
  const writes: string[] = [];
  if (fromFile) hazards.push('sed script read from a file is not checked');
  for (const s of scripts) {
    if (input.isDynamic(s)) hazards.push('sed script built at run time is not checked');
    const r = analyseSedScript(s);
    hazards.push(...r.hazards);
    writes.push(...r.writes);
  }
  if (inPlace) writes.push(...files.filter((f) => f !== '-'));
  const readOnly = !inPlace && !unknown && !hazards.length && !writes.length && !input.moreArgsUnknown;
  return { readOnly, hazards, writes, code: scripts };
}

function awkFacts(input: ProgramInput): ProgramFacts {
  const args = input.args;
  const programs: string[] = [];
  const hazards: string[] = [];
  let unknown = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const name = a.startsWith('--') ? a.split('=')[0]! : a.slice(0, 2);
    const value = (): string => (a.startsWith('--') ? (a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[++i] ?? '')) : a.length > 2 ? a.slice(2) : (args[++i] ?? ''));
    if (name === '-F' || name === '--field-separator' || name === '-v' || name === '--assign') value();
    else if (name === '-e' || name === '--source') programs.push(value());
    else if (name === '-f' || name === '--file' || name === '-i' || name === '--include' || name === '-E' || name === '--exec' || name === '-l' || name === '--load') {
      value();
      hazards.push(`awk ${name} runs a program file that is not checked`);
    } else if (!['-b', '--characters-as-bytes', '-c', '--traditional', '-P', '--posix', '-S', '--sandbox', '-N', '--use-lc-numeric', '-s', '--no-optimize', '--version', '-V', '--help', '-h'].includes(name)) unknown = true;
  }
  if (!programs.length && !hazards.length) programs.push(args[i++] ?? '');
  for (const p of programs) hazards.push(...awkProgramHazards(p));
  for (const p of programs) if (input.isDynamic(p)) hazards.push('awk program built at run time is not checked');
  const readOnly = !unknown && !hazards.length && !input.moreArgsUnknown;
  return { readOnly, hazards, writes: [], code: programs };
}

function findFacts(input: ProgramInput): ProgramFacts {
  const facts = readOnlyFacts();
  const args = input.args;
  const starts: string[] = [];
  let i = 0;
  while (i < args.length && ['-L', '-H', '-P'].includes(args[i]!)) i++;
  while (i < args.length && !args[i]!.startsWith('-') && !['!', '(', ')', ','].includes(args[i]!)) starts.push(args[i++]!);
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (FIND_EXEC.has(a)) {
      // The command it runs is extracted and judged on its own; find itself is not read-only.
      facts.readOnly = false;
      while (i < args.length && args[i] !== ';' && args[i] !== '+') i++;
    } else if (a === '-delete') {
      facts.readOnly = false;
      facts.writes.push(...(starts.length ? starts : ['.']));
    } else if (a === '-fprint' || a === '-fprint0' || a === '-fls' || a === '-fprintf') {
      facts.readOnly = false;
      const file = args[++i];
      if (file !== undefined) facts.writes.push(file);
      if (a === '-fprintf') i++;
    } else if (FIND_TESTS_WITH_VALUE.has(a) || /^-newer[acmBt]{2}$/.test(a)) i++;
    else if (!FIND_TESTS.has(a) && a.startsWith('-')) facts.readOnly = false;
    else if (input.isDynamic(a)) facts.readOnly = false;
  }
  if (input.moreArgsUnknown) facts.readOnly = false;
  return facts;
}

function psFacts(input: ProgramInput): ProgramFacts {
  const facts = readOnlyFacts();
  for (let i = 0; i < input.args.length; i++) {
    const a = input.args[i]!;
    // BSD-style options (no dash): `e` adds each process's environment, which holds other agents' tokens.
    if (!a.startsWith('-') && /e/.test(a) && !/^\d+$/.test(a)) facts.hazards.push("ps e shows other processes' environments");
    // macOS: -E adds each process's environment too.
    if (/^-[A-Za-z]*E/.test(a)) facts.hazards.push("ps -E shows other processes' environments");
    if (/^-?-?(o|O|format)$/.test(a) || /^--format=/.test(a) || /^-[oO]./.test(a)) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : a.length > 2 && !a.startsWith('--') ? a.slice(2) : (input.args[++i] ?? '');
      if (/env/i.test(value)) facts.hazards.push("ps shows other processes' environments");
    }
    if (input.isDynamic(a)) facts.readOnly = false;
  }
  if (facts.hazards.length) facts.readOnly = false;
  return facts;
}

function xxdFacts(input: ProgramInput): ProgramFacts {
  const valued = new Set(['-c', '-cols', '-g', '-groupsize', '-l', '-len', '-o', '-offset', '-s', '-seek', '-n', '-name', '-R']);
  const flags = new Set(['-a', '-autoskip', '-b', '-bits', '-C', '-capitalize', '-E', '-EBCDIC', '-e', '-i', '-include', '-p', '-ps', '-postscript', '-plain', '-u', '-h', '-help', '-v', '-version', '-d']);
  const operands: string[] = [];
  let readOnly = !input.moreArgsUnknown;
  for (let i = 0; i < input.args.length; i++) {
    const a = input.args[i]!;
    if (a.startsWith('-') && a !== '-') {
      if (valued.has(a)) i++;
      else if (/^-[cglosn]\d+$/.test(a)) continue;
      else if (!flags.has(a)) readOnly = false; // -r / -revert among them: it writes binary back
    } else operands.push(a);
  }
  const writes = operands.length >= 2 && operands[1] !== '-' ? [operands[1]!] : [];
  return { readOnly: readOnly && !writes.length, hazards: [], writes };
}

function simpleTable(table: OptionTable, extra?: (parsed: ReturnType<typeof parseOptions>, facts: ProgramFacts) => void) {
  return (input: ProgramInput): ProgramFacts => {
    const { facts, parsed } = tableFacts(table, input);
    extra?.(parsed, facts);
    return facts;
  };
}

/** Analysers of programs that can be read-only, by resolved name. */
export const READERS: Readonly<Record<string, (input: ProgramInput) => ProgramFacts>> = {
  sed: sedFacts,
  awk: awkFacts,
  gawk: awkFacts,
  mawk: awkFacts,
  nawk: awkFacts,
  find: findFacts,
  ps: psFacts,
  xxd: xxdFacts,
  sort: simpleTable(SORT, (p, f) => {
    const out = valuesOf(p, '-o', '--output');
    if (out.length) {
      f.readOnly = false;
      f.writes.push(...out);
    }
    if (has(p, '--compress-program')) f.hazards.push('sort --compress-program runs a program');
  }),
  uniq: simpleTable(UNIQ, (p, f) => {
    if (p.operands.length >= 2) {
      f.readOnly = false;
      f.writes.push(p.operands[1]!);
    }
  }),
  less: (input) => {
    if (input.args.some((a) => a.startsWith('+'))) return notReadOnly();
    return simpleTable(LESS)(input);
  },
  more: (input) => {
    if (input.args.some((a) => a.startsWith('+') && !/^\+\d+$/.test(a))) return notReadOnly();
    return simpleTable(MORE)(input);
  },
  date: simpleTable(DATE, (p, f) => {
    if (p.operands.some((o) => !o.startsWith('+'))) f.readOnly = false;
  }),
  hostname: simpleTable(HOSTNAME, (p, f) => {
    if (p.operands.length) f.readOnly = false;
  }),
  tree: (input) => {
    const i = input.args.findIndex((a) => a === '-o' || a.startsWith('--output'));
    if (i < 0) return readOnlyFacts();
    const a = input.args[i]!;
    const file = a.includes('=') ? a.slice(a.indexOf('=') + 1) : input.args[i + 1];
    return notReadOnly([], file ? [file] : []);
  },
  file: (input) => (input.args.some((a) => a === '-C' || a === '--compile' || /^-[a-zA-Z]*C/.test(a)) ? notReadOnly() : readOnlyFacts()),
  rg: (input) => {
    const runs = input.args.filter((a) => /^--(pre|hostname-bin)(=|$)/.test(a));
    return runs.length ? notReadOnly(runs.map((a) => `rg ${a.split('=')[0]} runs a program`)) : readOnlyFacts();
  },
  fd: (input) => {
    const runs = input.args.filter((a) => /^(-x|-X|--exec|--exec-batch)(=|$)/.test(a));
    return runs.length ? notReadOnly([`fd ${runs[0]!.split('=')[0]} runs a command`]) : readOnlyFacts();
  },
  ag: (input) => (input.args.some((a) => a.startsWith('--pager')) ? notReadOnly(['ag --pager runs a program']) : readOnlyFacts()),
  ack: (input) => (input.args.some((a) => a.startsWith('--pager')) ? notReadOnly(['ack --pager runs a program']) : readOnlyFacts()),
  hash: (input) => (input.args.every((a) => /^-[rdlt]+$/.test(a) || !a.startsWith('-')) ? readOnlyFacts() : notReadOnly()),
  history: (input) => (input.args.every((a) => /^\d+$/.test(a)) ? readOnlyFacts() : notReadOnly()),
  command: (input) => (input.args.length > 0 && input.args.every((a, i) => (i === 0 ? /^-[vVp]+$/.test(a) : !a.startsWith('-'))) ? readOnlyFacts() : notReadOnly()),
  // Reached only without a command to run: it prints the whole environment, tokens included.
  env: () => notReadOnly(),
  // Named variables only, none that looks like a secret.
  printenv: (input) =>
    input.args.length > 0 && input.args.every((a) => !a.startsWith('-') && !input.isDynamic(a) && !SECRET_NAME.test(a)) ? readOnlyFacts() : notReadOnly(),
};
