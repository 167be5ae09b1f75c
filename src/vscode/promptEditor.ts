// New Agent's "Write in an Editor…": an untitled Markdown document for a multi-line first prompt. Running
// "Start Agent with This Prompt" (the editor's title bar, Ctrl/Cmd+Enter, or the palette) takes its text and starts
// the agent. The text is never lost: every edit is kept in the recent prompts (one entry per editor), and closing
// the editor without starting asks whether to start, keeps the text, and offers to open it again.
import * as vscode from 'vscode';
import type { PromptHistory } from './promptHistory';
import { promptHeader, withoutHeader } from './promptHistory';

export const PROMPT_EDITOR_CONTEXT = 'flotilla.promptEditorActive';

interface Pending {
  readonly agentName: string;
  readonly resolve: (text: string | undefined) => void;
  /** The newest text seen (an untitled document's text may be gone by the time it is closed). */
  text: string;
  /** The text last saved to the history, replaced by the next save. */
  saved?: string;
  timer?: ReturnType<typeof setTimeout>;
}

export class PromptEditors implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly history: PromptHistory) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.closed(doc)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
    ];
  }

  /** Opens the editor; resolves with the prompt to start with, or undefined when the user gives up. */
  async write(agentName: string, seed: string): Promise<string | undefined> {
    // An untitled document with no file path behind it: saving it is never needed (the text is taken on Start).
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${promptHeader(agentName)}\n${seed}` });
    const result = new Promise<string | undefined>((resolve) => this.pending.set(doc.uri.toString(), { agentName, resolve, text: seed }));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    this.updateContext();
    void vscode.window.showInformationMessage(
      `Write the first prompt for ${agentName}, then run Start Agent with This Prompt (the ▶ button above the editor, or ${process.platform === 'darwin' ? 'Cmd' : 'Ctrl'}+Enter).`,
    );
    return result;
  }

  /** The command: the active prompt editor's text starts its agent. */
  async startFromActiveEditor(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const entry = editor && this.pending.get(editor.document.uri.toString());
    if (!editor || !entry) {
      const open = [...this.pending.values()].map((p) => p.agentName);
      void vscode.window.showInformationMessage(
        open.length ? `Switch to the prompt editor of ${open.join(', ')} first.` : 'No New Agent prompt is being written: run Flotilla: New Agent and choose Write in an Editor….',
      );
      return false;
    }
    const text = withoutHeader(editor.document.getText());
    if (!text.trim()) {
      void vscode.window.showWarningMessage(`The prompt for ${entry.agentName} is empty: write it first, or close the editor to give up.`);
      return false;
    }
    this.settle(editor.document.uri.toString(), text);
    // The text is taken: close without the "save changes?" question.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const key of [...this.pending.keys()]) this.settle(key, undefined);
  }

  private changed(doc: vscode.TextDocument): void {
    const entry = this.pending.get(doc.uri.toString());
    if (!entry) return;
    entry.text = withoutHeader(doc.getText());
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.saveDraft(entry), 500);
  }

  private async saveDraft(entry: Pending): Promise<void> {
    const text = entry.text;
    await this.history.remember(text, entry.saved);
    if (text.trim()) entry.saved = text;
  }

  private async closed(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    clearTimeout(entry.timer);
    this.updateContext();
    const text = entry.text;
    if (!text.trim()) {
      entry.resolve(undefined);
      return;
    }
    await this.saveDraft(entry);
    const start = `Start ${entry.agentName}`;
    const reopen = 'Open Again';
    const choice = await vscode.window.showInformationMessage(
      `${entry.agentName} was not started: its prompt editor closed. The prompt is kept in New Agent's recent prompts.`,
      start,
      reopen,
    );
    if (choice === start) entry.resolve(text);
    else if (choice === reopen) entry.resolve(await this.write(entry.agentName, text));
    else entry.resolve(undefined);
  }

  private settle(key: string, text: string | undefined): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    clearTimeout(entry.timer);
    if (text !== undefined) void this.history.remember(text, entry.saved);
    entry.resolve(text);
    this.updateContext();
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    void vscode.commands.executeCommand('setContext', PROMPT_EDITOR_CONTEXT, active !== undefined && this.pending.has(active));
  }
}
