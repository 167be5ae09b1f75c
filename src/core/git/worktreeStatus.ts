// What is going on inside an agent's worktree: uncommitted and untracked files, and how many commits the agent
// made since its base. Read-only: it takes no index lock (GIT_OPTIONAL_LOCKS=0), so it is safe to poll.
import { stat } from 'node:fs/promises';
import { GitCommandError, WorktreeMissingError } from './gitErrors';
import type { GitOptions } from './gitExec';
import { gitText, runGit, splitNul } from './gitExec';
import { readRecordedBase } from './repo';

export interface WorktreeStatus {
  /** True when there is anything `git worktree remove` would refuse to throw away. */
  dirty: boolean;
  /** Tracked files with staged or unstaged changes (including deletions and conflicts), relative to the worktree. */
  uncommittedFiles: string[];
  /** Files git does not track and does not ignore. */
  untrackedFiles: string[];
  /** Commits on HEAD that are not in the base commit; undefined when the base is unknown or gone. */
  aheadOfBase: number | undefined;
  /** Full sha of HEAD (undefined only in a repository without commits). */
  head: string | undefined;
  /** Checked-out branch, undefined on a detached HEAD. */
  branch: string | undefined;
}

interface ParsedStatus {
  uncommittedFiles: string[];
  untrackedFiles: string[];
  head: string | undefined;
  branch: string | undefined;
}

/** Parses `git status --porcelain=v2 --branch -z`. Exported for tests of odd paths. */
export function parsePorcelainV2(fields: readonly string[]): ParsedStatus {
  const out: ParsedStatus = { uncommittedFiles: [], untrackedFiles: [], head: undefined, branch: undefined };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.startsWith('# branch.oid ')) {
      const oid = f.slice('# branch.oid '.length);
      out.head = oid === '(initial)' ? undefined : oid;
    } else if (f.startsWith('# branch.head ')) {
      const head = f.slice('# branch.head '.length);
      out.branch = head === '(detached)' ? undefined : head;
    } else if (f.startsWith('1 ')) {
      out.uncommittedFiles.push(afterFields(f, 8));
    } else if (f.startsWith('2 ')) {
      out.uncommittedFiles.push(afterFields(f, 9));
      i++; // the next field is the rename's original path
    } else if (f.startsWith('u ')) {
      out.uncommittedFiles.push(afterFields(f, 10));
    } else if (f.startsWith('? ')) {
      out.untrackedFiles.push(f.slice(2));
    }
  }
  return out;
}

/** The text after the first `count` space-separated fields: the path, which may itself contain spaces. */
function afterFields(line: string, count: number): string {
  let at = 0;
  for (let n = 0; n < count; n++) at = line.indexOf(' ', at) + 1;
  return line.slice(at);
}

/**
 * Status of the worktree at `path`. The base commit for `aheadOfBase` is `opts.baseCommit` when given, otherwise
 * the one recorded by createAgentWorktree for the checked-out branch.
 */
export async function worktreeStatus(path: string, opts: GitOptions & { baseCommit?: string } = {}): Promise<WorktreeStatus> {
  try {
    await stat(path);
  } catch {
    throw new WorktreeMissingError(path);
  }
  const { stdout } = await runGit(path, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'], opts);
  const parsed = parsePorcelainV2(splitNul(stdout));
  const base = opts.baseCommit ?? (parsed.branch ? await readRecordedBase(path, parsed.branch, opts) : undefined);
  let aheadOfBase: number | undefined;
  if (base && parsed.head) {
    try {
      aheadOfBase = Number(await gitText(path, ['rev-list', '--count', `${base}..HEAD`], opts));
    } catch (err) {
      if (!(err instanceof GitCommandError)) throw err; // the base is not in this repository (any more)
    }
  }
  return {
    dirty: parsed.uncommittedFiles.length > 0 || parsed.untrackedFiles.length > 0,
    uncommittedFiles: parsed.uncommittedFiles,
    untrackedFiles: parsed.untrackedFiles,
    aheadOfBase,
    head: parsed.head,
    branch: parsed.branch,
  };
}
