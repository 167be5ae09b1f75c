// After a window reload a budget per day counts what was spent earlier today: the stored model requests since local
// midnight (real SQLite, each request priced as metering prices it), not the agent's total and not zero; yesterday's
// requests do not count, and the pause they cause is silent (announced before the reload).
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import { Fleet } from '../../../src/core/fleet/fleet';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import type { BudgetAlert } from '../../../src/core/budget/budgetWatch';
import { storeHistory } from '../../../src/core/budget/dayUsage';
import { budgetFraction } from '../../../src/core/budget/budgetText';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { Usage } from '../../../src/shared/agent';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { FakeClock } from '../../kit/fakeClock';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';

describeEachDriver('budget per day after a reload', (t) => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });
  const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();

  it("counts today's stored requests, priced one by one, and nothing from yesterday", () => {
    const clock = new FakeClock(local(2026, 11, 29, 20));
    const store = t.open({}, undefined);
    const book = new PriceBook({});
    const price = (model: string, u: Usage, r: { cacheWrite1h: number }) => {
      const p = book.price(model, { ...u, cacheWrite1h: r.cacheWrite1h });
      return p.ok ? p.costUsd : undefined;
    };
    const fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    // An agent started yesterday, still running: $0.45 yesterday, then two requests today.
    const { agent } = fleet.create({ name: 'nightly', kind: 'claude-code', cwd: '/tmp', budget: { usd: 1, period: 'day' } });
    store.upsertAgent({ id: agent.id, name: agent.name, kind: 'claude-code', status: 'working' });
    const requests = [
      // Yesterday 23:59: 150k input = $0.45.
      { input: 150_000, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 11, 29, 23, 59) },
      // Today 00:01: 100k input + 10k output = $0.30 + $0.15; 13:00: 2000 cache writes, 1000 of them 1-hour = 1000*3.75 + 1000*6 per M.
      { input: 100_000, output: 10_000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 11, 30, 0, 1) },
      { input: 0, output: 0, cacheRead: 0, cacheWrite: 2000, cacheWrite1h: 1000, at: local(2026, 11, 30, 13) },
    ];
    for (const r of requests) {
      store.addUsageRequest({ agentId: agent.id, model: SONNET, ...r });
      const { cacheWrite1h, at: _at, ...usage } = r;
      fleet.addUsage(agent.id, SONNET, usage, price(SONNET, usage, { cacheWrite1h }));
    }
    clock.advance(local(2026, 11, 30, 15) - clock.now());
    const today = 0.45 + 0.00375 + 0.006;
    assert.equal(fleet.get(agent.id)!.costUsd.toFixed(6), (0.45 + today).toFixed(6));

    // The window reloads: a new watch, following the facts, with the store's history.
    const alerts: BudgetAlert[] = [];
    const watch = new BudgetWatch({ fleet, clock, log: memoryLogger(), budgets: { fleet: undefined, groups: {} }, tickMs: 60_000 });
    watch.onDidAlert((a) => alerts.push(a));
    const facts = new Emitter<{ agentId: string; signal: AgentSignal }>();
    watch.follow(facts.event, storeHistory((since) => store.usageRequestsSince(since), price));
    try {
      const mark = fleet.get(agent.id)!.budgetMarks!.day!;
      assert.equal(mark.since, local(2026, 11, 30, 0));
      assert.equal(mark.usd.toFixed(6), '0.450000');
      assert.equal(mark.tokens, 150_000);
      assert.equal(budgetFraction(fleet.get(agent.id)!, clock.now()), '$0.46/$1 today');
      assert.equal(fleet.get(agent.id)!.budgetPaused, undefined);

      // $0.60 more today passes the $1: paused, announced (this one is new).
      fleet.addUsage(agent.id, SONNET, { input: 200_000, output: 0, cacheRead: 0, cacheWrite: 0 }, 0.6);
      assert.equal(fleet.get(agent.id)!.budgetPaused, true);
      // One jump past 70, 90 and 100 %: one alert, the 100 % one.
      assert.deepEqual(alerts.map((a) => [a.threshold, a.period]), [[1, 'day']]);
    } finally {
      watch.dispose();
    }
  });

  it('a reload after spending the day is paused at once, silently', () => {
    const clock = new FakeClock(local(2026, 11, 30, 15));
    const store = t.open({}, undefined);
    const fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    const { agent } = fleet.create({ name: 'spent', kind: 'claude-code', cwd: '/tmp', budget: { tokens: 1000, period: 'day' } });
    store.upsertAgent({ id: agent.id, name: agent.name, kind: 'claude-code', status: 'working' });
    store.addUsageRequest({ agentId: agent.id, model: 'my-local-model', input: 1500, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, at: local(2026, 11, 30, 9) });
    fleet.addUsage(agent.id, 'my-local-model', { input: 1500, output: 0, cacheRead: 0, cacheWrite: 0 });
    const alerts: BudgetAlert[] = [];
    const watch = new BudgetWatch({ fleet, clock, log: memoryLogger(), budgets: { fleet: undefined, groups: {} } });
    watch.onDidAlert((a) => alerts.push(a));
    watch.follow(new Emitter<{ agentId: string; signal: AgentSignal }>().event, storeHistory((since) => store.usageRequestsSince(since), () => undefined));
    try {
      assert.equal(fleet.get(agent.id)!.budgetPaused, true);
      assert.equal(fleet.get(agent.id)!.budgetReason, '1.5k tokens of 1k tokens today for spent');
      assert.deepEqual(alerts, []);
    } finally {
      watch.dispose();
    }
  });
});
