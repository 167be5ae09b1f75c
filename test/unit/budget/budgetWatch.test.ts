// BudgetWatch on a real Fleet and a fake clock: 70/90/100 % alerts once each per scope and dimension (agent, group
// sums, fleet active time), the agent paused for budget at 100 % and released by a raised budget, the budget gate
// sending the next tool call to a human for a spent group or fleet budget, and usage from before a reload counted
// silently.
import assert from 'node:assert/strict';
import { Fleet } from '../../../src/core/fleet/fleet';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import type { BudgetAlert } from '../../../src/core/budget/budgetWatch';
import type { ScopeBudgets } from '../../../src/core/budget/budgetSettings';
import { budgetGate } from '../../../src/core/approvals/budgetGate';
import { gateChain } from '../../../src/core/approvals/gateChain';
import type { ActionGate } from '../../../src/core/approvals/gateChain';
import type { BudgetLimits } from '../../../src/shared/agent';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { FakeClock } from '../../kit/fakeClock';

const none = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

describe('budget watch', () => {
  let clock: FakeClock;
  let persistence: MemoryPersistence;
  let fleet: Fleet;
  let watch: BudgetWatch | undefined;
  let alerts: BudgetAlert[];

  beforeEach(() => {
    clock = new FakeClock(5_000_000);
    persistence = new MemoryPersistence();
    fleet = new Fleet(persistence, memoryLogger(), () => clock.now());
    alerts = [];
  });
  afterEach(() => watch?.dispose());

  const start = (budgets: ScopeBudgets = { fleet: undefined, groups: {} }) => {
    watch = new BudgetWatch({ fleet, clock, log: memoryLogger(), budgets, tickMs: 1000 });
    watch.onDidAlert((a) => alerts.push(a));
    return watch;
  };
  const agent = (name: string, opts: { group?: string; budget?: BudgetLimits } = {}) => fleet.create({ name, kind: 'claude-code', cwd: '/tmp', ...opts }).agent.id;
  const spend = (id: string, usd: number) => fleet.addUsage(id, 'claude-sonnet-4-5', { ...none, output: 1 }, usd);
  const shown = () => alerts.map((a) => `${a.level} ${a.message}`);

  it('binds an agent with its own, its group\'s or the fleet\'s budget, and no other (adapters wait for usage only then)', () => {
    const w = start({ fleet: undefined, groups: { backend: { usd: 5 } } });
    const free = agent('free');
    const own = agent('own', { budget: { tokens: 1000 } });
    const grouped = agent('grouped', { group: 'backend' });
    const other = agent('other', { group: 'frontend' });
    const binds = () => [free, own, grouped, other].map((id) => w.binds(fleet.get(id)!));
    assert.deepEqual(binds(), [false, true, true, false]);
    w.setScopeBudgets({ fleet: { usd: 20 }, groups: {} });
    assert.deepEqual(binds(), [true, true, true, true]);
  });

  it("an agent's dollars: 70, 90 and 100 % once each; paused at 100 %; a raised budget releases it", () => {
    const w = start();
    const id = agent('agent-3', { budget: { usd: 1 } });
    spend(id, 0.5);
    assert.equal(alerts.length, 0);
    spend(id, 0.25);
    spend(id, 0.1);
    assert.equal(fleet.get(id)!.budgetPaused, undefined);
    spend(id, 0.1);
    spend(id, 0.05);
    spend(id, 0.2);
    assert.deepEqual(shown(), [
      'info Budget 70 %: agent-3 has spent $0.75 of $1.00.',
      'warning Budget 90 %: agent-3 has spent $0.95 of $1.00.',
      'critical Budget exhausted: agent-3 has spent $1.00 of $1.00. Its next tool call is denied and it waits for you.',
    ]);
    assert.equal(alerts[2]!.agentId, id);
    assert.equal(fleet.get(id)!.budgetPaused, true);
    assert.match(fleet.get(id)!.budgetReason!, /\$1\.20 of \$1\.00 for agent-3/);

    w.setAgentBudget(id, { usd: 2 });
    assert.equal(fleet.get(id)!.budgetPaused, undefined);
    assert.equal(fleet.get(id)!.budgetReason, undefined);
    assert.equal(fleet.get(id)!.budget?.usd, 2);
  });

  it('a group budget sums its agents, alerts naming the group, pauses every agent in it, and the gate asks for each', () => {
    const w = start({ fleet: undefined, groups: { backend: { usd: 1 } } });
    const a = agent('a', { group: 'backend' });
    const b = agent('b', { group: 'backend' });
    const other = agent('c', { group: 'frontend' });
    spend(a, 0.4);
    spend(other, 5);
    spend(b, 0.35);
    assert.deepEqual(shown(), ['info Budget 70 %: group backend has spent $0.75 of $1.00.']);
    spend(b, 0.3);
    // From 75 % past 90 to 100 % in one step: one alert, the 100 % one.
    assert.equal(alerts.length, 2);
    assert.equal(alerts[1]!.message, 'Budget exhausted: group backend has spent $1.05 of $1.00. The next tool call of every agent under it is denied and they wait for you.');
    assert.equal(fleet.get(a)!.budgetPaused, true);
    assert.equal(fleet.get(b)!.budgetPaused, true);
    assert.equal(fleet.get(other)!.budgetPaused, undefined);

    const allow: ActionGate = () => ({ kind: 'allow', tier: 'allow' });
    const chain = gateChain([budgetGate(clock, (x) => w.spentScopes(x)), allow]);
    const action = { tool: 'Bash', input: { command: 'ls' }, summary: 'Bash: ls' };
    assert.deepEqual(chain({ agent: fleet.get(a)!, action, cwd: '/tmp' }), {
      kind: 'deny',
      tier: 'prohibited',
      rule: 'budget',
      reason: 'budget exhausted: $1.05 of $1.00 for group backend; waiting for the operator. Do not retry this or work around it: stop here and wait; you will be told when the budget is raised.',
    });
    w.noteDenied(a);
    const released: string[] = [];
    w.onDidRelease((r) => released.push(`${r.agent.name} ${r.denied ? 'denied' : 'not denied'}`));
    assert.deepEqual(chain({ agent: fleet.get(other)!, action, cwd: '/tmp' }), { kind: 'allow', tier: 'allow' });

    // Raising the group budget in settings releases both.
    w.setScopeBudgets({ fleet: undefined, groups: { backend: { usd: 3 } } });
    assert.equal(fleet.get(a)!.budgetPaused, undefined);
    assert.equal(fleet.get(b)!.budgetPaused, undefined);
    // Only the agent whose call was denied waits to be told to go on.
    assert.deepEqual(released.sort(), ['a denied', 'b not denied']);
    assert.deepEqual(chain({ agent: fleet.get(a)!, action, cwd: '/tmp' }), { kind: 'allow', tier: 'allow' });
  });

  it("the fleet's active time: the sum over working agents, brought up to date by the clock", () => {
    start({ fleet: { timeMs: 100_000 }, groups: {} });
    const a = agent('a');
    const b = agent('b');
    fleet.apply(a, 'promptSubmitted');
    fleet.apply(b, 'promptSubmitted');
    clock.advance(30_000);
    assert.equal(alerts.length, 0);
    clock.advance(5_000);
    assert.deepEqual(shown(), ['info Budget 70 %: the fleet has spent 1m of 2m.']);
    clock.advance(10_000);
    assert.equal(alerts.length, 2);
    assert.equal(alerts[1]!.level, 'warning');
    fleet.apply(b, 'turnEnded');
    clock.advance(10_000);
    assert.equal(alerts.length, 3);
    assert.equal(alerts[2]!.level, 'critical');
    assert.equal(fleet.get(a)!.budgetPaused, true);
    assert.equal(fleet.get(b)!.budgetPaused, true);
    const gate = budgetGate(clock, (x) => watch!.spentScopes(x));
    const verdict = gate({ agent: fleet.get(b)!, action: { tool: 'Bash', input: {}, summary: 'Bash' }, cwd: '/tmp' });
    assert.match((verdict as { reason: string }).reason, /for the fleet/);
    clock.advance(60_000);
    assert.equal(alerts.length, 3, 'no alert repeats');
  });

  it('an ended agent is not paused; usage from before a reload is counted without alerts', () => {
    const id = agent('old', { budget: { usd: 1 } });
    spend(id, 2);
    const live = agent('live', { budget: { tokens: 10 } });
    fleet.addUsage(live, 'm', { ...none, output: 20 }, 0);
    fleet.apply(id, 'completed');
    start();
    assert.equal(alerts.length, 0);
    assert.equal(fleet.get(id)!.budgetPaused, undefined);
    assert.equal(fleet.get(live)!.budgetPaused, true);
    assert.match(fleet.get(live)!.budgetReason!, /20 tokens of 10 tokens for live/);
  });
});
