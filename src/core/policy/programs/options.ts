// Reads a program's arguments against a table of the options it is known to accept safely: which short
// letters and long names exist, and which take a value. Anything not in the table is reported as unknown,
// so a program is only "read-only" when every option it was given is one we have judged.

export interface OptionTable {
  /** Short option letters that take no value ("la1" for ls -l -a -1). */
  short?: string;
  /** Short option letters that take a value, attached (-n5) or as the next word (-n 5). */
  shortValue?: string;
  /** Long options (without --) that take no value. */
  long?: readonly string[];
  /** Long options (without --) that take a value: --name=value or --name value. */
  longValue?: readonly string[];
  /** Long options whose value is optional and only given as --name=value. */
  longOptional?: readonly string[];
  /** `-5` style numeric options (head -5). */
  numeric?: boolean;
  /** Options stop at the first operand (POSIX order), as for find's expressions or env's command. */
  posixOrder?: boolean;
}

export interface ParsedOption {
  /** "-n" or "--lines". */
  name: string;
  value?: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: string[];
  /** Options not in the table, as written. */
  unknown: string[];
}

export function parseOptions(table: OptionTable, args: readonly string[]): ParsedArgs {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const unknown: string[] = [];
  const short = table.short ?? '';
  const shortValue = table.shortValue ?? '';
  let rest = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (rest || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      if (table.posixOrder) rest = true;
      continue;
    }
    if (a === '--') {
      rest = true;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = (eq < 0 ? a : a.slice(0, eq)).slice(2);
      if (table.longValue?.includes(name)) {
        const value = eq < 0 ? args[++i] : a.slice(eq + 1);
        options.push({ name: `--${name}`, ...(value !== undefined ? { value } : {}) });
      } else if (table.longOptional?.includes(name)) {
        options.push({ name: `--${name}`, ...(eq < 0 ? {} : { value: a.slice(eq + 1) }) });
      } else if (eq < 0 && table.long?.includes(name)) options.push({ name: `--${name}` });
      else unknown.push(a);
      continue;
    }
    if (table.numeric && /^-\d+$/.test(a)) {
      options.push({ name: a });
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const letter = a[k]!;
      if (shortValue.includes(letter)) {
        const attached = a.slice(k + 1);
        const value = attached || args[++i];
        options.push({ name: `-${letter}`, ...(value !== undefined ? { value } : {}) });
        break;
      }
      if (short.includes(letter)) options.push({ name: `-${letter}` });
      else {
        unknown.push(`-${letter}`);
        break;
      }
    }
  }
  return { options, operands, unknown };
}

export const has = (parsed: ParsedArgs, ...names: string[]): boolean => parsed.options.some((o) => names.includes(o.name));
export const valuesOf = (parsed: ParsedArgs, ...names: string[]): string[] =>
  parsed.options.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value!);
