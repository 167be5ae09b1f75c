// A file link of the Trace panel: the diff of one file a tool span touched, in the agent's worktree against the commit
// the agent started from (VS Code's diff editor; the base side from the same read-only provider as Open Diff). An
// agent without a worktree, a removed agent or a path outside the worktree gets the file itself, or a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentSnapshot } from '../shared/agent';
import { baseUri } from './agentDiff';

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
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { kind: 'diff', worktree: worktree.path, baseCommit: worktree.baseCommit, relPath: rel.split(path.sep).join('/'), file: absolute! };
  }
  if (absolute && fs.existsSync(absolute)) return { kind: 'file', file: absolute };
  if (!agent) return { kind: 'none', why: `${agentName} was removed and ${file} is gone with its worktree.` };
  return { kind: 'none', why: `${file} no longer exists.` };
}

export async function openTraceFile(agent: AgentSnapshot | undefined, agentName: string, file: string): Promise<void> {
  const target = fileTarget(agent, agentName, file);
  if (target.kind === 'none') {
    void vscode.window.showInformationMessage(target.why);
    return;
  }
  if (target.kind === 'file') {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target.file));
    return;
  }
  const title = `${agentName}: ${target.relPath} (since ${target.baseCommit.slice(0, 8)})`;
  await vscode.commands.executeCommand('vscode.diff', baseUri(target.worktree, target.baseCommit, target.relPath), vscode.Uri.file(target.file), title);
}
