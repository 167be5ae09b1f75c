// A file link of the Trace panel: the diff of one file a tool span touched, in the agent's worktree against the commit
// the agent started from (VS Code's diff editor; the base side from the same read-only provider as Open Diff). An
// agent without a worktree, a removed agent or a path outside the worktree gets the file itself, or a message.
import * as vscode from 'vscode';
import type { AgentSnapshot } from '../shared/agent';
import { baseUri } from './agentDiff';
import { fileTarget } from './traceFileTarget';

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
