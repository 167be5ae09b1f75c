// Reads what tamper detection compares of one protected file: a hash of its bytes (or of a symbolic link's target),
// the git configuration keys that run code when it is a git config file, and small text kept for a diff.
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { runGit } from '../git/gitExec';
import type { GitOptions } from '../git/gitExec';
import { GitCommandError } from '../git/gitErrors';
import type { Compare } from './protectedSpecs';
import { riskyEntries } from './gitConfigRisk';

export interface FileState {
  readonly type: 'file' | 'symlink' | 'dir' | 'other';
  /** sha256 of the bytes, of `symlink:<target>` for a link, or of the type for anything else. */
  readonly sha256: string;
  readonly size: number;
  /** For git config files: the risky entries (`key=value`), sorted. */
  readonly risky?: readonly string[];
  /** The content when it is small text, for "Show Diff". */
  readonly text?: string;
}

/** Files larger than this are compared by size and modification time instead of being read. */
const MAX_READ = 32 * 1024 * 1024;
const MAX_TEXT = 256 * 1024;

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export async function readFileState(file: string, stat: Stats, compare: Compare, git: GitOptions | undefined): Promise<FileState> {
  if (stat.isSymbolicLink()) {
    const target = await fsp.readlink(file);
    return { type: 'symlink', sha256: sha256(`symlink:${target}`), size: 0, text: target };
  }
  if (stat.isDirectory()) return { type: 'dir', sha256: sha256('dir'), size: 0 };
  if (!stat.isFile()) return { type: 'other', sha256: sha256('other'), size: 0 };
  if (stat.size > MAX_READ) return { type: 'file', sha256: sha256(`large:${stat.size}:${stat.mtimeMs}`), size: stat.size };
  const bytes = await fsp.readFile(file);
  const text = bytes.length <= MAX_TEXT && !bytes.includes(0) ? bytes.toString('utf8') : undefined;
  const state = { type: 'file' as const, sha256: sha256(bytes), size: bytes.length, text };
  return compare === 'gitconfig' ? { ...state, risky: await readRiskyConfig(file, git) } : state;
}

/** The risky entries of a git config file, read by git itself (so its whole syntax is understood). */
async function readRiskyConfig(file: string, git: GitOptions | undefined): Promise<string[]> {
  try {
    const { stdout } = await runGit(path.dirname(file), ['config', '--file', file, '--list', '--null'], git);
    return riskyEntries(stdout.toString('utf8'));
  } catch (err) {
    // A file git cannot read breaks every git command in the repository: that is a change worth reporting.
    if (err instanceof GitCommandError) return [`(git cannot read this file: ${err.stderr.split('\n')[0] ?? ''})`];
    throw err;
  }
}

/** Whether two states of the same file differ in a way that matters. */
export function stateDiffers(before: FileState, after: FileState, compare: Compare): boolean {
  if (compare === 'gitconfig' && before.type === 'file' && after.type === 'file') {
    return (before.risky ?? []).join('\0') !== (after.risky ?? []).join('\0');
  }
  return before.sha256 !== after.sha256 || before.type !== after.type;
}
