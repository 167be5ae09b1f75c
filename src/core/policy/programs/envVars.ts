// Which environment assignments are harmless. An assignment before a command (`PAGER=x git log`), through
// `env`, or as its own statement (`export GIT_DIR=..`) can make an innocent program run code or read another
// repository; only an allowlist of variables that merely change formatting or modes passes unremarked.

/** Variables that change output, locale or modes, never which code runs. */
const HARMLESS = new Set([
  'CI', 'NODE_ENV', 'FORCE_COLOR', 'NO_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'LANG', 'LANGUAGE', 'TZ', 'DEBUG', 'TERM',
  'COLUMNS', 'LINES', 'TMPDIR', 'RUST_BACKTRACE', 'RUST_LOG', 'NODE_NO_WARNINGS', 'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING', 'PYTHONHASHSEED', 'GIT_TERMINAL_PROMPT', 'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
  'HUSKY', 'VERBOSE', 'TS_NODE_TRANSPILE_ONLY', 'SKIP_PREFLIGHT_CHECK', 'BROWSER_NONE', 'NEXT_TELEMETRY_DISABLED',
]);

/** Pager variables are harmless when they name `cat` or nothing. */
const PAGERS = /^(?:[A-Z0-9]+_)?PAGER$/;

const REASONS: [RegExp, string][] = [
  [/^GIT_EXTERNAL_DIFF$/, 'runs a program'],
  [/^GIT_CONFIG/, 'sets git configuration'],
  [/^GIT_(DIR|WORK_TREE|COMMON_DIR|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|NAMESPACE)$/, 'points git at another repository'],
  [/^GIT_/, 'changes what git runs'],
  [/^(LD_|DYLD_)/, 'loads code into the program'],
  [/PAGER$|^(EDITOR|VISUAL|BROWSER|SHELL|SUDO_ASKPASS|SSH_ASKPASS)$/, 'names a program to run'],
  [/^LESS/, 'makes less run a program'],
  [/^(BASH_ENV|ENV|PROMPT_COMMAND|PS4|BASH_FUNC_.*|SHELLOPTS|BASHOPTS)$/, 'makes a shell run commands'],
  [/^PYTHON/, 'changes what python runs'],
  [/^(NODE_OPTIONS|NODE_PATH|NODE_REPL_EXTERNAL_MODULE)$/, 'changes what node loads'],
  [/^(PERL5|PERL_)/, 'changes what perl loads'],
  [/^(RUBYOPT|RUBYLIB|GEM_)/, 'changes what ruby loads'],
  [/^IFS$/, 'changes how the shell splits words'],
  [/^(PATH|CDPATH|HOME|XDG_CONFIG_HOME|ZDOTDIR)$/, 'changes which files and programs a name finds'],
];

/** The name and value of `NAME=value` (also `NAME+=value`). */
export function splitAssignment(text: string): { name: string; value: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=(.*)$/s.exec(text);
  return m ? { name: m[1]!, value: m[2]! } : { name: text, value: '' };
}

/** Why an assignment could change what a program (or a later command) does, or null when it is harmless. */
export function envHazard(assignment: string): string | null {
  const { name, value } = splitAssignment(assignment);
  if (HARMLESS.has(name) || name.startsWith('LC_')) return null;
  if (PAGERS.test(name) && (value === '' || value === 'cat')) return null;
  const reason = REASONS.find(([re]) => re.test(name))?.[1];
  if (reason) return `${name} ${reason}`;
  // Lower-case names are the script's own variables; upper-case ones are how programs are configured.
  if (/[a-z]/.test(name)) return null;
  return `${name} is set for the program`;
}
