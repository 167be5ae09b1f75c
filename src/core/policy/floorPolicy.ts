// The floor under every policy: the files that decide how agents are supervised (Flotilla's policy, the agents'
// own settings, git's config and hooks, editor settings, shell start-up files, credentials) can never be written
// by an agent, and reading credentials or other processes' environments always asks a human. composePolicy puts
// these `floor.*` rules in force after every other layer; only the user's own settings can switch one off.
import type { CommandPatternObject, PathPattern, PolicyFile, PolicyRule } from '../../shared/policy';
import { READ_TOOLS, SHELL_TOOLS } from './requestUnits';

export const FLOOR_RULE_PREFIX = 'floor.';

export function isFloorRuleId(id: string): boolean {
  return id.startsWith(FLOOR_RULE_PREFIX);
}

/**
 * Makes a path glob match whatever the letter case: on case-insensitive file systems (macOS, Windows)
 * `.Claude/settings.json` is `.claude/settings.json`. Brace and class syntax is kept as it is.
 */
export function anyCase(glob: string): string {
  let out = '';
  let inClass = false;
  for (const ch of glob) {
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += !inClass && lower !== upper ? `[${lower}${upper}]` : ch;
  }
  return out;
}

/** `name` and everything below it, wherever it is (inside the worktree, in the main repository, in ~). */
const tree = (name: string): string => `/**/${name}{,/**}`;
const anywhere = (name: string): string => `/**/${name}`;

/** Flotilla's, the coding agents' and the editor's control files. */
const AGENT_CONTROL = [
  tree('.flotilla'),
  tree('.claude'),
  anywhere('.claude.json'),
  tree('.codex'),
  tree('.gemini'),
  tree('.cursor'),
  anywhere('.mcp.json'),
  anywhere('.vscode/settings.json'),
  // A task with `"runOn": "folderOpen"` runs by itself when the folder opens.
  anywhere('.vscode/tasks.json'),
  anywhere('*.code-workspace'),
  // The editor's user settings (where `flotilla.policy` lives), its storage (Flotilla's hook settings) and extensions.
  '~/.config/*/User/**',
  '~/Library/Application Support/*/User/**',
  '~/.vscode*/**',
  '~/.cursor*/**',
  '~/.local/share/code-server/**',
];

/** What git reads to decide which programs to run (core.hooksPath, core.fsmonitor, diff.external ...). */
const GIT_CONTROL = [
  // The `.git` entry itself: in a worktree it is a file naming the git directory.
  anywhere('.git'),
  '/**/.git/**/{config,config.worktree,commondir,gitdir}',
  '/**/.git/**/{hooks,info}{,/**}',
  anywhere('.gitconfig'),
  tree('.config/git'),
];

/** Files a shell runs at start-up, and directories early on PATH. */
const SHELL_STARTUP = [
  ...['.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout', '.kshrc', '.mkshrc', '.cshrc', '.tcshrc', '.login', '.xprofile', '.xsessionrc', '.pam_environment'].map(anywhere),
  tree('.config/fish'),
  tree('.config/environment.d'),
  tree('.config/autostart'),
  tree('.config/systemd/user'),
  '~/.local/bin{,/**}',
  '~/bin{,/**}',
];

/** Credentials and keys. Writing them is prohibited; reading them needs a human. */
const CREDENTIALS = [
  tree('.ssh'),
  tree('.aws'),
  tree('.gnupg'),
  tree('.config/gh'),
  tree('.config/gcloud'),
  tree('.azure'),
  tree('.kube'),
  tree('.docker/config.json'),
  anywhere('.git-credentials'),
  '~/.netrc',
  '~/.npmrc',
  '~/.pypirc',
  '~/.claude/.credentials.json',
  '~/.claude.json',
  '~/.codex/auth.json',
  '~/.config/*/User/globalStorage/**',
];

/** Other processes' environments (agents' tokens) and memory. */
const PROCESS_SECRETS: PathPattern[] = ['/proc/*/environ', '/proc/*/task/*/environ', '/proc/*/mem'];

/** Directories too broad to search without a human looking: the root, home, the directories holding homes, /proc. */
const SEARCH_ROOTS: PathPattern[] = ['/', '~', '/home', '/Users', '/root', '/proc', '/proc/[0-9]*'];

/** Variables that usually hold secrets, by a word in their name. */
const SECRET_WORDS = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'API_KEY', 'APIKEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'CREDENTIAL'];

const protectedWrites = (globs: readonly string[]): PathPattern[] => globs.map(anyCase);

export const PROTECTED_WRITE_PATHS: readonly PathPattern[] = protectedWrites([...AGENT_CONTROL, ...GIT_CONTROL, ...SHELL_STARTUP, ...CREDENTIALS]);

const shell = [...SHELL_TOOLS];

/** Shell programs whose every operand is changed (deleted, moved, created, linked, re-permissioned). */
const CHANGES_EVERY_OPERAND = ['rm', 'rmdir', 'unlink', 'shred', 'truncate', 'touch', 'chmod', 'chown', 'chgrp', 'chattr', 'mkdir', 'tee', 'mv', 'ln', 'setfacl'];

/** In-place editing switches, also inside clusters (`perl -0pi`, `perl -pi.bak`, `sed -Ei`). */
const IN_PLACE = ['-i*', '--in-place*', ...[1, 2, 3, 4, 5].map((n) => `-${'[0-9aElnprsTtuwz]'.repeat(n)}i*`)];

const NET_COMMANDS: CommandPatternObject[] = [
  { command: CHANGES_EVERY_OPERAND, argPaths: [...PROTECTED_WRITE_PATHS] },
  { command: ['sed', 'gsed', 'perl'], flags: [IN_PLACE], argPaths: [...PROTECTED_WRITE_PATHS] },
  // git writing protected files from the index or another commit, or removing them.
  { command: 'git', args: ['{checkout,restore,rm,mv}'], argPaths: [...PROTECTED_WRITE_PATHS] },
  // Setting a value (`git config key value`, `--unset`, `--edit` ...) writes .git/config or ~/.gitconfig.
  { command: 'git', args: ['config', '*', '*'] },
  { command: 'git', args: ['config'], flags: [['--unset*', '--add', '--replace-all', '--rename-section', '--remove-section', '-e', '--edit']] },
  { command: 'git', args: ['config', '{set,unset,edit,rename-section,remove-section}'] },
];

const rules: PolicyRule[] = [
  {
    id: 'floor.agent-control-files',
    tier: 'prohibited',
    description: "Changing Flotilla's or an agent's settings, or the editor's settings, tasks or extensions",
    reason: 'These files decide how agents are supervised; an agent may not change them (edit them yourself)',
    path: protectedWrites(AGENT_CONTROL),
    access: 'write',
  },
  {
    id: 'floor.git-control-files',
    tier: 'prohibited',
    description: "Changing git's configuration, hooks or the .git entry",
    reason: 'git config and hooks choose programs that git (and the editor) run as you; an agent may not change them',
    path: protectedWrites(GIT_CONTROL),
    access: 'write',
  },
  {
    id: 'floor.shell-startup-files',
    tier: 'prohibited',
    description: 'Changing shell start-up files or directories on PATH',
    reason: 'Shell start-up files and PATH directories run code in every later shell; an agent may not change them',
    path: protectedWrites(SHELL_STARTUP),
    access: 'write',
  },
  {
    id: 'floor.credential-files-write',
    tier: 'prohibited',
    description: 'Changing credentials or keys',
    reason: 'Credentials and keys are yours; an agent may not change them',
    path: protectedWrites(CREDENTIALS),
    access: 'write',
  },
  {
    id: 'floor.protected-files-shell',
    tier: 'prohibited',
    description: 'Deleting, moving or changing protected control files from the shell, or setting git configuration',
    reason: 'These files decide how agents are supervised and what runs as you; an agent may not change them',
    tool: shell,
    command: NET_COMMANDS,
  },
  {
    id: 'floor.read-credentials',
    tier: 'approve',
    description: 'Reading credentials or keys',
    path: protectedWrites(CREDENTIALS),
  },
  {
    id: 'floor.read-process-environment',
    tier: 'approve',
    description: "Reading other processes' environments or memory",
    reason: "Other processes' environments hold secrets (other agents' tokens among them)",
    path: PROCESS_SECRETS,
  },
  {
    id: 'floor.read-process-environment-shell',
    tier: 'approve',
    description: "Reading other processes' environments or memory from the shell",
    reason: "Other processes' environments hold secrets (other agents' tokens among them)",
    tool: shell,
    // As written, so /proc/$PPID/environ counts too (a path built from a variable cannot be resolved).
    command: { command: '*', anyArg: ['/proc/*/environ', '/proc/*/task/*/environ', '/proc/*/mem'] },
  },
  {
    id: 'floor.print-secret-variables',
    tier: 'approve',
    description: 'Printing or passing on variables that hold secrets (tokens, keys, passwords)',
    reason: "Variables named like tokens, keys or passwords hold secrets (Flotilla's agent token among them)",
    tool: shell,
    command: [
      { command: '*', anyArg: SECRET_WORDS.map((w) => `*$*${w}*`) },
      { command: 'printenv', anyArg: SECRET_WORDS.map((w) => `*${w}*`) },
    ],
  },
  {
    id: 'floor.ps-environment',
    tier: 'approve',
    description: "ps showing processes' environments (BSD option e)",
    reason: "`ps e` prints every process's environment, other agents' tokens among them",
    tool: shell,
    command: { command: 'ps', anyArg: '*e*' },
  },
  {
    id: 'floor.search-home-or-root',
    tier: 'approve',
    description: 'Searching or listing the whole home directory or file system',
    reason: 'A search over ~ or / reaches credentials and other projects',
    tool: [...READ_TOOLS],
    path: SEARCH_ROOTS,
  },
  {
    id: 'floor.search-home-or-root-shell',
    tier: 'approve',
    description: 'Searching the whole home directory or file system from the shell',
    reason: 'A search over ~ or / reaches credentials and other projects',
    tool: shell,
    command: { command: ['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'find', 'fd', 'fdfind', 'tree', 'locate', 'plocate'], argPaths: SEARCH_ROOTS },
  },
];

/** The floor as a policy layer (no defaultTier: the floor never lowers or sets it). */
export const FLOOR_POLICY: PolicyFile = { version: 1, rules };
