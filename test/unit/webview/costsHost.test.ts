// The Costs panel's host end on a real store and the real report: nothing before `ready`, a report of the period the
// panel asks for (valid after JSON, agent text unchanged), another on a period change, changes coalesced into one
// report, nothing once detached, a failing report shown as an error, bad input logged and ignored.
import assert from 'node:assert/strict';
import { buildCostReport } from '../../../src/core/cost/costReport';
import type { CostAgent } from '../../../src/core/cost/costReport';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { CostReportRunner } from '../../../src/core/cost/costReportRunner';
import { CostsHostEndpoint } from '../../../src/shared/webview/costsHost';
import { costWorkerBundle } from '../cost/costWorkerBundle';
import { parseCostsHostMessage } from '../../../src/shared/webview/costsProtocol';
import type { CostPeriod, CostsHostMessage } from '../../../src/shared/webview/costsProtocol';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';

describeEachDriver('costs panel host endpoint', (t) => {
  it('answers ready with a report of the asked period, again on a period change and (coalesced) on spending', async () => {
    const store = t.open();
    store.upsertAgent({ id: 'a1', name: 'a1', kind: 'claude-code', status: 'idle' });
    const agents: CostAgent[] = [{ id: 'a1', name: '<img src=x onerror=alert(1)>', group: 'web', status: 'working', costUsd: 0.0225, usage: { input: 1000, output: 1000, cacheRead: 0, cacheWrite: 0 } }];
    const now = Date.now();
    // 1000*3 + 1000*15 = $0.018 today, 1000*0 + ... 2 days ago: 1500*3 = $0.0045.
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now - 1 });
    store.addUsageRequest({ agentId: 'a1', model: SONNET, input: 1500, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: now - 9 * 86_400_000 });
    const book = new PriceBook({});
    const posted: CostsHostMessage[] = [];
    const warnings: string[] = [];
    let fail = false;
    const endpoint = new CostsHostEndpoint({
      report: (days: CostPeriod) => {
        if (fail) throw new Error('database is locked');
        return buildCostReport({ days, now: Date.now(), agents, budgets: { fleet: { usd: 10 }, groups: {} }, history: store, book });
      },
      post: (m) => {
        const parsed = parseCostsHostMessage(JSON.parse(JSON.stringify(m)));
        if (!parsed.ok) throw new Error(parsed.error.message);
        posted.push(parsed.message);
      },
      log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) },
      coalesceMs: 20,
      // A clock that stands still: reports take no time, so refreshes wait exactly coalesceMs (see the next test).
      now: () => 0,
    });
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    };

    endpoint.changed();
    endpoint.receive({ type: 'period', days: 7 });
    assert.equal(posted.length, 0, 'nothing before ready');

    endpoint.receive({ type: 'ready', days: 7 });
    assert.equal(posted.length, 1);
    const first = posted[0]!;
    assert.ok(first.type === 'report');
    assert.equal(first.report.days, 7);
    assert.equal(first.report.fleet.periodUsd.toFixed(6), '0.018000', 'the request of 9 days ago is outside 7 days');
    assert.equal(first.report.agents[0]!.name, '<img src=x onerror=alert(1)>');
    assert.deepEqual(first.report.fleet.budget, { text: '$10', usd: 10 });

    endpoint.receive({ type: 'period', days: 30 });
    const second = posted[1]!;
    assert.ok(second.type === 'report');
    assert.equal(second.report.days, 30);
    assert.equal(second.report.dayLabels.length, 30);
    assert.equal(second.report.fleet.periodUsd.toFixed(6), '0.022500');
    assert.equal(endpoint.period, 30);

    endpoint.changed();
    endpoint.changed();
    endpoint.changed();
    assert.equal(posted.length, 2, 'changes gather first');
    await until(() => posted.length > 2);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(posted.length, 3, 'three changes, one report');

    endpoint.receive({ type: 'period', days: 14 });
    endpoint.receive({ type: 'nonsense' });
    assert.equal(posted.length, 3);
    assert.match(warnings[0]!, /period\.days/);
    assert.match(warnings[1]!, /type: expected one of 'ready', 'period'/);

    fail = true;
    endpoint.receive({ type: 'period', days: 7 });
    assert.deepEqual(posted[3], { type: 'error', message: 'Could not compute costs: database is locked' });

    endpoint.detach();
    fail = false;
    endpoint.changed();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(posted.length, 4, 'nothing while detached');
    endpoint.receive({ type: 'ready' });
    assert.ok(posted[4]?.type === 'report' && posted[4].report.days === 7, 'a reloaded panel without a period keeps the last one');
    endpoint.dispose();
  });

  it('waits ten times as long as the last report took before a live refresh', () => {
    let clock = 0;
    const endpoint = new CostsHostEndpoint({
      report: (days) => {
        clock += 400;
        return buildCostReport({ days, now: Date.now(), agents: [], budgets: { fleet: undefined, groups: {} }, history: t.open(), book: new PriceBook({}) });
      },
      post: () => undefined,
      log: { warn: () => undefined, error: () => undefined },
      coalesceMs: 1000,
      now: () => clock,
    });
    assert.equal(endpoint.refreshDelayMs, 1000);
    endpoint.receive({ type: 'ready' });
    assert.equal(endpoint.refreshDelayMs, 4000);
    endpoint.dispose();
  });

  it('with reports off the thread (the worker runner): only the newest is posted, a superseded one is not an error', async () => {
    const store = t.open();
    const runner = new CostReportRunner({ workerScript: await costWorkerBundle(), dbPath: t.dbPath, driver: t.driver, history: store, log: { info: () => undefined, warn: () => undefined } });
    const posted: CostsHostMessage[] = [];
    const errors: string[] = [];
    let clock = 0;
    const endpoint = new CostsHostEndpoint({
      report: (days) => runner.report({ days, now: Date.now(), agents: [], budgets: { fleet: undefined, groups: {} }, overrides: {} }),
      post: (m) => void posted.push(m),
      log: { warn: (m) => errors.push(m), error: (m) => errors.push(String(m)) },
      coalesceMs: 1000,
      now: () => (clock += 300),
    });
    try {
      endpoint.receive({ type: 'ready', days: 7 });
      endpoint.receive({ type: 'period', days: 30 });
      for (let i = 0; i < 500 && posted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(posted.map((m) => (m.type === 'report' ? m.report.days : m.type)), [30]);
      assert.deepEqual(errors, []);
      // Off the thread the host is not held: the refresh waits as long as the report took (here 300 ms), not ten times.
      assert.equal(endpoint.refreshDelayMs, 1000);
    } finally {
      endpoint.dispose();
      runner.dispose();
    }
  });
});
