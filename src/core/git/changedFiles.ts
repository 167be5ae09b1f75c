// Everything an agent changed in its worktree relative to its base commit (commits, staged, unstaged and
// untracked files), plus reading a file as it was at a commit, so the UI can show before/after diffs.
import { GitCommandError, UnknownCommitError } from './gitErrors';
import type { GitOptions } from './gitExec';
import { gitSucceeds, runGit, splitNul } from './gitExec';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface ChangedFile {
  /** Path relative to the worktree root, with forward slashes. */
  path: string;
  status: ChangeStatus;
  /** The path at the base commit, for renames. */
  oldPath?: string;
}

/** Parses `git diff --name-status -z` output. Exported for tests of odd paths. */
export function parseNameStatus(fields: readonly string[]): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const code = fields[i];
    switch (code[0]) {
      case 'R':
        out.push({ path: fields[i + 2], status: 'renamed', oldPath: fields[i + 1] });
        i += 2;
        break;
      case 'C': // a copy leaves the source in place: the destination is new
        out.push({ path: fields[i + 2], status: 'added' });
        i += 2;
        break;
      case 'A':
        out.push({ path: fields[++i], status: 'added' });
        break;
      case 'D':
        out.push({ path: fields[++i], status: 'deleted' });
        break;
      default: // M, T (type change), U (unmerged), X: the file is there on both sides but differs
        out.push({ path: fields[++i], status: 'modified' });
    }
  }
  return out;
}

/**
 * Every change in the worktree at `worktreePath` (its root folder) compared with `baseCommit`. Renames are
 * detected among tracked files; a file moved but not yet `git add`ed shows as deleted + added.
 */
export async function changedFiles(worktreePath: string, baseCommit: string, opts?: GitOptions): Promise<ChangedFile[]> {
  if (!(await gitSucceeds(worktreePath, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${baseCommit}^{commit}`], opts))) {
    throw new UnknownCommitError(baseCommit, worktreePath);
  }
  // Diffing the base against the working tree covers commits since the base, staged and unstaged edits at once.
  const diff = await runGit(
    worktreePath,
    ['diff', '--name-status', '-z', '--no-relative', '--find-renames', '--no-ext-diff', '--ignore-submodules=dirty', baseCommit, '--'],
    opts,
  );
  const untracked = await runGit(worktreePath, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ':/'], opts);

  const byPath = new Map<string, ChangedFile>();
  for (const change of parseNameStatus(splitNul(diff.stdout))) byPath.set(change.path, change);
  for (const path of splitNul(untracked.stdout)) {
    // Removed from the index but still on disk (`git rm --cached`): the file exists on both sides.
    const prior = byPath.get(path);
    byPath.set(path, { path, status: prior?.status === 'deleted' ? 'modified' : 'added' });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The text of `relPath` (relative to the repository root) at `commit`, or undefined when the file did not exist
 * there. Throws UnknownCommitError when `commit` itself is unknown.
 */
export async function readFileAtCommit(repoRoot: string, commit: string, relPath: string, opts?: GitOptions): Promise<string | undefined> {
  if (commit.startsWith('-')) throw new UnknownCommitError(commit, repoRoot); // never let it read as an option
  const path = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  try {
    const { stdout } = await runGit(repoRoot, ['cat-file', 'blob', `${commit}:${path}`], opts);
    return stdout.toString('utf8');
  } catch (err) {
    if (!(err instanceof GitCommandError)) throw err;
  }
  if (!(await gitSucceeds(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}^{commit}`], opts))) {
    throw new UnknownCommitError(commit, repoRoot);
  }
  return undefined; // the commit exists, so the path does not (or is a folder)
}
