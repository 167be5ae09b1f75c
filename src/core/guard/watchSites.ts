// Where an agent's control files live: its worktree, the repository's top folder and main folder, and the
// repository's common git folder (a linked worktree's `.git` is only a file pointing into it).
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { gitText } from '../git/gitExec';
import type { GitOptions } from '../git/gitExec';
import { GitCommandError } from '../git/gitErrors';
import { GIT_COMMON_DIR, WORKTREE_ROOT } from './protectedSpecs';
import type { DirSpec } from './protectedSpecs';

/** A folder an agent works in: a worktree path (with its main repository) or a plain working folder. */
export interface WatchRoot {
  readonly path: string;
  readonly repoRoot?: string;
}

/** One watched top folder with what is protected in it, and the repository a change there belongs to. */
export interface Site {
  readonly key: string;
  readonly path: string;
  readonly spec: DirSpec;
  readonly repoRoot: string | undefined;
}

async function askGit(dir: string, args: readonly string[], git: GitOptions | undefined): Promise<string | undefined> {
  try {
    return (await gitText(dir, args, git)) || undefined;
  } catch (err) {
    if (err instanceof GitCommandError) return undefined; // not a repository
    throw err;
  }
}

async function real(dir: string | undefined): Promise<string | undefined> {
  if (!dir) return undefined;
  try {
    return await fsp.realpath(dir);
  } catch {
    return undefined;
  }
}

/** The sites of one root. A root that is not in a git repository has only its own folder. */
export async function sitesFor(root: WatchRoot, git?: GitOptions): Promise<Site[]> {
  const here = await real(root.path);
  if (!here) return [];
  const top = await real(await askGit(here, ['rev-parse', '--show-toplevel'], git));
  const commonText = await askGit(here, ['rev-parse', '--path-format=absolute', '--git-common-dir'], git);
  const common = await real(commonText && path.resolve(here, commonText));
  // The main worktree of a repository is the folder holding its `.git`; a bare repository has none.
  const main = common && path.basename(common) === '.git' ? path.dirname(common) : undefined;
  const repoRoot = main ?? (await real(root.repoRoot)) ?? top ?? here;
  const sites: Site[] = [];
  const folders = new Set([here, top, await real(root.repoRoot), main].filter((d): d is string => d !== undefined));
  for (const folder of folders) sites.push({ key: `worktree:${folder}`, path: folder, spec: WORKTREE_ROOT, repoRoot });
  if (common) sites.push({ key: `git:${common}`, path: common, spec: GIT_COMMON_DIR, repoRoot });
  return sites;
}
