// Creates and removes the per-agent git worktrees (branch `flotilla/<name>` checked out in its own folder),
// so agents work side by side without touching the user's workspace or each other.
import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  BranchExistsError,
  BranchNotMergedError,
  ForeignBranchError,
  GitCommandError,
  InvalidWorktreeNameError,
  InvalidWorktreesRootError,
  NoCommitsError,
  WorktreeDirtyError,
  WorktreePathExistsError,
} from './gitErrors';
import type { GitOptions } from './gitExec';
import { gitText, runGit, splitNul } from './gitExec';
import { branchExists, currentBranch, findRepoRoot, headCommit, recordBaseCommit } from './repo';
import { slugifyWorktreeName, worktreeNameProblem } from './worktreeName';
import { parsePorcelainV2, worktreeStatus } from './worktreeStatus';

export const AGENT_BRANCH_PREFIX = 'flotilla/';
const ADD_TIMEOUT_MS = 120_000; // checking out a large repository takes a while

export interface CreateWorktreeRequest extends GitOptions {
  /** Any folder inside the repository (usually the workspace folder). */
  repoDir: string;
  /** Agent name; must pass `worktreeNameProblem` (use `slugifyWorktreeName` on free text first). */
  name: string;
  /** Folder outside the repository that holds all worktrees; ours goes to `<worktreesRoot>/<repoName>/<name>`. */
  worktreesRoot: string;
}

export interface AgentWorktree {
  path: string;
  branch: string;
  /** Full sha of the commit the branch starts from (HEAD of `repoDir` at creation). */
  baseCommit: string;
  repoRoot: string;
  /** Branch checked out in `repoDir` at creation, undefined on a detached HEAD. */
  baseBranch: string | undefined;
  /** Something the user should be told, e.g. that their uncommitted changes were not carried over. */
  warning: string | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Resolves symlinks in the longest existing prefix of `path` (the rest does not exist yet). */
async function realpathLoose(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(await realpathLoose(parent), basename(abs));
  }
}

/** Paths of every worktree git has registered for this repository, including ones whose folder is gone. */
async function registeredWorktrees(repoRoot: string, opts: GitOptions): Promise<string[]> {
  const { stdout } = await runGit(repoRoot, ['worktree', 'list', '--porcelain', '-z'], opts);
  return splitNul(stdout)
    .filter((f) => f.startsWith('worktree '))
    .map((f) => f.slice('worktree '.length));
}

/**
 * Creates branch `flotilla/<name>` at the current HEAD and checks it out in a new worktree. Only committed
 * state is carried over: uncommitted changes in the workspace stay there (the result's `warning` says so).
 */
export async function createAgentWorktree(req: CreateWorktreeRequest): Promise<AgentWorktree> {
  const opts: GitOptions = { gitPath: req.gitPath, timeoutMs: req.timeoutMs };
  const problem = worktreeNameProblem(req.name);
  if (problem) throw new InvalidWorktreeNameError(req.name, problem, slugifyWorktreeName(req.name) || undefined);

  const repoRoot = await findRepoRoot(req.repoDir, opts);
  const baseCommit = await headCommit(repoRoot, opts);
  if (!baseCommit) throw new NoCommitsError(repoRoot);

  const branch = AGENT_BRANCH_PREFIX + req.name;
  if (await branchExists(repoRoot, branch, opts)) throw new BranchExistsError(branch);

  const root = await realpathLoose(req.worktreesRoot);
  if (isInside(root, repoRoot)) throw new InvalidWorktreesRootError(req.worktreesRoot, repoRoot);
  const repoName = slugifyWorktreeName(basename(repoRoot)) || 'repo';
  const path = join(root, repoName, req.name);
  if (await exists(path)) throw new WorktreePathExistsError(path, false);
  const registered = await registeredWorktrees(repoRoot, opts);
  if (registered.some((p) => resolve(p) === path)) throw new WorktreePathExistsError(path, true);

  const { stdout: statusOut } = await runGit(repoRoot, ['status', '--porcelain=v2', '-z', '--untracked-files=normal'], opts);
  const workspace = parsePorcelainV2(splitNul(statusOut));
  const pending = workspace.uncommittedFiles.length + workspace.untrackedFiles.length;
  const warning =
    pending > 0
      ? `${pending} uncommitted or untracked change(s) in ${repoRoot} were not copied into the agent's worktree: ` +
        'it starts from the last commit. Commit them first if the agent needs them.'
      : undefined;
  const baseBranch = await currentBranch(repoRoot, opts);

  await mkdir(dirname(path), { recursive: true });
  try {
    // Branch from the sha we just read, not from HEAD, so a commit landing meanwhile cannot change the base.
    await runGit(repoRoot, ['worktree', 'add', '--quiet', '-b', branch, path, baseCommit], {
      ...opts,
      timeoutMs: req.timeoutMs ?? ADD_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof GitCommandError && /already exists/.test(err.stderr)) {
      if (await branchExists(repoRoot, branch, opts)) throw new BranchExistsError(branch);
      throw new WorktreePathExistsError(path, false);
    }
    throw err;
  }
  await recordBaseCommit(repoRoot, branch, baseCommit, opts);
  return { path, branch, baseCommit, repoRoot, baseBranch, warning };
}

export interface RemoveWorktreeRequest extends GitOptions {
  /** The repository the worktree belongs to (AgentWorktree.repoRoot). */
  repoRoot: string;
  path: string;
  branch: string;
  /** Discard uncommitted/untracked files, and delete the branch even when it is not merged. */
  force?: boolean;
  /** Also delete the branch; refused unless it is merged into the repository's HEAD or `force` is set. */
  deleteBranch?: boolean;
}

export interface RemovedWorktree {
  removedPath: string;
  branchDeleted: boolean;
}

/**
 * Removes an agent worktree. All checks happen before anything is deleted, so a refusal (WorktreeDirtyError,
 * BranchNotMergedError, ForeignBranchError) leaves everything as it was.
 */
export async function removeAgentWorktree(req: RemoveWorktreeRequest): Promise<RemovedWorktree> {
  const opts: GitOptions = { gitPath: req.gitPath, timeoutMs: req.timeoutMs };
  const force = req.force ?? false;
  const folderExists = await exists(req.path);

  if (req.deleteBranch) {
    if (!req.branch.startsWith(AGENT_BRANCH_PREFIX)) throw new ForeignBranchError(req.branch);
    if (!force && (await branchExists(req.repoRoot, req.branch, opts))) {
      const unmerged = Number(await gitText(req.repoRoot, ['rev-list', '--count', `HEAD..refs/heads/${req.branch}`], opts));
      if (unmerged > 0) throw new BranchNotMergedError(req.branch, unmerged, (await currentBranch(req.repoRoot, opts)) ?? 'HEAD');
    }
  }
  if (folderExists && !force) {
    const status = await worktreeStatus(req.path, opts);
    if (status.dirty) throw new WorktreeDirtyError(req.path, status.uncommittedFiles, status.untrackedFiles);
  }

  // A worktree whose folder was deleted by hand needs --force for git to drop its record; nothing is lost then.
  const args = ['worktree', 'remove', ...(force || !folderExists ? ['--force'] : []), req.path];
  try {
    await runGit(req.repoRoot, args, opts);
  } catch (err) {
    // Something changed between our check and git's: report the files rather than git's terse refusal.
    if (err instanceof GitCommandError && !force && /modified or untracked files/.test(err.stderr)) {
      const status = await worktreeStatus(req.path, opts);
      throw new WorktreeDirtyError(req.path, status.uncommittedFiles, status.untrackedFiles);
    }
    throw err;
  }

  let branchDeleted = false;
  if (req.deleteBranch && (await branchExists(req.repoRoot, req.branch, opts))) {
    // -d re-checks the merge itself; we already checked, so its refusal here could only come from a race.
    await runGit(req.repoRoot, ['branch', force ? '-D' : '-d', req.branch], opts);
    branchDeleted = true;
  }
  return { removedPath: req.path, branchDeleted };
}
