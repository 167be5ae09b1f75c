// The Costs panel's webview in headless Chromium as VS Code would run it (webviewPage.ts). Used by bench/costsView.ts
// and the costs DOM test.
import type { Browser } from 'playwright-core';
import { bundleWebview, openWebviewPage } from './webviewPage';
import type { WebviewBundle, WebviewPage } from './webviewPage';

export type CostsBundle = WebviewBundle;
export type CostsPage = WebviewPage;

/** Bundles webview/costs/main.ts as a release does. */
export const bundleCosts = (): Promise<CostsBundle> => bundleWebview('costs');

export const openCostsPage = (browser: Browser, bundle: CostsBundle, toHost?: (message: unknown) => void): Promise<CostsPage> =>
  openWebviewPage(browser, 'costs', 'Flotilla Costs', bundle, toHost);
