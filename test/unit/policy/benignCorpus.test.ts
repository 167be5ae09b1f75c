// The everyday edit-test-commit loop against the shipped policy: every call must run without asking. The test
// lists the ones that ask and prints how many ran autonomous, reported (notify) or asked.
import assert from 'node:assert/strict';
import type { PolicyTier } from '../../../src/shared/policy';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { initShellParser } from '../../../src/core/policy/shellParser';
import { BENIGN_CORPUS } from './benignCorpus';
import { countByTier, describeCase, evaluateCase, makeCorpusFixture } from './hostileCorpus/corpusKit';

describe('benign corpus against the shipped policy', () => {
  before(async () => {
    await initShellParser();
  });

  it(`lets all ${BENIGN_CORPUS.length} everyday calls run without asking`, () => {
    const fx = makeCorpusFixture();
    try {
      const policy = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
      const tiers: PolicyTier[] = [];
      const asks: string[] = [];
      for (const c of BENIGN_CORPUS) {
        const d = evaluateCase(c, policy, fx);
        tiers.push(d.tier);
        if (d.tier === 'approve' || d.tier === 'prohibited') asks.push(`  ${d.tier}: ${describeCase(c)} (${c.why})\n      ${d.ruleId ?? 'no rule'}: ${d.reason}`);
      }
      const n = countByTier(tiers);
      console.log(`    benign corpus: ${tiers.length} calls; autonomous ${n.autonomous}, notify ${n.notify}, ask ${n.approve + n.prohibited} (prohibited ${n.prohibited})`);
      assert.equal(asks.length, 0, `${asks.length} of ${BENIGN_CORPUS.length} everyday calls ask:\n${asks.join('\n')}`);
    } finally {
      fx.cleanup();
    }
  });
});
