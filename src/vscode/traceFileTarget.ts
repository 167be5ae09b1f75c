// What a file link of the Trace panel opens, decided without VS Code (tested in Node): the file's diff in the agent's
// worktree against its base commit, the file alone (no worktree, or outside it), or nothing with a reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentSnapshot } from '../shared/agent';

/** What the link opens: a diff, the file alone, or nothing (with the reason shown to the user). */
export type FileTarget =
  | { readonly kind: 'diff'; readonly worktree: string; readonly baseCommit: string; readonly relPath: string; readonly file: string }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'none'; readonly why: string };

/** Decides what a file link of `agent` opens (pure but for existence checks). */
export function fileTarget(agent: AgentSnapshot | undefined, agentName: string, file: string): FileTarget {
  const worktree = agent?.worktree;
  const absolute = path.isAbsolute(file) ? file : worktree ? path.join(worktree.path, file) : undefined;
  if (worktree) {
    const rel = path.relative(worktree.path, absolute!);
    if (rel && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel)) return { kind: 'diff', worktree: worktree.path, baseCommit: worktree.baseCommit, relPath: rel.split(path.sep).join('/'), file: absolute! };
  }
  if (absolute && fs.existsSync(absolute)) return { kind: 'file', file: absolute };
  if (!agent) return { kind: 'none', why: `${agentName} was removed and ${file} is gone with its worktree.` };
  return { kind: 'none', why: `${file} no longer exists.` };
}
