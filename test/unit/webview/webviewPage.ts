// Runs a panel's webview bundle (webview/<name>/main.ts) in headless Chromium as VS Code would: the real HTML shell and
// CSP from webviewHtml.ts, files served from one origin, the stub acquireVsCodeApi of the approvals page (posted
// messages go to Node). The Trace and Costs pages (tracePage.ts, costsPage.ts) are this with their names.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { buildWebviewHtml } from '../../../src/vscode/webviewHtml';
import { STUB_VSCODE_API } from './approvalsPage';

const ORIGIN = 'https://flotilla.test';
const ROOT = join(__dirname, '..', '..', '..');

export interface WebviewBundle {
  readonly js: string;
  readonly css: string;
}

/** Bundles webview/<name>/main.ts with the options esbuild.mjs uses for webviews (minified as in a release). */
export async function bundleWebview(name: string): Promise<WebviewBundle> {
  const dir = mkdtempSync(join(tmpdir(), `flotilla-${name}-`));
  try {
    await esbuild.build({
      entryPoints: [join(ROOT, `webview/${name}/main.ts`)],
      outfile: join(dir, `${name}.js`),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'error',
    });
    return { js: readFileSync(join(dir, `${name}.js`), 'utf8'), css: readFileSync(join(dir, `${name}.css`), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WebviewPage {
  readonly page: Page;
  /** Resolves once the page has posted `ready`. */
  waitForReady(): Promise<void>;
  /** Uncaught errors, console errors and warnings of the page. */
  readonly problems: string[];
}

/** Opens the page of bundle `name` under `title`; `toHost` gets each message the panel posts (the first is `ready`). */
export async function openWebviewPage(browser: Browser, name: string, title: string, bundle: WebviewBundle, toHost?: (message: unknown) => void): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  if (toHost) await page.exposeFunction('__toHost', toHost);
  await page.addInitScript({ content: STUB_VSCODE_API });
  const files: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': {
      type: 'text/html',
      body: buildWebviewHtml({ title, cspSource: ORIGIN, scriptUri: `${ORIGIN}/${name}.js`, styleUris: [`${ORIGIN}/theme.css`, `${ORIGIN}/${name}.css`], codiconsUri: `${ORIGIN}/codicon.css` }),
    },
    [`/${name}.js`]: { type: 'text/javascript', body: bundle.js },
    [`/${name}.css`]: { type: 'text/css', body: bundle.css },
    '/theme.css': { type: 'text/css', body: readFileSync(join(__dirname, 'vscodeTheme.css')) },
    '/codicon.css': { type: 'text/css', body: readFileSync(join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.css')) },
    '/codicon.ttf': { type: 'font/ttf', body: readFileSync(join(ROOT, 'node_modules/@vscode/codicons/dist/codicon.ttf')) },
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file ? route.fulfill({ status: 200, contentType: file.type, body: file.body }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    waitForReady: () =>
      page.waitForFunction(() => (globalThis as unknown as { __posted: { type?: string }[] }).__posted.some((m) => m.type === 'ready')).then(() => undefined),
    problems,
  };
}
