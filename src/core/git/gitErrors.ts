// Typed errors for the git worktree layer. Each message says what happened and what the user can do next,
// and `code` lets the UI branch on the kind without instanceof.

export abstract class GitError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class GitMissingError extends GitError {
  readonly code = 'gitMissing';
  constructor(readonly gitPath: string, cause?: unknown) {
    super(`git was not found (tried '${gitPath}'): install git and make sure it is on PATH, or choose 'run in workspace'`, { cause });
  }
}

/** git ran but failed in a way none of the more specific errors describe; `stderr` holds git's own words. */
export class GitCommandError extends GitError {
  readonly code = 'gitCommand';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no error output'}`);
  }
}

export class GitTimeoutError extends GitError {
  readonly code = 'gitTimeout';
  constructor(readonly args: readonly string[], readonly timeoutMs: number) {
    super(`git ${args.join(' ')} did not finish within ${timeoutMs} ms and was stopped; check for a slow disk, a huge repository or a hook that waits for input`);
  }
}

export class PathNotFoundError extends GitError {
  readonly code = 'pathNotFound';
  constructor(readonly path: string) {
    super(`${path} does not exist: choose an existing folder`);
  }
}

export class NotAGitRepoError extends GitError {
  readonly code = 'notAGitRepo';
  constructor(readonly dir: string) {
    super(`${dir} is not inside a git repository: run \`git init\` or choose 'run in workspace'`);
  }
}

export class NoCommitsError extends GitError {
  readonly code = 'noCommits';
  constructor(readonly repoRoot: string) {
    super(`the repository at ${repoRoot} has no commits yet, so there is nothing to branch from: make a first commit (for example \`git commit --allow-empty -m "initial"\`) or choose 'run in workspace'`);
  }
}

export class InvalidWorktreeNameError extends GitError {
  readonly code = 'invalidWorktreeName';
  constructor(readonly worktreeName: string, readonly problem: string, readonly suggestion: string | undefined) {
    super(`'${worktreeName}' cannot be used as a worktree name: ${problem}${suggestion ? `; try '${suggestion}'` : ''}`);
  }
}

export class InvalidWorktreesRootError extends GitError {
  readonly code = 'invalidWorktreesRoot';
  constructor(readonly worktreesRoot: string, readonly repoRoot: string) {
    super(`the worktrees folder ${worktreesRoot} is inside the repository ${repoRoot}; the agent's files would show up as untracked changes there: choose a folder outside the repository`);
  }
}

export class BranchExistsError extends GitError {
  readonly code = 'branchExists';
  constructor(readonly branch: string) {
    super(`branch ${branch} already exists: choose another agent name, or remove the old worktree and its branch first (\`git worktree remove <path>\` then \`git branch -d ${branch}\`)`);
  }
}

export class WorktreePathExistsError extends GitError {
  readonly code = 'worktreePathExists';
  constructor(readonly path: string, readonly registered: boolean) {
    super(
      registered
        ? `git still has a worktree registered at ${path} although the folder is gone: run \`git worktree prune\` or choose another agent name`
        : `${path} already exists: choose another agent name, or move or delete that folder`,
    );
  }
}

export class WorktreeMissingError extends GitError {
  readonly code = 'worktreeMissing';
  constructor(readonly path: string) {
    super(`the worktree folder ${path} no longer exists: remove the agent's worktree to clean up git's records (\`git worktree prune\`)`);
  }
}

export class WorktreeDirtyError extends GitError {
  readonly code = 'worktreeDirty';
  constructor(readonly path: string, readonly uncommittedFiles: readonly string[], readonly untrackedFiles: readonly string[]) {
    const files = [...uncommittedFiles, ...untrackedFiles];
    const shown = files.slice(0, 20).join(', ') + (files.length > 20 ? `, and ${files.length - 20} more` : '');
    super(
      `the worktree ${path} has ${uncommittedFiles.length} uncommitted and ${untrackedFiles.length} untracked file(s) (${shown}): ` +
        'commit or save them elsewhere first, or remove with force to discard them',
    );
  }
}

export class BranchNotMergedError extends GitError {
  readonly code = 'branchNotMerged';
  constructor(readonly branch: string, readonly unmergedCommits: number, readonly into: string) {
    super(
      `branch ${branch} has ${unmergedCommits} commit(s) not merged into ${into}: merge them first, keep the branch ` +
        '(remove the worktree without deleting the branch), or delete with force to lose them',
    );
  }
}

export class ForeignBranchError extends GitError {
  readonly code = 'foreignBranch';
  constructor(readonly branch: string) {
    super(`refusing to delete branch ${branch}: Flotilla only deletes the flotilla/* branches it created; delete it yourself if you mean to`);
  }
}

export class UnknownCommitError extends GitError {
  readonly code = 'unknownCommit';
  constructor(readonly commit: string, readonly repo: string) {
    super(`${commit} is not a commit in ${repo}: it may have been garbage-collected or belong to another repository`);
  }
}
