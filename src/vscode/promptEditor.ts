// New Agent's "Write in an Editor…": an untitled Markdown document for a multi-line first prompt. Running
// "Start Agent with This Prompt" (the editor's title bar, Ctrl/Cmd+Enter, or the palette) takes its text and starts
// the agent. The text is never lost: every edit is kept in the recent prompts (one entry per editor), and closing
// the editor without starting asks whether to start, keeps the text, and offers to open it again.
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
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

  constructor(
    private readonly history: PromptHistory,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e.document)),
      // A closed tab is the user's "close": VS Code may keep the document itself a while longer.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) if (tab.input instanceof vscode.TabInputText) this.tabClosed(tab.input.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.closed(doc.uri.toString())),
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
    const text = withoutHeader(doc.getText());
    // "Don't Save" empties the untitled document before its tab closes: closing keeps the last words written (an
    // editor the user emptied keeps them too; Start reads the editor itself and refuses an empty prompt).
    if (!text.trim()) return;
    entry.text = text;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.saveDraft(entry), 500);
  }

  private async saveDraft(entry: Pending): Promise<void> {
    const text = entry.text;
    await this.history.remember(text, entry.saved);
    if (text.trim()) entry.saved = text;
  }

  /** The tab of a prompt editor closed: closed unless another tab still shows the document. */
  private tabClosed(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.pending.has(key)) return;
    const stillShown = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
    if (!stillShown) void this.closed(key);
  }

  private async closed(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    clearTimeout(entry.timer);
    this.updateContext();
    const text = entry.text;
    const empty = !text.trim();
    this.log.info(`New Agent ${entry.agentName}: its prompt editor closed without starting (${empty ? 'no prompt written' : `${text.length} characters kept in the recent prompts`})`);
    if (!empty) await this.saveDraft(entry);
    const start = empty ? 'Start without a Prompt' : `Start ${entry.agentName}`;
    const reopen = 'Open Again';
    const choice = await vscode.window.showInformationMessage(
      empty
        ? `${entry.agentName} was not started: its prompt editor closed with no prompt written.`
        : `${entry.agentName} was not started: its prompt editor closed. The prompt is kept in New Agent's recent prompts.`,
      start,
      reopen,
    );
    if (choice === start) entry.resolve(empty ? '' : text);
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
