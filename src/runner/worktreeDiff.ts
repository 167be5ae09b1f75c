// Open Diff on the runner's side: what an agent changed in its worktree since the commit the worktree started from
// (commits, staged, unstaged and untracked files: the core's changedFiles), and one side of one changed file. Only
// files in that list are served (no path the list does not name, so no reading around the machine), at most
// MAX_DIFF_FILE_BYTES each; a symbolic link is served as its target text, as git stores it.
import { lstat, readFile, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { changedFiles } from '../core/git/changedFiles';
import type { ChangedFile } from '../core/git/changedFiles';
import { runGit } from '../core/git/gitExec';
import { GitCommandError } from '../core/git/gitErrors';
import type { WorktreeInfo } from '../shared/agent';
import { MAX_CHANGED_FILES, MAX_DIFF_FILE_BYTES } from '../shared/protocol/runnerAttach';
import type { ChangesMessage, DiffSide } from '../shared/protocol/runnerAttach';

export type FileSide = { readonly kind: 'absent' } | { readonly kind: 'too_large'; readonly size: number } | { readonly kind: 'ok'; readonly bytes: Buffer; readonly binary: boolean };

/** The multi-diff editor asks for both sides of every file at once: one git run serves them all for a moment. */
const LIST_TTL_MS = 2000;
const recent = new Map<string, { readonly at: number; readonly files: Promise<ChangedFile[]> }>();

function changesOf(worktree: WorktreeInfo, fresh: boolean): Promise<ChangedFile[]> {
  const key = `${worktree.path}\0${worktree.baseCommit}`;
  const now = Date.now();
  const hit = recent.get(key);
  if (!fresh && hit && now - hit.at < LIST_TTL_MS) return hit.files;
  const files = changedFiles(worktree.path, worktree.baseCommit);
  files.catch(() => recent.delete(key));
  recent.delete(key);
  recent.set(key, { at: now, files });
  // A handful of agents at most ask at once; the oldest entries go.
  for (const k of recent.keys()) if (recent.size > 64) recent.delete(k);
  return files;
}

export async function listChanges(worktree: WorktreeInfo): Promise<ChangesMessage> {
  const files = await changesOf(worktree, true);
  return {
    base: worktree.baseCommit,
    branch: worktree.branch.slice(0, 256),
    files: files.slice(0, MAX_CHANGED_FILES).map((f) => ({ path: f.path, status: f.status, ...(f.oldPath === undefined ? {} : { old_path: f.oldPath }) })),
    truncated: files.length > MAX_CHANGED_FILES,
  };
}

/** One side of a changed file: `base` at the base commit (its old path for a rename), `work` as it is on disk now. */
export async function readSide(worktree: WorktreeInfo, side: DiffSide, relPath: string, maxBytes = MAX_DIFF_FILE_BYTES): Promise<FileSide | undefined> {
  const changes = await changesOf(worktree, false);
  const named =
    side === 'base'
      ? changes.some((f) => f.status !== 'added' && (f.oldPath ?? f.path) === relPath)
      : changes.some((f) => f.status !== 'deleted' && f.path === relPath);
  // Not a changed file's side: refused (undefined) rather than read.
  if (!named) return changes.some((f) => f.path === relPath || f.oldPath === relPath) ? { kind: 'absent' } : undefined;
  return side === 'base' ? readBase(worktree, relPath, maxBytes) : readWork(worktree, relPath, maxBytes);
}

async function readBase(worktree: WorktreeInfo, relPath: string, maxBytes: number): Promise<FileSide> {
  const object = `${worktree.baseCommit}:${relPath}`;
  let size: number;
  try {
    size = Number((await runGit(worktree.path, ['cat-file', '-s', object])).stdout.toString('utf8').trim());
  } catch (err) {
    if (err instanceof GitCommandError) return { kind: 'absent' };
    throw err;
  }
  if (size > maxBytes) return { kind: 'too_large', size };
  const bytes = (await runGit(worktree.path, ['cat-file', 'blob', object])).stdout;
  return { kind: 'ok', bytes, binary: looksBinary(bytes) };
}

async function readWork(worktree: WorktreeInfo, relPath: string, maxBytes: number): Promise<FileSide> {
  const full = path.join(worktree.path, relPath);
  if (path.relative(worktree.path, full).startsWith('..')) return { kind: 'absent' };
  try {
    const info = await lstat(full);
    if (info.isSymbolicLink()) return { kind: 'ok', bytes: Buffer.from(await readlink(full), 'utf8'), binary: false };
    if (!info.isFile()) return { kind: 'absent' };
    if (info.size > maxBytes) return { kind: 'too_large', size: info.size };
    const bytes = await readFile(full);
    if (bytes.length > maxBytes) return { kind: 'too_large', size: bytes.length };
    return { kind: 'ok', bytes, binary: looksBinary(bytes) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
}

/** git's own test: a NUL byte in the first 8000 bytes. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}
