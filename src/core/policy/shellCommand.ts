// What the shell analysis hands to the policy: each simple command a command line runs, with what feeds it,
// what it writes, whether its program table calls it read-only and what in it may run code unseen.

export interface ShellRedirect {
  access: 'read' | 'write';
  target: string;
}

export interface ShellCommand {
  /** The program's resolved name ("/bin/rm" -> "rm"); a program named by another path keeps the path ("./ls"). */
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
  /** `cd` targets taken before it (and git -C), applied in order to the request's cwd. */
  dirs: readonly string[];
  /** A `cd` to somewhere unknowable (`cd -`, `cd $X`) came before it. */
  dirUnknown: boolean;
  /** xargs or find -exec add operands we cannot see. */
  moreArgsUnknown: boolean;
  /** Every option and operand is in the program's read-only table (and nothing in it is a hazard). */
  readOnly: boolean;
  /** Why it may run code or write where the policy cannot see ("sed script runs a command (e)"). */
  hazards: readonly string[];
  /** Files its program writes (besides redirections): cp/mv destinations, rm operands, sort -o ... */
  writes: readonly string[];
  /** Operands that are program text for the program (a sed script, an awk program), not paths. */
  code: readonly string[];
  /** The command as a readable line. */
  text: string;
}

export type ShellParse =
  | { ok: true; commands: readonly ShellCommand[]; canonical: string; unmodeled: readonly string[]; syntaxError?: string }
  | { ok: false; error: string };
