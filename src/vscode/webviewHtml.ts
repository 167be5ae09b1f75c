// The HTML shell every Flotilla webview loads: a strict CSP (nothing by default, our script by nonce, styles and
// fonts only from the extension), the codicons stylesheet, one bundle from dist/webview. Shared by the panels.
// Only types come from `vscode`, so benches and tests build the same page outside VS Code.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type * as vscode from 'vscode';

/** Where a webview may load files from: its bundles and the codicons font. */
export const WEBVIEW_DIST = ['dist', 'webview'] as const;
export const CODICONS_DIST = ['dist', 'codicons'] as const;

export interface WebviewPage {
  readonly title: string;
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  readonly cspSource: string;
  readonly scriptUri: string;
  /** Stylesheets of the page, after codicons. */
  readonly styleUris: readonly string[];
  /** codicon.css; linked with the id vscode-elements looks for. */
  readonly codiconsUri: string;
  readonly nonce?: string;
}

/** A fresh nonce per page load (base64, 128 bits). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

/** The Content-Security-Policy of a page: scripts only by nonce, styles/fonts/images only from `cspSource`. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

export function buildWebviewHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? createNonce();
  const a = escapeAttribute;
  const styles = page.styleUris.map((uri) => `    <link rel="stylesheet" href="${a(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(page.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${a(page.title)}</title>
    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${a(page.codiconsUri)}">
${styles}
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${a(nonce)}" src="${a(page.scriptUri)}"></script>
  </body>
</html>`;
}

function under(base: vscode.Uri, segments: readonly string[]): vscode.Uri {
  return base.with({ path: posix.join(base.path, ...segments) });
}

/** localResourceRoots for a Flotilla webview. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [under(extensionUri, WEBVIEW_DIST), under(extensionUri, CODICONS_DIST)];
}

/** The page of the webview bundle `name` (dist/webview/<name>.js and the .css esbuild emits beside it). */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): WebviewPage {
  const uri = (segments: readonly string[]) => webview.asWebviewUri(under(extensionUri, segments)).toString();
  return {
    title,
    cspSource: webview.cspSource,
    scriptUri: uri([...WEBVIEW_DIST, `${name}.js`]),
    styleUris: [uri([...WEBVIEW_DIST, `${name}.css`])],
    codiconsUri: uri([...CODICONS_DIST, 'codicon.css']),
  };
}
