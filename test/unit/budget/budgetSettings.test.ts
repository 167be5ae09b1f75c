// Budget text (New Agent, Set Budget, settings) and the group/fleet budget settings: accepted forms (amounts, wall
// time, periods), and refusals that name the setting, the field and the accepted forms.
import assert from 'node:assert/strict';
import { parseBudgetInput } from '../../../src/core/budgetInput';
import { readScopeBudgets } from '../../../src/core/budget/budgetSettings';
import { budgetText } from '../../../src/core/budget/budgetText';

const message = (text: string): string => {
  const r = parseBudgetInput(text);
  assert.equal(r.ok, false, `${text} should be refused`);
  return (r as { message: string }).message;
};

describe('budget text', () => {
  it('reads $, minutes, hours and tokens, alone or together', () => {
    assert.deepEqual(parseBudgetInput('$5, 30m, 200k tokens'), { ok: true, limits: { usd: 5, timeMs: 1_800_000, tokens: 200_000 } });
    assert.deepEqual(parseBudgetInput('$0.005'), { ok: true, limits: { usd: 0.005 } });
    assert.deepEqual(parseBudgetInput('2h, 2M tokens'), { ok: true, limits: { timeMs: 7_200_000, tokens: 2_000_000 } });
    assert.deepEqual(parseBudgetInput('  '), { ok: true, limits: undefined });
  });

  it('reads wall-clock time apart from active time ("2h wall" vs "2h")', () => {
    assert.deepEqual(parseBudgetInput('2h wall'), { ok: true, limits: { wallMs: 7_200_000 } });
    assert.deepEqual(parseBudgetInput('30m, 8h wall'), { ok: true, limits: { timeMs: 1_800_000, wallMs: 28_800_000 } });
    assert.deepEqual(parseBudgetInput('90 min wall-clock'), { ok: true, limits: { wallMs: 5_400_000 } });
  });

  it('reads a period written once on any part: /day, per day, per task, /task, total', () => {
    assert.deepEqual(parseBudgetInput('$5/day'), { ok: true, limits: { usd: 5, period: 'day' } });
    assert.deepEqual(parseBudgetInput('$5 per day'), { ok: true, limits: { usd: 5, period: 'day' } });
    assert.deepEqual(parseBudgetInput('$1 per task'), { ok: true, limits: { usd: 1, period: 'task' } });
    assert.deepEqual(parseBudgetInput('200k tokens per task'), { ok: true, limits: { tokens: 200_000, period: 'task' } });
    assert.deepEqual(parseBudgetInput('$1, 20m /task'), { ok: true, limits: { usd: 1, timeMs: 1_200_000, period: 'task' } });
    assert.deepEqual(parseBudgetInput('$2, 2h wall/day'), { ok: true, limits: { usd: 2, wallMs: 7_200_000, period: 'day' } });
    assert.deepEqual(parseBudgetInput('$20 total'), { ok: true, limits: { usd: 20 } });
  });

  it('writes limits back as text that reads the same', () => {
    for (const text of ['$5, 30m, 200k tokens', '$5/day', '$1 per task', '$2, 2h wall, 2M tokens/day', '90m wall per task']) {
      const parsed = parseBudgetInput(text);
      assert.ok(parsed.ok);
      assert.deepEqual(parseBudgetInput(budgetText(parsed.limits)), parsed, budgetText(parsed.limits));
    }
    assert.equal(budgetText({ usd: 1, tokens: 200_000, period: 'task' }), '$1, 200k tokens per task');
    assert.equal(budgetText({ usd: 5, wallMs: 7_200_000, period: 'day' }), '$5, 2h wall/day');
  });

  it('refuses anything else with the accepted forms, a zero limit, an unknown period and two periods', () => {
    assert.match(message('$5, five dollars'), /'five dollars' is not a budget: use \$5, 30m or 2h \(active time\), 2h wall \(wall-clock time\), 200k tokens, .*\/day, per day, \/task, per task or total/);
    assert.match(message('$0'), /usd budget must be more than zero/);
    assert.match(message('0h wall'), /wallMs budget must be more than zero/);
    assert.match(message('$-5'), /'\$-5' is not a budget/);
    assert.match(message('$5/week'), /'week' in '\$5\/week' is not a budget period: use \/day, per day, \/task, per task or total/);
    assert.match(message('$5/day, $1 per task'), /'\$5\/day' and '\$1 per task' have different periods: a budget has one period/);
    assert.match(message('per day'), /is not a budget/);
  });
});

describe('budget settings', () => {
  it('takes BudgetLimits objects or budget text for the fleet and each group', () => {
    const read = readScopeBudgets({ usd: 20, tokens: 2_000_000, timeMs: 7_200_000 }, { backend: '$5, 30m', docs: { tokens: 100 } });
    assert.deepEqual(read, { fleet: { usd: 20, tokens: 2_000_000, timeMs: 7_200_000 }, groups: { backend: { usd: 5, timeMs: 1_800_000 }, docs: { tokens: 100 } }, errors: [], problems: [] });
    assert.deepEqual(readScopeBudgets(undefined, undefined), { fleet: undefined, groups: {}, errors: [], problems: [] });
  });

  it('takes a period and wall time in the object form and in text', () => {
    const read = readScopeBudgets({ usd: 5, period: 'day' }, { backend: '$1 per task', night: { wallMs: 3_600_000, period: 'total' } });
    assert.deepEqual(read.fleet, { usd: 5, period: 'day' });
    assert.deepEqual(read.groups, { backend: { usd: 1, period: 'task' }, night: { wallMs: 3_600_000 } });
    assert.deepEqual(read.errors, []);
  });

  it('leaves out a bad entry and names its setting and field', () => {
    const read = readScopeBudgets({ usd: -1 }, { backend: { dollars: 5 }, ok: { usd: 1 }, text: 'lots', weekly: { usd: 5, period: 'week' }, none: { period: 'day' }, zero: { tokens: 0 } });
    assert.equal(read.fleet, undefined);
    assert.deepEqual(read.groups, { ok: { usd: 1 } });
    assert.equal(read.errors.length, 6);
    assert.match(read.errors[0]!, /^flotilla\.budget\.fleet\.usd: /);
    assert.match(read.errors[1]!, /^flotilla\.budget\.groups\.backend: .*dollars/);
    assert.match(read.errors[2]!, /^flotilla\.budget\.groups\.text: 'lots' is not a budget/);
    assert.match(read.errors[3]!, /^flotilla\.budget\.groups\.weekly\.period: "week" is not a budget period \(use usd, tokens, timeMs \(active\), wallMs \(wall-clock\) and period \("total", "day" or "task"\)/);
    assert.match(read.errors[4]!, /^flotilla\.budget\.groups\.none: a budget needs an amount/);
    assert.match(read.errors[5]!, /^flotilla\.budget\.groups\.zero\.tokens: /);
    assert.deepEqual(
      read.problems.map((p) => [p.severity, p.setting, p.path]),
      [
        ['error', 'budget.fleet', ['usd']],
        ['error', 'budget.groups', ['backend']],
        ['error', 'budget.groups', ['text']],
        ['error', 'budget.groups', ['weekly', 'period']],
        ['error', 'budget.groups', ['none']],
        ['error', 'budget.groups', ['zero', 'tokens']],
      ],
    );
    assert.match(readScopeBudgets(undefined, [1]).errors[0]!, /flotilla\.budget\.groups: expected an object/);
  });

  it('warns of a budget for a group no agent or template is in, and keeps it in force', () => {
    const read = readScopeBudgets(undefined, { backend: '$5', backnd: '$5' }, { knownGroups: new Set(['backend']) });
    assert.deepEqual(Object.keys(read.groups), ['backend', 'backnd']);
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.problems, [{ severity: 'warning', setting: 'budget.groups', path: ['backnd'], message: 'flotilla.budget.groups.backnd: no agent or template is in group "backnd" (a typo?); the budget applies once an agent is' }]);
  });

  it('reads the alert thresholds, refusing a bad list', () => {
    assert.deepEqual(readScopeBudgets(undefined, undefined, { thresholds: [1, 0.5, 0.8] }).alertThresholds, [0.5, 0.8, 1]);
    assert.equal(readScopeBudgets(undefined, undefined).alertThresholds, undefined);
    const bad = readScopeBudgets(undefined, undefined, { thresholds: [0.7, -1] });
    assert.equal(bad.alertThresholds, undefined);
    assert.deepEqual(bad.problems.map((p) => [p.setting, p.path]), [['budget.alertThresholds', [1]]]);
    assert.match(bad.errors[0]!, /^flotilla\.budget\.alertThresholds\[1\]: .*e\.g\. \[0\.7, 0\.9, 1\]/);
  });
});
