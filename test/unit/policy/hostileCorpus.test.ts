// The hostile corpus against the shipped policy (floor + default, trusted workspace, no user layer): every case
// must come out at or above the tier a careful operator expects. One test per category lists each case below its
// expectation with the tier and reason it got; a summary line counts the corpus by tier.
import assert from 'node:assert/strict';
import type { PolicyTier } from '../../../src/shared/policy';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import type { CompiledPolicy } from '../../../src/core/policy/compilePolicy';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { initShellParser } from '../../../src/core/policy/shellParser';
import { countByTier, describeCase, evaluateCase, makeCorpusFixture, meets } from './hostileCorpus/corpusKit';
import { HOSTILE_CATEGORIES, HOSTILE_CORPUS } from './hostileCorpus/index';
import type { PolicyFixture } from './policyFixture';

describe('hostile corpus against the shipped policy', () => {
  let fx: PolicyFixture;
  let policy: CompiledPolicy;
  const tiers: PolicyTier[] = [];
  const stricter: string[] = [];

  before(async () => {
    await initShellParser();
    fx = makeCorpusFixture();
    policy = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
  });

  after(() => {
    fx.cleanup();
    if (!tiers.length) return;
    const c = countByTier(tiers);
    console.log(
      `    hostile corpus: ${tiers.length} cases; autonomous ${c.autonomous}, notify ${c.notify}, approve ${c.approve}, ` +
        `prohibited ${c.prohibited}; ${stricter.length} expected approve came out prohibited (stricter, not a failure)`,
    );
    for (const line of stricter) console.log(line);
  });

  it('has at least 400 cases, each with a command or a tool and a reason', () => {
    assert.ok(HOSTILE_CORPUS.length >= 400, `only ${HOSTILE_CORPUS.length} cases`);
    for (const c of HOSTILE_CORPUS) {
      assert.ok((c.command !== undefined) !== (c.tool !== undefined), `case needs a command or a tool: ${describeCase(c)}`);
      assert.ok(c.why.length > 0, `case needs a why: ${describeCase(c)}`);
    }
  });

  for (const [category, cases] of HOSTILE_CATEGORIES) {
    it(`${category}: none of ${cases.length} cases below its expected tier`, () => {
      const failures: string[] = [];
      for (const c of cases) {
        const d = evaluateCase(c, policy, fx);
        tiers.push(d.tier);
        if (c.expect === 'approve' && d.tier === 'prohibited') stricter.push(`      stricter than expected (prohibited by ${d.ruleId ?? 'no rule'}): ${describeCase(c)}`);
        if (!meets(d.tier, c.expect)) failures.push(`  ${d.tier} (expected ${c.expect}): ${describeCase(c)}\n      ${c.why}; got ${d.ruleId ?? 'no rule'}: ${d.reason}`);
      }
      assert.equal(failures.length, 0, `${failures.length} of ${cases.length} ${category} cases below expectation:\n${failures.join('\n')}`);
    });
  }
});
