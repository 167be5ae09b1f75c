// Repository-level questions: where the repository root is, what HEAD is, and the base commit Flotilla recorded
// for an agent branch (kept in git's own config so it survives restarts and goes away with the branch).
import { stat } from 'node:fs/promises';
import { GitCommandError, NotAGitRepoError, PathNotFoundError } from './gitErrors';
import type { GitOptions } from './gitExec';
import { gitSucceeds, gitText } from './gitExec';

/** The top folder of the (linked or main) worktree containing `dir`. */
export async function findRepoRoot(dir: string, opts?: GitOptions): Promise<string> {
  try {
    await stat(dir);
  } catch {
    throw new PathNotFoundError(dir);
  }
  try {
    return await gitText(dir, ['rev-parse', '--show-toplevel'], opts);
  } catch (err) {
    // Other failures (e.g. "dubious ownership") keep git's own explanation, which says how to fix them.
    if (err instanceof GitCommandError && /not a git repository|must be run in a work tree/i.test(err.stderr)) {
      throw new NotAGitRepoError(dir);
    }
    throw err;
  }
}

/** The full sha of HEAD, or undefined when the repository has no commits yet. */
export async function headCommit(dir: string, opts?: GitOptions): Promise<string | undefined> {
  try {
    return await gitText(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], opts);
  } catch (err) {
    if (err instanceof GitCommandError) return undefined;
    throw err;
  }
}

/** The short name of the checked-out branch, or undefined on a detached HEAD. */
export async function currentBranch(dir: string, opts?: GitOptions): Promise<string | undefined> {
  try {
    return (await gitText(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], opts)) || undefined;
  } catch (err) {
    if (err instanceof GitCommandError) return undefined;
    throw err;
  }
}

export function branchExists(dir: string, branch: string, opts?: GitOptions): Promise<boolean> {
  return gitSucceeds(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], opts);
}

function baseKey(branch: string): string {
  return `branch.${branch}.flotillaBase`;
}

/** Remembers which commit an agent branch started from; `git branch -d` drops it along with the branch section. */
export async function recordBaseCommit(dir: string, branch: string, commit: string, opts?: GitOptions): Promise<void> {
  await gitText(dir, ['config', '--local', baseKey(branch), commit], opts);
}

export async function readRecordedBase(dir: string, branch: string, opts?: GitOptions): Promise<string | undefined> {
  try {
    return (await gitText(dir, ['config', '--get', baseKey(branch)], opts)) || undefined;
  } catch (err) {
    if (err instanceof GitCommandError) return undefined; // exit 1: not set
    throw err;
  }
}
