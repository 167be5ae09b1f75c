// The walker's vocabulary: the scope a command runs in (nesting, input, redirects, working directory, environment),
// the node types it treats as words or as sequences, and the shell features the policy does not model.
import type { ShellCommand, ShellRedirect } from './shellCommand';

export const MAX_DEPTH = 8;
export const MAX_LENGTH = 64 * 1024;

/** Nodes that are words (arguments), as opposed to statements. */
export const WORDISH = new Set([
  'word', 'string', 'raw_string', 'ansi_c_string', 'translated_string', 'concatenation', 'simple_expansion', 'expansion',
  'command_substitution', 'process_substitution', 'arithmetic_expansion', 'number', 'variable_name', 'extglob_pattern',
  'regex', 'test_operator', 'brace_expression', 'special_variable_name', 'heredoc_body', 'string_content',
]);
/** Statements whose children are statements run in order with the same input. */
export const SEQUENCES = new Set([
  'program', 'compound_statement', 'do_group', 'else_clause', 'elif_clause', 'if_statement', 'while_statement',
  'for_statement', 'case_statement', 'case_item', 'negated_command', 'list', 'subshell', 'c_style_for_statement',
]);
export const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
export const PAGERS = new Set(['less', 'more', 'most', 'man']);
export const ERROR_SEPARATORS = new Set(['&&', '||', ';', '|', '|&', '&', ';;', '\n']);
/** Zero-width, bidi and byte-order characters: what the human sees is not what runs. */
export const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
export const NOT_MODELED: Record<string, string> = {
  alias: 'alias defines a command',
  unalias: 'unalias changes what a name runs',
  source: 'source runs a script file',
  '.': 'source runs a script file',
  trap: 'trap runs a command later',
  exec: 'exec replaces the shell',
  coproc: 'coproc runs a command in the background',
  enable: 'enable loads shell builtins',
  complete: 'complete can run a command',
  bind: 'bind can run a command',
  fc: 'fc runs commands from history',
  let: 'let evaluates arithmetic',
};

export class ParseError extends Error {}

export interface Cwd {
  dirs: string[];
  dirUnknown: boolean;
}

export interface Scope {
  /** Nesting of scripts inside scripts (bash -c, eval, here-documents). */
  depth: number;
  via: string[];
  feeders: ShellCommand[];
  redirects: ShellRedirect[];
  /** Something feeds standard input (pipe, here-document, < file). */
  stdinFed: boolean;
  /** A here-document's body fed to the statement. */
  heredoc?: string;
  moreArgsUnknown: boolean;
  /** Shared along a list of statements, copied for subshells and substitutions. */
  cwd: Cwd;
  /** Environment assignments in force for the commands inside (`BASH_ENV=x bash -c '...'`). */
  env: string[];
}

/** A copy of the scope whose `cd`s do not leak out (subshells, substitutions, pipeline stages). */
export function subshell(scope: Scope): Scope {
  return { ...scope, cwd: { dirs: [...scope.cwd.dirs], dirUnknown: scope.cwd.dirUnknown } };
}

export function withoutHeredoc(scope: Scope): Scope {
  const { heredoc: _heredoc, ...rest } = scope;
  return rest;
}
