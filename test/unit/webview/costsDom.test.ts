// The Costs webview in headless Chromium under the real CSP, fed a real report (real SQLite store, real pricing):
// agent text stays text, the summary and tables show the figures with budgets, headers sort (and say so to screen
// readers), tabs work from the keyboard, the period buttons ask the host, a reload asks for the period shown, and each
// subagent shows under its agent (its type, agent-supplied, as text).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { buildCostReport } from '../../../src/core/cost/costReport';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { CostReport } from '../../../src/shared/webview/costsProtocol';
import { CHROMIUM, launchChromium } from './approvalsPage';
import { bundleCosts, openCostsPage } from './costsPage';
import type { CostsBundle, CostsPage } from './costsPage';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const EVIL = '<img src=x onerror="window.__pwned=1">';

describeEachDriver('Costs webview in Chromium', (t) => {
  let browser: Browser;
  let bundle: CostsBundle;
  let p: CostsPage;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`    skipped: no Chromium at ${CHROMIUM} (install Debian's chromium or set FLOTILLA_CHROMIUM)`);
      this.skip();
    }
    bundle = await bundleCosts();
    browser = await launchChromium();
  });
  after(async () => browser?.close());

  function report(days: 7 | 30): CostReport {
    const store = t.open();
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    const now = Date.now();
    // 1000*3 + 100000*15 ... : a1 $1.503 (1000 in, 100k out), a2 $0.018 (1000 in, 1000 out).
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1000, output: 100_000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now - 1000 });
    store.addUsageRequest({ agentId: 'a2', model: SONNET, input: 1000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now - 2 * 86_400_000 });
    const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });
    return buildCostReport({
      days,
      now,
      agents: [
        { id: 'a1', name: EVIL, group: 'web', status: 'working', costUsd: 1.503, usage: usage(1000, 100_000), budget: { usd: 5 } },
        { id: 'a2', name: 'beta', group: 'api', status: 'idle', costUsd: 0.018, usage: usage(1000, 1000) },
      ],
      budgets: { fleet: { usd: 10 }, groups: { web: { usd: 2 } } },
      history: store,
      book: new PriceBook({}),
    });
  }

  const posted = () => p.page.evaluate<unknown[]>('window.__posted');
  const send = (r: CostReport) => p.page.evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify({ type: 'report', report: r })} }))`);
  const column = (testid: string, i: number) => p.page.$$eval(`[data-testid=${testid}] tbody tr`, (rows, k) => rows.map((r) => r.children[k as number]!.textContent), i);

  it('renders agent text as text, figures with budgets, sorts, tabs by keyboard, asks for a period, restores it', async () => {
    p = await openCostsPage(browser, bundle);
    await p.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await posted(), [{ type: 'ready' }]);
    await send(report(30));

    assert.match((await p.page.textContent('[data-testid=summary]'))!, /^Fleet: \$1\.52 in the last 30 days \(2 requests\) · \$1\.52 since start · fleet budget \$1\.52 of \$10 \(15 %\)$/);
    assert.deepEqual(await column('agents-table', 0), [EVIL, 'beta']);
    assert.equal(await p.page.$$eval('[data-testid=agents-table] img', (x) => x.length), 0);
    assert.equal(await p.page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(await column('agents-table', 5), ['$1.50 of $5 (30 %)', '']);
    assert.ok(await p.page.$('.chart canvas'), 'the chart is drawn');
    // A theme change (the body's class, the variables on <html>) draws the chart again, in the new colours.
    await p.page.evaluate("document.querySelector('.chart .uplot').dataset.old = '1'; document.body.className = 'vscode-light'");
    await p.page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
      return d.querySelectorAll('.chart .uplot').length === 1 && d.querySelectorAll('.chart .uplot[data-old]').length === 0;
    });

    // Sort by agent name: ascending first for text, then descending; aria-sort follows.
    await p.page.click('[data-testid=agents-table] button[data-sort=name]');
    assert.deepEqual(await column('agents-table', 0), [EVIL, 'beta']);
    await p.page.click('[data-testid=agents-table] button[data-sort=name]');
    assert.deepEqual(await column('agents-table', 0), ['beta', EVIL]);
    assert.equal(await p.page.getAttribute('[data-testid=agents-table] th:has(button[data-sort=name])', 'aria-sort'), 'descending');
    assert.equal(await p.page.evaluate('document.activeElement.dataset.sort'), 'name', 'focus stays on the header after the re-render');

    // Tabs from the keyboard.
    await p.page.focus('[data-tab=agents]');
    await p.page.keyboard.press('ArrowRight');
    assert.deepEqual(await column('groups-table', 0), ['web', 'api']);
    assert.deepEqual(await column('groups-table', 4), ['$1.50 of $2 (75 %)', '']);
    await p.page.keyboard.press('ArrowRight');
    assert.deepEqual(await column('models-table', 0), [SONNET]);
    await p.page.click('[data-tab=days]');
    assert.equal((await column('days-table', 0)).length, 30);

    // The period: asked of the host, kept across a reload.
    await p.page.click('button[data-days="7"]');
    assert.deepEqual((await posted()).at(-1), { type: 'period', days: 7 });
    await send(report(7));
    await p.page.reload();
    await p.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await posted(), [{ type: 'ready', days: 7 }]);
    await send(report(7));
    assert.equal(await p.page.getAttribute('[data-tab=days]', 'aria-selected'), 'true', 'the tab is restored');
    assert.equal((await column('days-table', 0)).length, 7);

    assert.deepEqual(await p.page.evaluate('window.__csp'), [], 'CSP violations');
    assert.deepEqual(p.problems.filter((m) => m.startsWith('uncaught') || m.startsWith('error')), [], 'page errors');
    await p.page.context().close();
  });

  it("shows each subagent under its agent ('↳ Explore subagent · $0.1200'), its type as text, kept under it when sorted", async () => {
    const store = t.open();
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    const now = Date.now();
    const at = now - 1000;
    // a1's own request $0.018; its Explore subagent 10000*3 + 6000*15 = $0.12 over two requests; another subagent whose
    // type is markup: 1000*3 + 1000*15 = $0.018. a2: $1.503, no subagents.
    const req = (agentId: string, input: number, output: number, subagent?: string, subagentType?: string) =>
      store.addUsageRequest({ agentId, model: SONNET, input, output, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at, ...(subagent ? { subagent, ...(subagentType ? { subagentType } : {}) } : {}) });
    req('a1', 1000, 1000);
    req('a1', 6000, 3000, 'afec462623b30aa68', 'Explore');
    req('a1', 4000, 3000, 'afec462623b30aa68', 'Explore');
    req('a1', 1000, 1000, 'aa91f1027daeb7c12', EVIL);
    req('a2', 1000, 100_000);
    const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    const r = buildCostReport({
      days: 7,
      now,
      agents: [
        { id: 'a1', name: 'lead', status: 'working', costUsd: 0.156, usage },
        { id: 'a2', name: 'solo', status: 'idle', costUsd: 1.503, usage },
      ],
      budgets: { fleet: undefined, groups: {} },
      history: store,
      book: new PriceBook({}),
    });
    assert.deepEqual(
      r.agents.find((a) => a.id === 'a1')!.subagents!.map((s) => [s.id, s.type, s.periodUsd.toFixed(6), s.requests]),
      [
        ['afec462623b30aa68', 'Explore', '0.120000', 2],
        ['aa91f1027daeb7c12', EVIL, '0.018000', 1],
      ],
    );
    assert.equal(r.agents.find((a) => a.id === 'a2')!.subagents, undefined);

    p = await openCostsPage(browser, bundle);
    await p.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
    await send(r);
    await p.page.click('[data-tab=agents]');
    const rows = () => p.page.$$eval('[data-testid=agents-table] tbody tr', (trs) => trs.map((tr) => `${tr.className}|${tr.children[0]!.textContent}|${tr.children[3]!.textContent}`));
    assert.deepEqual(await rows(), ['|solo|$1.50', '|lead|$0.1560', `secondary|↳ Explore subagent · $0.1200|$0.1200`, `secondary|↳ ${EVIL} subagent · $0.0180|$0.0180`]);
    assert.equal(await p.page.$$eval('[data-testid=agents-table] img', (x) => x.length), 0);
    assert.equal(await p.page.evaluate('window.__pwned'), undefined);
    // Sorted the other way, the subagents stay under their agent.
    await p.page.click('[data-testid=agents-table] button[data-sort=period]');
    assert.deepEqual(await rows(), ['|lead|$0.1560', `secondary|↳ Explore subagent · $0.1200|$0.1200`, `secondary|↳ ${EVIL} subagent · $0.0180|$0.0180`, '|solo|$1.50']);
    assert.match((await p.page.getAttribute('[data-testid=agents-table] tr.secondary td', 'title'))!, /^subagent afec462623b30aa68 \(Explore\): \$0\.120000 in the period, 2 requests; included in the agent's figures$/);
    assert.deepEqual(p.problems.filter((m) => m.startsWith('uncaught') || m.startsWith('error')), [], 'page errors');
    await p.page.context().close();
  });
});
