// Text from agents, files and the wire inside a Markdown tooltip: shown as written, never as Markdown, a theme icon
// or a link. Every ASCII punctuation character is escaped (CommonMark lets any of them be), which also breaks the
// autolink patterns (`https://`, `www.`, `name@host`) that would turn a URL an agent wrote into a clickable link;
// VS Code's own appendText leaves those alone.
import type * as vscode from 'vscode';

const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** `text` escaped for a Markdown string, on one line or with its own line breaks kept (as hard breaks). */
export function escapeMarkdownText(text: string): string {
  return text.replace(PUNCTUATION, (c) => `\\${c}`).replace(/\r?\n/g, '  \n');
}

/** Appends `text` verbatim (see escapeMarkdownText); returns `md` for chaining. */
export function appendPlainText(md: vscode.MarkdownString, text: string): vscode.MarkdownString {
  return md.appendMarkdown(escapeMarkdownText(text));
}
