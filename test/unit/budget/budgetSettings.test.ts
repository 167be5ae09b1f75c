// Budget text (New Agent, Set Budget, settings) and the group/fleet budget settings: accepted forms, and refusals
// that name the setting and field.
import assert from 'node:assert/strict';
import { parseBudgetInput } from '../../../src/core/budgetInput';
import { readScopeBudgets } from '../../../src/core/budget/budgetSettings';

describe('budget text', () => {
  it('reads $, minutes, hours and tokens, alone or together', () => {
    assert.deepEqual(parseBudgetInput('$5, 30m, 200k tokens'), { ok: true, limits: { usd: 5, timeMs: 1_800_000, tokens: 200_000 } });
    assert.deepEqual(parseBudgetInput('$0.005'), { ok: true, limits: { usd: 0.005 } });
    assert.deepEqual(parseBudgetInput('2h, 2M tokens'), { ok: true, limits: { timeMs: 7_200_000, tokens: 2_000_000 } });
    assert.deepEqual(parseBudgetInput('  '), { ok: true, limits: undefined });
  });

  it('refuses anything else with the accepted forms, and a zero limit', () => {
    const bad = parseBudgetInput('$5, five dollars');
    assert.equal(bad.ok, false);
    assert.match((bad as { message: string }).message, /'five dollars' is not a budget: use \$5, 30m, 2h or 200k tokens/);
    assert.match((parseBudgetInput('$0') as { message: string }).message, /usd budget must be more than zero/);
  });
});

describe('budget settings', () => {
  it('takes BudgetLimits objects or budget text for the fleet and each group', () => {
    const read = readScopeBudgets({ usd: 20, tokens: 2_000_000, timeMs: 7_200_000 }, { backend: '$5, 30m', docs: { tokens: 100 } });
    assert.deepEqual(read, { fleet: { usd: 20, tokens: 2_000_000, timeMs: 7_200_000 }, groups: { backend: { usd: 5, timeMs: 1_800_000 }, docs: { tokens: 100 } }, errors: [] });
    assert.deepEqual(readScopeBudgets(undefined, undefined), { fleet: undefined, groups: {}, errors: [] });
  });

  it('leaves out a bad entry and names its setting and field', () => {
    const read = readScopeBudgets({ usd: -1 }, { backend: { dollars: 5 }, ok: { usd: 1 }, text: 'lots' });
    assert.equal(read.fleet, undefined);
    assert.deepEqual(read.groups, { ok: { usd: 1 } });
    assert.equal(read.errors.length, 3);
    assert.match(read.errors[0]!, /^flotilla\.budget\.fleet\.usd: /);
    assert.match(read.errors[1]!, /^flotilla\.budget\.groups\.backend: .*dollars/);
    assert.match(read.errors[2]!, /^flotilla\.budget\.groups\.text: 'lots' is not a budget/);
    assert.match(readScopeBudgets(undefined, [1]).errors[0]!, /flotilla\.budget\.groups: expected an object/);
  });
});
