// Budgets per day and per task, and wall time, on a real Fleet with the injected clock: a day budget pauses the agent
// and local midnight releases it (told like a raise), a task budget counts from each prompt (the router's turn fact)
// and a new task releases it without a word, group and fleet budgets per day sum their agents and per task bound each
// task, alerts come once per budget and period at the configured thresholds, wall time counts idle time, usage that
// goes back is logged and never subtracted, and the row shows the period ("$1.20/$5 today", "$0.40/$1 this task").
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import { Fleet } from '../../../src/core/fleet/fleet';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import type { BudgetAlert, BudgetRelease } from '../../../src/core/budget/budgetWatch';
import type { ScopeBudgets } from '../../../src/core/budget/budgetSettings';
import { budgetGate } from '../../../src/core/approvals/budgetGate';
import { budgetFraction, budgetLines, resumeMessage } from '../../../src/core/budget/budgetText';
import { parseBudgetInput } from '../../../src/core/budgetInput';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { BudgetLimits } from '../../../src/shared/agent';
import { scopeUse } from '../../../src/core/budget/periodBudgets';
import { AgentSnapshotSchema } from '../../../src/shared/agent';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { FakeClock } from '../../kit/fakeClock';

const none = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
const limits = (text: string): BudgetLimits => {
  const parsed = parseBudgetInput(text);
  assert.ok(parsed.ok && parsed.limits, text);
  return parsed.limits;
};

describe('budget periods', () => {
  let tz: string | undefined;
  let clock: FakeClock;
  let fleet: Fleet;
  let log: ReturnType<typeof memoryLogger>;
  let watch: BudgetWatch | undefined;
  let alerts: BudgetAlert[];
  let releases: BudgetRelease[];
  let facts: Emitter<{ agentId: string; signal: AgentSignal }>;

  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    // 30 Nov 2026, 23:00 local: midnight is an hour away.
    clock = new FakeClock(new Date(2026, 10, 30, 23, 0).getTime());
    log = memoryLogger();
    fleet = new Fleet(new MemoryPersistence(), log, () => clock.now());
    alerts = [];
    releases = [];
    facts = new Emitter();
  });
  afterEach(() => {
    watch?.dispose();
    watch = undefined;
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  const start = (budgets: ScopeBudgets = { fleet: undefined, groups: {} }) => {
    watch = new BudgetWatch({ fleet, clock, log, budgets, tickMs: 60_000 });
    watch.onDidAlert((a) => alerts.push(a));
    watch.onDidRelease((r) => releases.push(r));
    watch.follow(facts.event);
    return watch;
  };
  const agent = (name: string, opts: { group?: string; budget?: string } = {}) =>
    fleet.create({ name, kind: 'claude-code', cwd: '/tmp', ...(opts.group ? { group: opts.group } : {}), ...(opts.budget ? { budget: limits(opts.budget) } : {}) }).agent.id;
  const spend = (id: string, usd: number) => fleet.addUsage(id, 'claude-sonnet-4-5', { ...none, output: 1 }, usd);
  const prompt = (id: string) => {
    fleet.apply(id, 'promptSubmitted');
    facts.fire({ agentId: id, signal: { type: 'turn', phase: 'started' } });
  };
  const shown = () => alerts.map((a) => `${a.level} ${a.message}`);
  const gate = () => budgetGate(clock, (x) => watch!.spentScopes(x));
  const call = (id: string) => gate()({ agent: fleet.get(id)!, action: { tool: 'Bash', input: {}, summary: 'Bash: ls' }, cwd: '/tmp' });

  it('a budget per day pauses the agent with "today" in every text; local midnight releases it and it is told', () => {
    start();
    const id = agent('daily', { budget: '$1/day' });
    spend(id, 0.75);
    assert.equal(budgetFraction(fleet.get(id)!, clock.now()), '$0.75/$1 today');
    assert.deepEqual(budgetLines(fleet.get(id)!, clock.now()), ['$0.75 of $1.00 today (75 %)']);
    spend(id, 0.45);
    assert.deepEqual(shown(), [
      'info Budget 70 %: daily has spent $0.75 of $1.00 today.',
      'critical Budget exhausted: daily has spent $1.20 of $1.00 today. Its next tool call is denied and it waits for you (or for midnight).',
    ]);
    assert.equal(fleet.get(id)!.budgetPaused, true);
    assert.equal(fleet.get(id)!.budgetReason, '$1.20 of $1.00 today for daily');
    const verdict = call(id);
    assert.equal(verdict.kind, 'deny');
    assert.match((verdict as { reason: string }).reason, /^budget exhausted: \$1\.20 of \$1\.00 today for daily; waiting for the operator/);
    watch!.noteDenied(id);

    clock.advance(59 * 60_000);
    assert.equal(fleet.get(id)!.budgetPaused, true, 'still the same day');
    clock.advance(60_000);
    assert.equal(new Date(clock.now()).getHours(), 0);
    assert.equal(fleet.get(id)!.budgetPaused, undefined, 'a new day');
    assert.deepEqual(releases.map((r) => [r.agent.name, r.denied, r.why]), [['daily', true, 'new-day']]);
    assert.match(resumeMessage(releases[0]!.agent, 'new-day'), /^Flotilla: a new day began, so the budget per day has room again \(daily: \$1\/day\); the operator lets you go on/);
    assert.equal(call(id).kind, 'pass');
    assert.equal(budgetFraction(fleet.get(id)!, clock.now()), '$0.00/$1 today');

    // The new day alerts again, once.
    spend(id, 0.8);
    spend(id, 0.01);
    assert.deepEqual(shown().slice(2), ['info Budget 70 %: daily has spent $0.80 of $1.00 today.']);
    // The total is untouched by the day.
    assert.equal(fleet.get(id)!.costUsd.toFixed(2), '2.01');
  });

  it('a budget per task counts from each prompt; a new task frees the agent without a word from Flotilla', () => {
    start();
    const id = agent('tasker', { budget: '$1 per task' });
    prompt(id);
    spend(id, 0.4);
    assert.equal(budgetFraction(fleet.get(id)!, clock.now()), '$0.40/$1 this task');
    spend(id, 0.7);
    assert.equal(fleet.get(id)!.budgetPaused, true);
    assert.equal(fleet.get(id)!.budgetReason, '$1.10 of $1.00 this task for tasker');
    assert.equal(alerts.at(-1)!.message, 'Budget exhausted: tasker has spent $1.10 of $1.00 this task. Its next tool call is denied and it waits for you (or for its next task).');
    assert.equal(call(id).kind, 'deny');
    watch!.noteDenied(id);
    fleet.apply(id, 'turnEnded');

    clock.advance(10_000);
    prompt(id);
    assert.equal(fleet.get(id)!.budgetPaused, undefined);
    assert.deepEqual(releases.map((r) => [r.denied, r.why]), [[false, 'new-task']]);
    assert.equal(fleet.get(id)!.budgetMarks?.task?.usd.toFixed(2), '1.10');
    assert.equal(budgetFraction(fleet.get(id)!, clock.now()), '$0.00/$1 this task');
    assert.equal(call(id).kind, 'pass');
    spend(id, 0.75);
    // Once per task: the first task jumped from 40 % past 70 and 90 to 100 % (one alert, the 100 % one); the next one
    // reaches 70 %.
    assert.deepEqual(alerts.map((a) => a.threshold), [1, 0.7]);
  });

  it("a group's budget per task bounds each task of each agent alone; a fleet budget per day sums every agent", () => {
    start({ fleet: limits('$3/day'), groups: { backend: limits('$1 per task') } });
    const a = agent('a', { group: 'backend' });
    const b = agent('b', { group: 'backend' });
    const c = agent('c');
    prompt(a);
    prompt(b);
    spend(a, 0.6);
    spend(b, 0.6);
    assert.equal(fleet.get(a)!.budgetPaused, undefined, 'each task alone: $0.60 of $1');
    spend(a, 0.5);
    assert.equal(fleet.get(a)!.budgetPaused, true);
    assert.equal(fleet.get(b)!.budgetPaused, undefined);
    assert.match(fleet.get(a)!.budgetReason!, /^\$1\.10 of \$1\.00 this task for group backend$/);
    assert.ok(shown().includes('critical Budget exhausted: a (group backend, per task) has spent $1.10 of $1.00 this task. Its next tool call is denied and it waits for you (or for its next task).'));
    assert.match((call(a) as { reason: string }).reason, /\$1\.10 of \$1\.00 this task for group backend/);

    // The fleet's day: $1.70 so far; c's $1.40 makes $3.10 of $3 and pauses all three.
    spend(c, 1.4);
    assert.deepEqual([a, b, c].map((id) => fleet.get(id)!.budgetPaused), [true, true, true]);
    assert.match(fleet.get(b)!.budgetReason!, /\$3\.10 of \$3\.00 today for the fleet/);
    assert.ok(shown().includes('critical Budget exhausted: the fleet has spent $3.10 of $3.00 today. The next tool call of every agent under it is denied and they wait for you (or for midnight).'));
    clock.advance(60 * 60_000);
    assert.deepEqual([a, b, c].map((id) => fleet.get(id)!.budgetPaused), [true, undefined, undefined], "a's task is still spent after midnight");
    prompt(a);
    assert.equal(fleet.get(a)!.budgetPaused, undefined);
  });

  it('wall time counts idle time; "2h" stays active time', () => {
    start();
    const wall = agent('wall', { budget: '1h wall' });
    const active = agent('active', { budget: '1h' });
    fleet.apply(wall, 'sessionStarted');
    fleet.apply(active, 'sessionStarted');
    clock.advance(61 * 60_000);
    assert.equal(fleet.get(wall)!.budgetPaused, true);
    assert.equal(fleet.get(wall)!.budgetReason, '61m wall of 60m wall for wall');
    assert.equal(fleet.get(active)!.budgetPaused, undefined, 'idle: no active time');
    assert.deepEqual(budgetLines(fleet.get(wall)!, clock.now()), ['1h 01m of 1h 00m wall time (101 %)']);
  });

  it('alerts at the configured thresholds, once per budget and period', () => {
    start({ fleet: undefined, groups: {}, alertThresholds: [0.5, 1] });
    const id = agent('half', { budget: '$2' });
    spend(id, 0.9);
    assert.equal(alerts.length, 0);
    spend(id, 0.2);
    spend(id, 0.2);
    assert.deepEqual(shown(), ['info Budget 50 %: half has spent $1.10 of $2.00.']);
    spend(id, 1);
    assert.equal(alerts.length, 2);
    assert.equal(alerts[1]!.level, 'critical');
  });

  it('usage that goes back (a rewritten transcript, a lower price) is logged and never subtracted', () => {
    start({ fleet: { usd: 2 }, groups: {} });
    const id = agent('rewound');
    spend(id, 1.5);
    fleet.repriced(id, 0.5, []);
    assert.ok(log.lines.some((l) => /agent rewound: usage went back .*\$1\.5 -> \$0\.5.*budgets keep the highest figures/.test(l)), log.lines.join('\n'));
    assert.equal(watch!.use({ kind: 'fleet' }).usd.used, 1.5);
    spend(id, 0.4);
    // Growth from the lower figure is not counted until it passes the highest seen.
    assert.equal(watch!.use({ kind: 'fleet' }).usd.used, 1.5);
    spend(id, 0.7);
    assert.equal(watch!.use({ kind: 'fleet' }).usd.used.toFixed(2), '1.60');
  });

  it("a group's use for its row: summed today, or its busiest task; marks and periods survive the store's schema", () => {
    start();
    const a = agent('a', { group: 'g', budget: '$2 per task' });
    const b = agent('b', { group: 'g' });
    spend(a, 0.5);
    prompt(a);
    spend(a, 0.25);
    spend(b, 0.4);
    const members = [fleet.get(a)!, fleet.get(b)!];
    assert.equal(scopeUse(members, limits('$5/day'), clock.now()).usd.toFixed(2), '1.15');
    assert.equal(scopeUse(members, limits('$1 per task'), clock.now()).usd.toFixed(2), '0.40');
    assert.equal(scopeUse(members, limits('$5'), clock.now()).usd.toFixed(2), '1.15');
    const stored = AgentSnapshotSchema.parse(JSON.parse(JSON.stringify(fleet.get(a))));
    assert.deepEqual(stored.budget, { usd: 2, period: 'task' });
    assert.equal(stored.budgetMarks?.task?.usd, 0.5);
  });

  it('an agent from an earlier day counts its day from the watch\'s start when there is no store (then from its mark)', () => {
    const id = agent('veteran', { budget: '$1/day' });
    fleet.apply(id, 'sessionStarted');
    spend(id, 5);
    clock.advance(2 * 60 * 60_000); // 01:00 the next day, no watch running
    start();
    assert.equal(fleet.get(id)!.budgetPaused, undefined);
    assert.equal(fleet.get(id)!.budgetMarks?.day?.usd, 5);
    spend(id, 0.5);
    spend(id, 0.6);
    assert.equal(fleet.get(id)!.budgetPaused, true);
    assert.equal(fleet.get(id)!.budgetReason, '$1.10 of $1.00 today for veteran');
  });
});
