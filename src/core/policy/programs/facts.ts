// What the program table tells about one command: whether it only reads, what in it may run code or write
// where the policy cannot see (hazards), which files it writes, and directories it works in (git -C).

export interface ProgramInput {
  /** Resolved program name ("ls" for /usr/bin/ls; a path stays a path). */
  name: string;
  args: readonly string[];
  /** xargs or find -exec append arguments we cannot see. */
  moreArgsUnknown: boolean;
  /** Whether a word is (partly) filled in by the shell at run time: a variable, a substitution. */
  isDynamic: (word: string) => boolean;
  /** Something feeds its standard input (a pipe, a here-document, a here-string or a < file). */
  stdinFed: boolean;
}

export interface ProgramFacts {
  readOnly: boolean;
  hazards: string[];
  writes: string[];
  dirs?: string[];
  /** Operands that are program text (a sed script, an awk program), not paths. */
  code?: string[];
}

export const readOnlyFacts = (): ProgramFacts => ({ readOnly: true, hazards: [], writes: [] });
export const notReadOnly = (hazards: string[] = [], writes: string[] = []): ProgramFacts => ({ readOnly: false, hazards, writes });

/** A word filled in at run time may turn out to be an option unless it starts with a fixed non-dash part. */
export const mayBeOption = (word: string): boolean => word.startsWith('-') || word.startsWith('$') || word.startsWith('`');
