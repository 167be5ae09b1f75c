// What is protected where: per watched folder, which entries are control files (compared by bytes, or as git
// configuration by the keys that run code) and which are folders to follow (a whole tree, or named files in it).

/** How a protected file is compared with its baseline. */
export type Compare = 'bytes' | 'gitconfig';

/** What one entry of a watched folder is: a file to compare, a folder to follow, or either (decided by lstat). */
export interface EntryRule {
  readonly file?: Compare;
  readonly dir?: DirSpec;
}

/** A watched folder: which of its entries matter. */
export interface DirSpec {
  readonly name: string;
  match(entry: string): EntryRule | undefined;
}

/** Every file below is protected, at any depth (`.flotilla/**`, `.git/hooks/**`). */
export const TREE: DirSpec = {
  name: 'tree',
  match: () => TREE_ENTRY,
};
const TREE_ENTRY: EntryRule = { file: 'bytes', dir: TREE };

function named(name: string, entries: Record<string, EntryRule>, pattern?: (entry: string) => EntryRule | undefined): DirSpec {
  const table = new Map(Object.entries(entries));
  return { name, match: (entry) => table.get(entry) ?? pattern?.(entry) };
}

const bytes: EntryRule = { file: 'bytes' };

/** A worktree or repository top folder: the agents' and Flotilla's control files. */
export const WORKTREE_ROOT: DirSpec = named(
  'worktree',
  {
    '.flotilla': TREE_ENTRY,
    '.claude': TREE_ENTRY,
    '.codex': TREE_ENTRY,
    '.mcp.json': bytes,
    // In a linked worktree `.git` is a file naming the git folder: pointing it elsewhere swaps hooks and config.
    '.git': bytes,
    '.vscode': { file: 'bytes', dir: named('.vscode', { 'settings.json': bytes }) },
  },
  (entry) => (entry.endsWith('.code-workspace') ? bytes : undefined),
);

/** A repository's common git folder (`git rev-parse --git-common-dir`): config, hooks and info. */
export const GIT_COMMON_DIR: DirSpec = named('git', {
  config: { file: 'gitconfig' },
  hooks: TREE_ENTRY,
  info: TREE_ENTRY,
});

/** The user's home: shell start-up files, git and ssh configuration, Claude Code's user settings. */
export const HOME: DirSpec = named('home', {
  '.bashrc': bytes,
  '.bash_profile': bytes,
  '.bash_login': bytes,
  '.profile': bytes,
  '.zshrc': bytes,
  '.zshenv': bytes,
  '.zprofile': bytes,
  '.gitconfig': { file: 'gitconfig' },
  // Not `.claude.json`: Claude Code rewrites it all the time.
  '.claude': { file: 'bytes', dir: named('~/.claude', { 'settings.json': bytes, 'settings.local.json': bytes }) },
  '.ssh': { file: 'bytes', dir: named('~/.ssh', { authorized_keys: bytes, config: bytes }) },
});
