// Set Budget's core: budget text round-trips through New Agent's parser, the row fraction and tooltip lines, and a
// change (agent, group, fleet) is audited as budget.set with before/after and releases the pause it lifts.
import assert from 'node:assert/strict';
import { Fleet } from '../../../src/core/fleet/fleet';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import { changeBudget } from '../../../src/core/budget/budgetChange';
import type { BudgetTarget } from '../../../src/core/budget/budgetChange';
import { budgetFraction, budgetLines, budgetText } from '../../../src/core/budget/budgetText';
import { parseBudgetInput } from '../../../src/core/budgetInput';
import type { AuditInput } from '../../../src/core/store/auditLog';
import type { BudgetLimits } from '../../../src/shared/agent';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { FakeClock } from '../../kit/fakeClock';

const none = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

describe('budget text', () => {
  it('writes limits as the text New Agent reads back to the same limits', () => {
    for (const limits of [{ usd: 5, timeMs: 1_800_000, tokens: 200_000 }, { usd: 0.005 }, { timeMs: 7_200_000, tokens: 2_000_000 }, { timeMs: 90_000, tokens: 1234 }] as BudgetLimits[]) {
      assert.deepEqual(parseBudgetInput(budgetText(limits)), { ok: true, limits }, budgetText(limits));
    }
    assert.equal(budgetText({ usd: 5, timeMs: 1_800_000, tokens: 200_000 }), '$5, 30m, 200k tokens');
    assert.equal(budgetText(undefined), '');
  });
});

describe('budget change', () => {
  const clock = new FakeClock(1_000_000);
  let fleet: Fleet;
  let watch: BudgetWatch;
  let audit: AuditInput[];
  let written: [BudgetTarget, BudgetLimits | undefined][];
  beforeEach(() => {
    fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    watch = new BudgetWatch({ fleet, clock, log: memoryLogger(), budgets: { fleet: undefined, groups: { backend: { usd: 1 } } } });
    audit = [];
    written = [];
  });
  afterEach(() => watch.dispose());
  const deps = () => ({ watch, appendAudit: (e: AuditInput) => void audit.push(e), writeScope: async (t: BudgetTarget, l: BudgetLimits | undefined) => void written.push([t, l]) });
  const get = (id: string) => fleet.get(id);

  it("the row shows the tightest budget as a fraction and the tooltip each dimension; raising an agent's budget releases it, audited", async () => {
    const id = fleet.create({ name: 'agent-3', kind: 'claude-code', cwd: '/tmp', budget: { usd: 5, tokens: 1000 } }).agent.id;
    fleet.addUsage(id, 'm', { ...none, output: 100 }, 1.2);
    assert.equal(budgetFraction(get(id)!, clock.now()), '$1.20/$5');
    assert.deepEqual(budgetLines(get(id)!, clock.now()), ['$1.20 of $5.00 (24 %)', '100 of 1.0k tokens (10 %)']);
    fleet.addUsage(id, 'm', { ...none, output: 900 }, 0.1);
    assert.equal(budgetFraction(get(id)!, clock.now()), '1.0k/1.0k');
    assert.equal(get(id)!.budgetPaused, true);

    const said = await changeBudget(deps(), { kind: 'agent', agentId: id }, { usd: 5, tokens: 2000 }, 'agent-3', get);
    assert.equal(said, 'Budget of agent-3: $5, 2k tokens (was $5, 1k tokens). No longer paused.');
    assert.equal(get(id)!.budgetPaused, undefined);
    assert.deepEqual(audit, [
      { actor: 'user', action: 'budget.set', agentId: id, subject: 'agent-3', data: { scope: 'agent', group: undefined, before: { usd: 5, tokens: 1000 }, after: { usd: 5, tokens: 2000 } } },
    ]);
  });

  it('a raised group budget is written to settings, releases its agents at once and is audited; the fleet likewise', async () => {
    const a = fleet.create({ name: 'a', kind: 'claude-code', cwd: '/tmp', group: 'backend' }).agent.id;
    const b = fleet.create({ name: 'b', kind: 'claude-code', cwd: '/tmp', group: 'backend' }).agent.id;
    fleet.addUsage(a, 'm', { ...none, output: 1 }, 0.6);
    fleet.addUsage(b, 'm', { ...none, output: 1 }, 0.6);
    assert.equal(watch.pausedAgents('backend').length, 2);
    const said = await changeBudget(deps(), { kind: 'group', group: 'backend' }, { usd: 2 }, 'group backend', get);
    assert.equal(said, 'Budget of group backend: $2 (was $1). 2 agents no longer paused.');
    assert.deepEqual(written, [[{ kind: 'group', group: 'backend' }, { usd: 2 }]]);
    assert.equal(watch.pausedAgents().length, 0);
    assert.equal(audit[0]!.action, 'budget.set');
    assert.deepEqual(audit[0]!.data, { scope: 'group', group: 'backend', before: { usd: 1 }, after: { usd: 2 } });

    await changeBudget(deps(), { kind: 'fleet' }, { usd: 1 }, 'the fleet', get);
    assert.equal(watch.pausedAgents().length, 2, 'a lowered fleet budget pauses every agent');
    assert.deepEqual(watch.scopeBudgets, { fleet: { usd: 1 }, groups: { backend: { usd: 2 } } });
  });

  it('a group budget per day raised stays per day, and the alert thresholds in force are kept', async () => {
    watch.setScopeBudgets({ fleet: undefined, groups: { backend: { usd: 1, period: 'day' } }, alertThresholds: [0.5] });
    const a = fleet.create({ name: 'a', kind: 'claude-code', cwd: '/tmp', group: 'backend' }).agent.id;
    fleet.addUsage(a, 'm', { ...none, output: 1 }, 1.2);
    assert.equal(fleet.get(a)!.budgetReason, '$1.20 of $1.00 today for group backend');
    const said = await changeBudget(deps(), { kind: 'group', group: 'backend' }, { usd: 2, period: 'day' }, 'group backend', get);
    assert.equal(said, 'Budget of group backend: $2/day (was $1/day). 1 agent no longer paused.');
    assert.deepEqual(watch.scopeBudgets, { fleet: undefined, groups: { backend: { usd: 2, period: 'day' } }, alertThresholds: [0.5] });
    assert.deepEqual(watch.alertThresholds, [0.5, 1], '100 % always alerts');
  });
});
