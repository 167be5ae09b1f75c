// Runs the Trace panel webview bundle in headless Chromium as VS Code would: the real HTML shell and CSP from
// webviewHtml.ts, files served from one origin, the stub acquireVsCodeApi of the approvals page (posted messages go to
// Node). Used by bench/traceRender.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { buildWebviewHtml } from '../../../src/vscode/webviewHtml';
import { STUB_VSCODE_API } from './approvalsPage';

const ORIGIN = 'https://flotilla.test';
const ROOT = join(__dirname, '..', '..', '..');

export interface TraceBundle {
  readonly js: string;
  readonly css: string;
}

/** Bundles webview/trace/main.ts with the options esbuild.mjs uses for webviews (minified as in a release). */
export async function bundleTrace(): Promise<TraceBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-trace-'));
  try {
    await esbuild.build({
      entryPoints: [join(ROOT, 'webview/trace/main.ts')],
      outfile: join(dir, 'trace.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'error',
    });
    return { js: readFileSync(join(dir, 'trace.js'), 'utf8'), css: readFileSync(join(dir, 'trace.css'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TracePage {
  readonly page: Page;
  /** Resolves once the page has posted `ready`. */
  waitForReady(): Promise<void>;
  readonly problems: string[];
}

export async function openTracePage(browser: Browser, bundle: TraceBundle, toHost?: (message: unknown) => void): Promise<TracePage> {
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
      body: buildWebviewHtml({ title: 'Flotilla Trace', cspSource: ORIGIN, scriptUri: `${ORIGIN}/trace.js`, styleUris: [`${ORIGIN}/theme.css`, `${ORIGIN}/trace.css`], codiconsUri: `${ORIGIN}/codicon.css` }),
    },
    '/trace.js': { type: 'text/javascript', body: bundle.js },
    '/trace.css': { type: 'text/css', body: bundle.css },
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
