// git: which invocations only read the repository, and what in the rest runs code or writes files. git's
// global options and configuration can make any subcommand run a program (`-c core.fsmonitor=...`,
// `--exec-path`, `--git-dir` of a crafted repository), and some read subcommands take write or run options
// (`log --output`, `grep -O`, `diff --ext-diff`).
import type { ProgramFacts } from './facts';

/** Subcommands that only read the repository (given no option from the deny lists below). */
export const GIT_READ_SUBCOMMANDS = new Set([
  'status', 'diff', 'log', 'show', 'blame', 'grep', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog',
  'reflog', 'cat-file', 'rev-list', 'merge-base', 'name-rev', 'whatchanged', 'help', 'version', 'check-ignore',
  'for-each-ref', 'show-ref', 'var', 'count-objects', 'diff-tree', 'diff-files', 'diff-index', 'range-diff',
]);

/** Global options that are harmless; -C is tracked as a directory. */
const SAFE_GLOBAL = new Set(['--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-replace-objects', '--no-lazy-fetch', '--no-advice', '--version', '-v', '--help', '-h']);

/** Configuration keys whose value is a program git (or VS Code's git) will run. */
const RUNS_PROGRAM_KEY = /^(core\.(fsmonitor|hookspath|pager|editor|sshcommand|askpass|gitproxy)|diff\..*\.(textconv|command)|diff\.external|difftool\..*|merge\..*\.driver|mergetool\..*|filter\..*|alias\..*|credential\..*helper|sequence\.editor|gpg\..*program|include\.path|includeif\..*|uploadpack\..*|receive\.procreceiverefs|protocol\..*|url\..*|pager\..*|web\.browser|browser\..*|man\..*)$/i;

/** Options of a subcommand that run a program. */
const RUNS: Record<string, readonly string[]> = {
  '*': ['--ext-diff', '--upload-pack', '--receive-pack', '--exec', '-u'],
  grep: ['-O', '--open-files-in-pager'],
  rebase: ['-x', '--exec'],
  clone: ['--template', '--config', '-c'],
  archive: ['--remote'],
};

const SUBCOMMAND_RUNS = new Set(['difftool', 'mergetool', 'filter-branch', 'instaweb', 'daemon', 'web--browse']);

const optionName = (a: string): string => {
  if (a.startsWith('--')) return a.split('=')[0]!;
  return a.slice(0, 2);
};

function configFacts(args: readonly string[], facts: ProgramFacts): void {
  let file = '.git/config';
  let writes = false;
  const operands: string[] = [];
  const valueOpts = new Set(['-f', '--file', '--blob', '--type', '--default', '--comment', '--value']);
  const writeOpts = new Set(['--add', '--unset', '--unset-all', '--replace-all', '--rename-section', '--remove-section', '-e', '--edit']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    const name = optionName(a);
    if (name === '--global') file = '~/.gitconfig';
    else if (name === '--system') file = '/etc/gitconfig';
    else if (name === '--worktree') file = '.git/config.worktree';
    else if (name === '-f' || name === '--file') file = a.includes('=') ? a.slice(a.indexOf('=') + 1) : a.length > 2 && name === '-f' ? a.slice(2) : (args[++i] ?? '');
    else if (writeOpts.has(name)) writes = true;
    else if (valueOpts.has(name) && !a.includes('=')) i++;
  }
  const sub = operands[0];
  if (sub && ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(sub)) writes = true;
  if (sub && ['get', 'list'].includes(sub)) writes = false;
  else if (operands.length >= 2) writes = true;
  if (!writes) return;
  facts.writes.push(file);
  const key = sub && ['set', 'unset'].includes(sub) ? operands[1] : sub;
  if (key && RUNS_PROGRAM_KEY.test(key)) facts.hazards.push(`git config sets ${key}, which runs a program`);
}

export function gitFacts(args: readonly string[]): ProgramFacts {
  const facts: ProgramFacts = { readOnly: true, hazards: [], writes: [], dirs: [] };
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    const name = optionName(a);
    if (a === '-C') facts.dirs!.push(args[++i] ?? '');
    else if (a === '-c' || name === '--config-env') {
      const value = a.includes('=') && name === '--config-env' ? a.slice(a.indexOf('=') + 1) : (args[++i] ?? '');
      facts.hazards.push(`git ${name} sets configuration (${value.split('=')[0]})`);
    } else if (name === '--exec-path') {
      if (a.includes('=')) facts.hazards.push('git --exec-path chooses where git runs its programs from');
    } else if (name === '--git-dir' || name === '--work-tree') {
      if (!a.includes('=')) i++;
      facts.hazards.push(`git ${name} points git at another repository's configuration`);
    } else if (name === '--namespace' || name === '--super-prefix') {
      if (!a.includes('=')) i++;
    } else if (a === '-p' || a === '--paginate') facts.readOnly = false;
    else if (!SAFE_GLOBAL.has(a)) facts.readOnly = false;
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  if (sub === undefined) return facts;
  if (!GIT_READ_SUBCOMMANDS.has(sub)) facts.readOnly = false;
  if (SUBCOMMAND_RUNS.has(sub)) facts.hazards.push(`git ${sub} runs other programs`);
  const runs = [...RUNS['*']!, ...(RUNS[sub] ?? [])];
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    if (a === '--') break;
    if (!a.startsWith('-')) continue;
    const name = optionName(a);
    if (runs.includes(name) && !(name === '-u' && sub !== 'clone' && sub !== 'fetch' && sub !== 'pull' && sub !== 'ls-remote' && sub !== 'archive')) {
      facts.hazards.push(`git ${sub} ${name} runs a program`);
    }
    if (name === '--output' || (name === '-o' && (sub === 'archive' || sub === 'format-patch')) || name === '--output-directory') {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : name === '-o' && a.length > 2 ? a.slice(2) : rest[++k];
      if (value) facts.writes.push(value);
      facts.readOnly = false;
    }
  }
  if (sub === 'reflog' && rest[0] && !['show', '--'].includes(rest[0]) && !rest[0].startsWith('-')) facts.readOnly = false;
  if (sub === 'help' && rest.some((a) => ['-w', '--web', '-i', '--info'].includes(a))) facts.readOnly = false;
  if (sub === 'config') configFacts(rest, facts);
  if (sub === 'submodule' && rest.includes('foreach')) facts.hazards.push('git submodule foreach runs a command');
  if (sub === 'bisect' && rest[0] === 'run') facts.hazards.push('git bisect run runs a command');
  if (sub === 'apply' && !rest.some((a) => ['--check', '--stat', '--numstat', '--summary'].includes(a))) {
    facts.hazards.push('git apply writes the files named inside the patch');
  }
  if (sub === 'clone' || sub === 'init' || (sub === 'worktree' && rest[0] === 'add')) {
    const operands = rest.filter((a) => !a.startsWith('-'));
    const target = sub === 'clone' ? operands[1] : sub === 'init' ? operands[0] : operands[1];
    if (target) facts.writes.push(target);
  }
  return facts;
}
