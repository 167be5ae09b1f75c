// The Trace panel's webview in headless Chromium as VS Code would run it (webviewPage.ts). Used by bench/traceRender.ts
// and the trace DOM tests.
import type { Browser } from 'playwright-core';
import { bundleWebview, openWebviewPage } from './webviewPage';
import type { WebviewBundle, WebviewPage } from './webviewPage';

export type TraceBundle = WebviewBundle;
export type TracePage = WebviewPage;

/** Bundles webview/trace/main.ts as a release does. */
export const bundleTrace = (): Promise<TraceBundle> => bundleWebview('trace');

export const openTracePage = (browser: Browser, bundle: TraceBundle, toHost?: (message: unknown) => void): Promise<TracePage> =>
  openWebviewPage(browser, 'trace', 'Flotilla Trace', bundle, toHost);
