// Runs the Approvals webview bundle in headless Chromium as VS Code would: the real HTML shell and CSP from
// webviewHtml.ts, files served from one origin, a stub acquireVsCodeApi that hands posted messages to Node.
// Used by the DOM tests here and by bench/approvalsPanel.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ApprovalsHostMessage } from '../../../src/shared/webview/approvalsProtocol';
import { bundleWebview, CHROMIUM, launchChromium, openWebviewPage } from './webviewPage';
import type { WebviewPage } from './webviewPage';

export { CHROMIUM, launchChromium, STUB_VSCODE_API } from './webviewPage';

export interface Bundle {
  readonly js: string;
  readonly css: string;
  dispose(): void;
}

/** Bundles webview/approvals/main.ts with the options esbuild.mjs uses for webviews (minified as in a release). */
export async function bundleApprovals(minify = true): Promise<Bundle> {
  return { ...(await bundleWebview('approvals', minify)), dispose: () => undefined };
}

export interface ApprovalsPage extends WebviewPage {
  /** Delivers a host message the way VS Code does (a window 'message' event). */
  send(message: ApprovalsHostMessage | Record<string, unknown>): Promise<void>;
}

/**
 * Opens the panel page. `toHost` (optional) receives each posted message in Node as it is posted,
 * which is how the bench connects a real ApprovalsHostEndpoint.
 */
export function openApprovalsPage(browser: Browser, bundle: Bundle, toHost?: (message: unknown) => void): Promise<ApprovalsPage> {
  return openWebviewPage(browser, 'approvals', 'Flotilla Approvals', bundle, toHost, { width: 1100, height: 800 });
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
