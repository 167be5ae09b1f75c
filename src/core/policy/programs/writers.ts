// Programs that write files: which paths each one writes (so path rules and protected paths see every
// write), and the ones that write files they do not name (archives, patches) or run programs (tar's
// --to-command). None of them is read-only.
import type { ProgramFacts, ProgramInput } from './facts';
import { notReadOnly } from './facts';
import { parseOptions, valuesOf } from './options';
import type { OptionTable } from './options';

/** Short options that take a value, per program (so their values are not mistaken for operands). */
const TABLES: Record<string, OptionTable> = {
  cp: { shortValue: 'tS', longValue: ['target-directory', 'suffix'] },
  mv: { shortValue: 'tS', longValue: ['target-directory', 'suffix'] },
  ln: { shortValue: 'tS', longValue: ['target-directory', 'suffix'] },
  install: { shortValue: 'tSmogZ', longValue: ['target-directory', 'suffix', 'mode', 'owner', 'group', 'strip-program'] },
  rm: {},
  rmdir: {},
  unlink: {},
  shred: { shortValue: 'ns', longValue: ['iterations', 'size', 'random-source'] },
  truncate: { shortValue: 'sr', longValue: ['size', 'reference'] },
  touch: { shortValue: 'dtr', longValue: ['date', 'reference', 'time'] },
  mkdir: { shortValue: 'mZ', longValue: ['mode', 'context'] },
  chmod: { longValue: ['reference'] },
  chown: { longValue: ['reference', 'from'] },
  chgrp: { longValue: ['reference'] },
  tee: {},
  mkfifo: { shortValue: 'mZ', longValue: ['mode'] },
  split: { shortValue: 'abCdlnt', longValue: ['suffix-length', 'bytes', 'line-bytes', 'lines', 'number', 'separator', 'filter', 'additional-suffix'] },
  curl: { shortValue: 'oAbcCdeEFHKmQrTuUwxXyYz', longValue: ['output', 'data', 'data-binary', 'data-raw', 'header', 'user', 'request', 'user-agent', 'url', 'config', 'cookie', 'cookie-jar', 'output-dir', 'form', 'proxy'] },
  wget: { shortValue: 'OoPaeiBtTwUQ', longValue: ['output-document', 'directory-prefix', 'output-file', 'append-output', 'input-file', 'user-agent', 'tries', 'timeout', 'wait', 'header'] },
};

const last = (xs: readonly string[]): string[] => (xs.length ? [xs[xs.length - 1]!] : []);
const base = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? p;

function writesOf(name: string, input: ProgramInput): string[] | null {
  const table = TABLES[name];
  if (!table) return null;
  const parsed = parseOptions(table, input.args);
  const ops = parsed.operands;
  const target = valuesOf(parsed, '-t', '--target-directory');
  switch (name) {
    case 'cp':
    case 'install':
      return target.length ? target : ops.length >= 2 ? last(ops) : [];
    case 'mv':
      return [...target, ...ops];
    case 'ln':
      return target.length ? target : ops.length >= 2 ? last(ops) : ops.map(base);
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return valuesOf(parsed, '--reference').length ? ops : ops.slice(1);
    case 'curl':
      return [...valuesOf(parsed, '-o', '--output'), ...valuesOf(parsed, '--output-dir')];
    case 'wget':
      return [...valuesOf(parsed, '-O', '--output-document', '-o', '--output-file', '-a', '--append-output'), ...valuesOf(parsed, '-P', '--directory-prefix')];
    case 'split':
      return ops.length >= 2 ? [`${ops[1]}*`] : ['x*'];
    default:
      return ops;
  }
}

/** tar, in both `tar -xzf a.tgz` and the old `tar xzf a.tgz` spelling. */
function tarFacts(args: readonly string[]): ProgramFacts {
  const valued = 'fCTXbgHIKLNV';
  const words = [...args];
  if (words[0] && !words[0].startsWith('-')) words[0] = `-${words[0]}`;
  let mode: 'create' | 'extract' | 'list' | null = null;
  let archive: string | undefined;
  let dir: string | undefined;
  const hazards: string[] = [];
  const pending: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const a = words[i]!;
    if (a.startsWith('--')) {
      const name = a.split('=')[0]!;
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined;
      if (['--create', '--append', '--update', '--concatenate'].includes(name)) mode = 'create';
      else if (['--extract', '--get'].includes(name)) mode = 'extract';
      else if (['--list', '--diff', '--compare'].includes(name)) mode ??= 'list';
      else if (name === '--file') archive = value ?? words[++i];
      else if (name === '--directory') dir = value ?? words[++i];
      else if (['--to-command', '--use-compress-program', '--checkpoint-action', '--info-script', '--new-volume-script', '--rsh-command', '--rmt-command', '--index-file'].includes(name)) {
        hazards.push(`tar ${name} runs a program`);
      }
      continue;
    }
    if (!a.startsWith('-') || a === '-') continue;
    for (let k = 1; k < a.length; k++) {
      const letter = a[k]!;
      if ('cruA'.includes(letter)) mode = 'create';
      else if (letter === 'x') mode = 'extract';
      else if (letter === 't' || letter === 'd') mode ??= 'list';
      if (letter === 'I') hazards.push('tar -I runs a program');
      if (letter === 'F') hazards.push('tar -F runs a program');
      if (valued.includes(letter)) {
        const attached = a.slice(k + 1);
        if (attached && k === 1) {
          if (letter === 'f') archive = attached;
          if (letter === 'C') dir = attached;
          break;
        }
        pending.push(letter);
      }
    }
    // Old-style clusters take their values from the following words, in order.
    while (pending.length) {
      const letter = pending.shift()!;
      const value = words[++i];
      if (letter === 'f') archive = value;
      if (letter === 'C') dir = value;
    }
  }
  const writes: string[] = [];
  if (mode === 'create' && archive && archive !== '-') writes.push(archive);
  if (mode === 'extract') {
    if (dir) writes.push(dir);
    else hazards.push('tar extracts files it does not name');
  }
  return notReadOnly(hazards, writes);
}

function unzipFacts(args: readonly string[]): ProgramFacts {
  if (args.some((a) => /^-[a-zA-Z]*[lvtZpc]/.test(a))) return notReadOnly();
  const d = args.indexOf('-d');
  if (d >= 0 && args[d + 1]) return notReadOnly([], [args[d + 1]!]);
  return notReadOnly(['unzip writes the files named inside the archive']);
}

function patchFacts(args: readonly string[]): ProgramFacts {
  const parsed = parseOptions({ shortValue: 'pdDFiBoVrYzgM', longValue: ['strip', 'directory', 'input', 'output', 'reject-file', 'backup-if-mismatch', 'prefix', 'suffix', 'basename-prefix', 'fuzz', 'get', 'quoting-style', 'ifdef'] }, args);
  if (parsed.options.some((o) => o.name === '--dry-run' || o.name === '-C')) return notReadOnly();
  const out = valuesOf(parsed, '-o', '--output');
  if (out.length) return notReadOnly([], out);
  if (parsed.operands[0]) return notReadOnly([], [parsed.operands[0]]);
  return notReadOnly(['patch writes the files named inside the patch']);
}

/** Programs that write (or delete) the files named by their operands, so unseen operands are unseen writes. */
export function writesOperands(name: string): boolean {
  return name in TABLES || ['tar', 'bsdtar', 'gtar', 'unzip', 'patch', 'dd', 'sed', 'perl'].includes(name);
}

export function writerFacts(name: string, input: ProgramInput): ProgramFacts | null {
  if (name === 'tar' || name === 'bsdtar' || name === 'gtar') return tarFacts(input.args);
  if (name === 'unzip') return unzipFacts(input.args);
  if (name === 'patch') return patchFacts(input.args);
  if (name === 'dd') return notReadOnly([], input.args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)));
  const writes = writesOf(name, input);
  return writes ? notReadOnly([], writes) : null;
}
