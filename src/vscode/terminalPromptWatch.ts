// Finds the prompts an agent shows in its terminal that only the user can answer (a trust dialog, a login), in the
// raw output of the agent's command: escape sequences removed, whitespace collapsed, a bounded rolling window.
// vscode-free, so it is tested in plain Node.
import { stripVTControlCharacters } from 'node:util';

export interface TerminalPrompt {
  readonly pattern: RegExp;
  readonly reason: string;
}

/** How much recent text is kept: a dialog is a few hundred characters; a prompt split across chunks still matches. */
const WINDOW = 4096;
/** The same prompt is reported again only after this long (TUIs redraw a dialog on every key and resize). */
const REPEAT_AFTER_MS = 60_000;

// Terminal output is exactly where control characters are expected.
// eslint-disable-next-line no-control-regex
const CURSOR_MOVE = /\u001b\[\d*(?:;\d*)?[CHfBGdEF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Terminal output as words: cursor moves that stand for spaces become spaces, other escapes go, whitespace collapses. */
export function terminalText(raw: string): string {
  // A TUI may place words by moving the cursor instead of printing spaces: Claude Code's dialogs put each word at
  // its column (CSI n G); others move right (CSI n C) or to a row (CSI n;m H, n B/E/F, n d).
  const spaced = raw.replace(CURSOR_MOVE, ' ');
  return stripVTControlCharacters(spaced).replace(CONTROL_CHARS, '').replace(/\s+/g, ' ');
}

export class TerminalPromptWatch {
  private text = '';
  private readonly lastSeen = new Map<string, number>();

  private readonly prompts: readonly TerminalPrompt[];

  constructor(
    prompts: readonly TerminalPrompt[],
    private readonly now: () => number = Date.now,
  ) {
    // A global regex keeps state between test() calls: matching must not depend on the previous chunk.
    this.prompts = prompts.map((p) => ({ reason: p.reason, pattern: new RegExp(p.pattern.source, p.pattern.flags.replace(/[gy]/g, '')) }));
  }

  /** Feeds a chunk of raw output; returns the reasons of prompts seen for the first time (or again after a while). */
  feed(raw: string): string[] {
    if (this.prompts.length === 0) return [];
    this.text = (this.text + terminalText(raw)).slice(-WINDOW);
    const found: string[] = [];
    let matched = false;
    for (const prompt of this.prompts) {
      if (!prompt.pattern.test(this.text)) continue;
      matched = true;
      const at = this.now();
      const last = this.lastSeen.get(prompt.reason);
      if (last === undefined || at - last >= REPEAT_AFTER_MS) found.push(prompt.reason);
      this.lastSeen.set(prompt.reason, at);
    }
    // What matched is consumed, so only a later redraw of the dialog counts as seeing it again.
    if (matched) this.text = '';
    return found;
  }
}
