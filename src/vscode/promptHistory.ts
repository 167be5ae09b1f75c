// The last first prompts given to New Agent (newest first, up to 20), kept in globalState so the prompt step can
// offer them again. Also keeps the text of a prompt being written in an editor as it changes, so closing that editor
// or reloading the window never loses it, and the prompt editor's header line. vscode-free (a Memento-shaped store), tested in Node.

/** Where the list is kept (vscode.Memento fits it). */
export interface PromptStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const PROMPT_HISTORY_KEY = 'flotilla.newAgent.recentPrompts';
export const MAX_PROMPTS = 20;
/** A longer prompt is kept whole in the editor but not in the history (globalState is not a document store). */
export const MAX_PROMPT_CHARS = 20_000;

export class PromptHistory {
  constructor(private readonly store: PromptStore) {}

  /** Newest first; a tolerant read (anything that is not a non-empty string is dropped). */
  list(): string[] {
    const raw = this.store.get<unknown>(PROMPT_HISTORY_KEY);
    return (Array.isArray(raw) ? raw : []).filter((p): p is string => typeof p === 'string' && p.trim() !== '').slice(0, MAX_PROMPTS);
  }

  /**
   * Puts a prompt first (an equal one moves up instead of repeating). `replacing` is an earlier text of the same
   * prompt (a draft being edited): it is taken out, so a draft keeps one entry however often it is saved.
   */
  async remember(prompt: string, replacing?: string): Promise<void> {
    const text = prompt.trim();
    if (!text || text.length > MAX_PROMPT_CHARS) return;
    const old = replacing?.trim();
    const rest = this.list().filter((p) => p !== text && (old === undefined || p !== old));
    await this.store.update(PROMPT_HISTORY_KEY, [text, ...rest].slice(0, MAX_PROMPTS));
  }
}

/** One line for a pick: the first non-empty line, clipped, and how many lines follow. */
export function promptSummary(prompt: string, width = 80): { line: string; more: number } {
  const lines = prompt.trim().split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  const line = first.length > width ? `${first.slice(0, width - 1)}…` : first;
  return { line, more: lines.length - 1 };
}

/** The editor's first line says what it is for; it is not part of the prompt. */
export function promptHeader(agentName: string): string {
  return `<!-- Flotilla: the first prompt for ${agentName.replaceAll('--', '- -')}. Run "Start Agent with This Prompt" (the ▶ button above, or Ctrl/Cmd+Enter) to start it. This line is left out. -->`;
}

/** The prompt without the header line (kept as is when the user changed or removed the header). */
export function withoutHeader(text: string): string {
  return text.replace(/^<!-- Flotilla: the first prompt for [^\n]*? This line is left out\. -->\r?\n?/, '');
}
