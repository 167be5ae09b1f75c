// The Raise Budget… choices show the limits they write: +50 % and ×2 of the budget in force, dollars to the cent from
// $1 and finer below, time and tokens scaled too.
import * as assert from 'node:assert/strict';
import { raiseChoices, roundUsd, usdText } from '../../../src/vscode/budgetRaise';
import { parseBudgetInput } from '../../../src/core/budgetInput';

describe('Raise Budget choices', () => {
  it('shows +50 % of $5 as $7.50 and ×2 as $10.00, the limits they set', () => {
    const [half, double] = raiseChoices({ usd: 5 });
    assert.deepEqual(half, { label: '+50 %', description: '$7.50', limits: { usd: 7.5 } });
    assert.deepEqual(double, { label: '×2', description: '$10.00', limits: { usd: 10 } });
  });

  it('keeps small budgets exact below a dollar ($0.05 + 50 % is $0.075, not $0.08)', () => {
    const [half, double] = raiseChoices({ usd: 0.05 });
    assert.equal(half!.limits.usd, 0.075);
    assert.equal(half!.description, '$0.075');
    assert.equal(double!.description, '$0.10');
    assert.equal(roundUsd(3.333333), 3.33);
    assert.equal(roundUsd(0.123456), 0.1235);
  });

  it('scales time and tokens beside dollars, and the text reads back as the same limits', () => {
    const [half] = raiseChoices({ usd: 2, timeMs: 30 * 60_000, tokens: 200_000 });
    assert.deepEqual(half!.limits, { usd: 3, timeMs: 45 * 60_000, tokens: 300_000 });
    assert.equal(half!.description, '$3.00, 45m, 300k tokens');
    const back = parseBudgetInput(half!.description);
    assert.ok(back.ok);
    assert.deepEqual(back.limits, half!.limits);
  });

  it('writes whole cents with two decimals', () => {
    assert.equal(usdText(4.2), '$4.20');
    assert.equal(usdText(0), '$0.00');
    assert.equal(usdText(0.0051), '$0.0051');
  });
});
