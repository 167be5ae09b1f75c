// Runs a panel's webview bundle (webview/<name>/main.ts) in headless Chromium as VS Code would: the real HTML shell and
// CSP from webviewHtml.ts, files served from one origin, a stub acquireVsCodeApi whose posted messages go to Node, and
// a log of CSP violations. The Approvals, Trace and Costs pages (approvalsPage.ts, tracePage.ts, costsPage.ts) are this
// with their names.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { buildWebviewHtml } from '../../../src/vscode/webviewHtml';

const ORIGIN = 'https://flotilla.test';
const ROOT = join(__dirname, '..', '..', '..');

export const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// Runs in the page before the bundle: what VS Code's webview host provides, plus a CSP violation log. Plain
// source text: tsx would wrap a function's inner names in a `__name` helper that the page does not have.
export const STUB_VSCODE_API = `
  globalThis.__name = (f) => f;
  const posted = [];
  const csp = [];
  window.__posted = posted;
  window.__csp = csp;
  document.addEventListener('securitypolicyviolation', (e) => csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      if (window.__toHost) window.__toHost(message);
    },
    getState() {
      const saved = sessionStorage.getItem('vscodeState');
      return saved === null ? undefined : JSON.parse(saved);
    },
    setState(state) {
      sessionStorage.setItem('vscodeState', JSON.stringify(state));
    },
  });
`;

export interface WebviewBundle {
  readonly js: string;
  readonly css: string;
}

/** Bundles webview/<name>/main.ts with the options esbuild.mjs uses for webviews (minified as in a release). */
export async function bundleWebview(name: string, minify = true): Promise<WebviewBundle> {
  const dir = mkdtempSync(join(tmpdir(), `flotilla-${name}-`));
  try {
    await esbuild.build({
      entryPoints: [join(ROOT, `webview/${name}/main.ts`)],
      outfile: join(dir, `${name}.js`),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify,
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
  /** Messages the webview posted, oldest first. */
  posted(): Promise<unknown[]>;
  /** Resolves once the page has posted `ready`. */
  waitForReady(): Promise<void>;
  /** Delivers a host message the way VS Code does (a window 'message' event). */
  send(message: object): Promise<void>;
  /** CSP violations the page reported. */
  cspViolations(): Promise<string[]>;
  /** Uncaught errors, console errors and warnings of the page. */
  readonly problems: string[];
}

/** Opens the page of bundle `name` under `title`; `toHost` gets each message the panel posts (the first is `ready`). */
export async function openWebviewPage(
  browser: Browser,
  name: string,
  title: string,
  bundle: WebviewBundle,
  toHost?: (message: unknown) => void,
  viewport = { width: 1400, height: 900 },
): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport });
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
    posted: () => page.evaluate<unknown[]>('window.__posted.slice()'),
    // Page code is plain text or typed structurally here: the test tsconfig has no DOM types. waitForFunction takes
    // a function, not text: text would be eval'd in the page, which its CSP (rightly) refuses.
    waitForReady: () =>
      page.waitForFunction(() => (globalThis as unknown as { __posted: { type?: string }[] }).__posted.some((m) => m.type === 'ready')).then(() => undefined),
    send: (message) => page.evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify(message)} }))`).then(() => undefined),
    cspViolations: () => page.evaluate<string[]>('window.__csp.slice()'),
    problems,
  };
}
