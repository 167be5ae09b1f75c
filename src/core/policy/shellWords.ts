// Word-level helpers for parsed shell commands: a program's base name, options versus operands (with
// short clusters expanded and git's global options set aside), and quoting a word back for display.
const GIT_GLOBAL_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path']);

export function basename(program: string): string {
  // "$(curl x/y)" is a command computed at run time: keep it whole, it has no directory part.
  if (/[$`]/.test(program)) return program;
  const trimmed = program.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

export function displayWord(word: string): string {
  if (word !== '' && !/[\s"'\\]/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
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
