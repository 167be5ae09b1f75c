// Runs the Approvals webview bundle in headless Chromium as VS Code would: the real HTML shell and CSP from
// webviewHtml.ts, files served from one origin, a stub acquireVsCodeApi that hands posted messages to Node.
// Used by the DOM tests here and by bench/approvalsPanel.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { ApprovalsHostMessage } from '../../../src/shared/webview/approvalsProtocol';
import { buildWebviewHtml } from '../../../src/vscode/webviewHtml';

const ORIGIN = 'https://flotilla.test';
const ROOT = join(__dirname, '..', '..', '..');

export const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

export interface Bundle {
  readonly js: string;
  readonly css: string;
  dispose(): void;
}

/** Bundles webview/approvals/main.ts with the options esbuild.mjs uses for webviews (minified as in a release). */
export async function bundleApprovals(minify = true): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-approvals-'));
  await esbuild.build({
    entryPoints: [join(ROOT, 'webview/approvals/main.ts')],
    outfile: join(dir, 'approvals.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify,
    legalComments: 'none',
    logLevel: 'error',
  });
  return {
    js: readFileSync(join(dir, 'approvals.js'), 'utf8'),
    css: readFileSync(join(dir, 'approvals.css'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

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

export interface ApprovalsPage {
  readonly page: Page;
  /** Messages the webview posted, oldest first. */
  posted(): Promise<unknown[]>;
  /** Resolves once the page has posted `ready`. */
  waitForReady(): Promise<void>;
  /** Delivers a host message the way VS Code does (a window 'message' event). */
  send(message: ApprovalsHostMessage | Record<string, unknown>): Promise<void>;
  /** CSP violations the page reported. */
  cspViolations(): Promise<string[]>;
  /** Uncaught errors and console errors/warnings of the page. */
  readonly problems: string[];
}

/**
 * Opens the panel page. `toHost` (optional) receives each posted message in Node as it is posted,
 * which is how the bench connects a real ApprovalsHostEndpoint.
 */
export async function openApprovalsPage(browser: Browser, bundle: Bundle, toHost?: (message: unknown) => void): Promise<ApprovalsPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  if (toHost) await page.exposeFunction('__toHost', toHost);
  await page.addInitScript({ content: STUB_VSCODE_API });
  const codicons = join(ROOT, 'node_modules/@vscode/codicons/dist');
  const files: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': {
      type: 'text/html',
      body: buildWebviewHtml({
        title: 'Flotilla Approvals',
        cspSource: ORIGIN,
        scriptUri: `${ORIGIN}/dist/webview/approvals.js`,
        styleUris: [`${ORIGIN}/theme.css`, `${ORIGIN}/dist/webview/approvals.css`],
        codiconsUri: `${ORIGIN}/codicons/codicon.css`,
      }),
    },
    '/dist/webview/approvals.js': { type: 'text/javascript', body: bundle.js },
    '/dist/webview/approvals.css': { type: 'text/css', body: bundle.css },
    '/theme.css': { type: 'text/css', body: readFileSync(join(__dirname, 'vscodeTheme.css')) },
    '/codicons/codicon.css': { type: 'text/css', body: readFileSync(join(codicons, 'codicon.css')) },
    '/codicons/codicon.ttf': { type: 'font/ttf', body: readFileSync(join(codicons, 'codicon.ttf')) },
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
    problems,
    cspViolations: () => page.evaluate<string[]>('window.__csp.slice()'),
  };
}

/**
 * Mocha hooks for a describe block of Approvals page tests: Chromium and the bundle once (the block is skipped
 * without Chromium), and after each test the page checked for CSP violations and page errors, then closed. Tests
 * open pages with `session.open()`.
 */
export function useApprovalsPages(): { open(toHost?: (message: unknown) => void): Promise<ApprovalsPage> } {
  let browser: Browser | undefined;
  let bundle: Bundle | undefined;
  let page: ApprovalsPage | undefined;
  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`    skipped: no Chromium at ${CHROMIUM} (install Debian's chromium or set FLOTILLA_CHROMIUM)`);
      this.skip();
    }
    bundle = await bundleApprovals(true);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    bundle?.dispose();
  });
  afterEach(async () => {
    if (!page) return;
    const p = page;
    page = undefined;
    assert.deepEqual(await p.cspViolations(), [], 'CSP violations');
    assert.deepEqual(p.problems.filter((m) => m.startsWith('uncaught') || m.startsWith('error')), [], 'page errors');
    await p.page.context().close();
  });
  return {
    async open(toHost) {
      page = await openApprovalsPage(browser!, bundle!, toHost);
      return page;
    },
  };
}
