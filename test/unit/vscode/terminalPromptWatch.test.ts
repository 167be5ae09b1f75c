// The terminal prompt watch finds "only the user can answer this" prompts in raw terminal output (escape sequences,
// prompts split across chunks, TUI redraws) and reports each once.
import * as assert from 'node:assert/strict';
import { TerminalPromptWatch, terminalText } from '../../../src/vscode/terminalPromptWatch';

const TRUST = { pattern: /Do you trust the files in this folder\?|Is this a project you trust/i, reason: 'Claude Code asks whether to trust this folder' };
const LOGIN = { pattern: /Select login method/i, reason: 'Claude Code wants you to log in' };

describe('terminal prompt watch', () => {
  it('strips colours, OSC titles and shell-integration marks, and reads cursor moves as spaces', () => {
    const raw = '\u001b]633;C\u0007\u001b[1mDo\u001b[1Cyou\u001b[22m trust\r\n  the files\u001b]0;claude\u0007 in this folder?';
    assert.equal(terminalText(raw), 'Do you trust the files in this folder?');
  });

  it('reads Claude Code 2.1 trust dialog as words (each word placed at its column with CSI n G)', () => {
    // Recorded from the real CLI in a pty (an untrusted folder).
    const raw = '\u001b[2GQuick\u001b[8Gsafety\u001b[15Gcheck:\u001b[22GIs\u001b[25Gthis\u001b[30Ga\u001b[32Gproject\u001b[40Gyou\u001b[44Gcreated\u001b[52Gor\u001b[55Gone\u001b[59Gyou\u001b[63Gtrust?';
    assert.equal(terminalText(raw).trim(), 'Quick safety check: Is this a project you created or one you trust?');
    const watch = new TerminalPromptWatch([{ pattern: /Is this a project you created or one you trust\?/, reason: 'trust' }]);
    assert.deepEqual(watch.feed(raw), ['trust']);
  });

  it('matches a prompt split over chunks, once, and again only after a while', () => {
    let now = 0;
    const watch = new TerminalPromptWatch([TRUST, LOGIN], () => now);
    assert.deepEqual(watch.feed('\u001b[2J\u001b[HWelcome. Do you trust the fi'), []);
    assert.deepEqual(watch.feed('les in this \u001b[33mfolder?\u001b[0m 1. Yes'), [TRUST.reason]);
    now += 1000;
    assert.deepEqual(watch.feed('Do you trust the files in this folder?'), [], 'a redraw is not a new prompt');
    now += 61_000;
    assert.deepEqual(watch.feed('Is this a project you trust?'), [TRUST.reason]);
    assert.deepEqual(watch.feed('Select login method:'), [LOGIN.reason]);
  });

  it('ignores ordinary output and has no state from a global regex', () => {
    const watch = new TerminalPromptWatch([{ pattern: /trust/g, reason: 'r' }]);
    assert.deepEqual(watch.feed('building... done'), []);
    assert.deepEqual(watch.feed('trust'), ['r']);
    assert.deepEqual(new TerminalPromptWatch([]).feed('trust'), []);
  });
});
