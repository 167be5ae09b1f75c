// The Trace panel's cost chart in headless Chromium under the real CSP: uPlot draws on a canvas with no CSP violation,
// the text alternative and data-* figures equal the totals and follow the filters, the plot sits over the bars' track,
// the lines follow a theme change, and folding it away survives a reload.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { CHROMIUM, launchChromium } from './approvalsPage';
import { bundleTrace, openTracePage } from './tracePage';
import type { TraceBundle, TracePage } from './tracePage';

const NOW = 1_700_000_000_000;
const span = (id: string, agentId: string, start: number, costUsd: number, input: number): TraceSpan => ({
  traceId: 't', spanId: id, agentId, agentName: agentId, kind: 'model', name: `request ${id}`, start: NOW - 60_000 + start, end: NOW - 60_000 + start + 1_000, status: 'ok',
  tokens: { input, output: 10, cacheRead: 0, cacheWrite: 0 }, costUsd, attributes: {},
});
// Three charged requests, and enough tool calls without cost that the waterfall scrolls (its scrollbar takes width).
const tools = Array.from({ length: 80 }, (_, i): TraceSpan => ({ ...span(`t${i}`, i % 2 ? 'alpha' : 'beta', i * 500, 0, 0), kind: 'tool', name: 'Read', tokens: undefined, costUsd: undefined }));
const SPANS = [span('a1', 'alpha', 0, 0.25, 100), span('b1', 'beta', 10_000, 0.5, 200), span('a2', 'alpha', 30_000, 0.125, 300), ...tools];

describe('Trace cost chart in Chromium', function () {
  let browser: Browser;
  let bundle: TraceBundle;
  let p: TracePage;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`    skipped: no Chromium at ${CHROMIUM} (install Debian's chromium or set FLOTILLA_CHROMIUM)`);
      this.skip();
    }
    bundle = await bundleTrace();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  // In-page code as text (this tsconfig has no DOM types).
  const send = (message: unknown) => p.page.evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify(message)} }))`);
  const chart = () => p.page.$eval('[data-testid=cost-chart]', (e) => ({ label: e.getAttribute('aria-label'), costUsd: e.getAttribute('data-cost-usd'), tokens: e.getAttribute('data-tokens'), hidden: e.hasAttribute('hidden') }));
  const totals = () => p.page.$eval('[data-testid=totals]', (e) => ({ costUsd: e.getAttribute('data-cost-usd'), tokens: Number(e.getAttribute('data-input')) + Number(e.getAttribute('data-output')) }));
  const settle = () => p.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  // A function, not a string: a string predicate is evaluated with eval, which the page's CSP refuses.
  type Doc = { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } };
  const chartCost = (usd: string) =>
    p.page.waitForFunction((want) => (globalThis as unknown as Doc).document.querySelector('[data-testid=cost-chart]')?.getAttribute('data-cost-usd') === want, usd);

  it('draws the totals the filters show, over the bars, and stays folded after a reload', async () => {
    p = await openTracePage(browser, bundle);
    await p.waitForReady();
    await send({ type: 'snapshot', title: 'Fleet Timeline', spans: SPANS, now: NOW });
    await chartCost('0.875');
    const all = await chart();
    assert.equal(all.costUsd, (await totals()).costUsd);
    assert.equal(Number(all.tokens), 630);
    assert.match(all.label ?? '', /^Cumulative cost and tokens: \$0\.8750 and 630 tokens \(630\) over /);
    assert.equal(await p.page.$$eval('.chart-plot canvas', (c) => c.length), 1, 'uPlot drew on a canvas');

    // The plot's x range is the rows' track: same left edge and width.
    const box = (selector: string) => p.page.$eval(selector, (e) => {
      const r = e.getBoundingClientRect();
      return { left: Math.round(r.left), width: Math.round(r.width) };
    });
    // Headless Chromium hides scrollbars (Playwright's --hide-scrollbars), so the scrollbar gutter is 0 here.
    assert.ok(await p.page.$eval('.waterfall', (e) => e.scrollHeight > e.clientHeight), 'the waterfall scrolls');
    const plot = await box('.chart-plot');
    const track = await box('[data-testid=span-row] .track');
    assert.ok(Math.abs(plot.left - track.left) <= 1 && Math.abs(plot.width - track.width) <= 1, `plot ${JSON.stringify(plot)} over track ${JSON.stringify(track)}`);

    // A theme change (VS Code sets the variables on <html>): the lines take the theme's chart colours.
    const hasColour = (rgb: [number, number, number]) =>
      p.page.evaluate(`(() => {
        const c = document.querySelector('.chart-plot canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - ${rgb[0]}) < 8 && Math.abs(d[i + 1] - ${rgb[1]}) < 8 && Math.abs(d[i + 2] - ${rgb[2]}) < 8 && d[i + 3] > 200) return true;
        return false;
      })()`);
    assert.equal(await hasColour([255, 0, 255]), false);
    await p.page.evaluate(`document.documentElement.style.setProperty('--vscode-charts-orange', 'rgb(255, 0, 255)')`);
    await settle();
    assert.equal(await hasColour([255, 0, 255]), true, 'the cost line in the new theme colour');

    await p.page.selectOption('[data-testid=filter-agent]', 'alpha');
    await chartCost('0.375');
    assert.deepEqual({ costUsd: (await chart()).costUsd, tokens: Number((await chart()).tokens) }, await totals(), 'the chart counts what the totals count');

    await p.page.click('[data-testid=chart-toggle]');
    await settle();
    assert.equal(await p.page.getAttribute('[data-testid=chart-toggle]', 'aria-expanded'), 'false');
    assert.equal((await chart()).hidden, true);

    await p.page.reload();
    await p.waitForReady();
    await send({ type: 'snapshot', title: 'Fleet Timeline', spans: SPANS, now: NOW });
    await settle();
    assert.equal(await p.page.getAttribute('[data-testid=chart-toggle]', 'aria-expanded'), 'false', 'folded after a reload');
    assert.equal((await chart()).hidden, true);
    await p.page.click('[data-testid=chart-toggle]');
    await chartCost('0.375');

    assert.deepEqual(await p.page.evaluate<string[]>('window.__csp.slice()'), [], 'CSP violations');
    assert.deepEqual(p.problems, [], 'page errors and warnings');
    await p.page.context().close();
  });
});
