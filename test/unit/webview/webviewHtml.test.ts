// The webview HTML shell: a strict CSP with the page's nonce on its one script, attribute values escaped.
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, createNonce } from '../../../src/vscode/webviewHtml';

const page = {
  title: 'Flotilla Approvals',
  cspSource: 'https://file+.vscode-resource.test',
  scriptUri: 'https://file+.vscode-resource.test/ext/dist/webview/approvals.js',
  styleUris: ['https://file+.vscode-resource.test/ext/dist/webview/approvals.css'],
  codiconsUri: 'https://file+.vscode-resource.test/ext/node_modules/@vscode/codicons/dist/codicon.css',
};

describe('webview HTML shell', () => {
  it('allows nothing by default, scripts only by nonce, styles and fonts only from the extension', () => {
    assert.equal(
      contentSecurityPolicy(page.cspSource, 'abc'),
      "default-src 'none'; script-src 'nonce-abc'; style-src https://file+.vscode-resource.test; font-src https://file+.vscode-resource.test; img-src https://file+.vscode-resource.test",
    );
  });

  it('puts the CSP first, the nonce on the one script, codicons under the id vscode-elements looks for', () => {
    const html = buildWebviewHtml({ ...page, nonce: 'n0nce' });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-n0nce&#39;;/);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the CSP comes before any resource');
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="n0nce" src="${page.scriptUri}">`]);
    assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]+codicon\.css">/);
    assert.ok(!/style=|<style/.test(html), 'no inline styles (the CSP would refuse them)');
  });

  it('escapes attribute values, and a fresh nonce differs each time', () => {
    const html = buildWebviewHtml({ ...page, title: '"><script>alert(1)</script>', scriptUri: 'x" onload="alert(1)' });
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(html.includes('src="x&quot; onload=&quot;alert(1)"'));
    const a = createNonce();
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(a, createNonce());
  });
});
