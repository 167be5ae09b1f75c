// The risk table and score: weights sum with caps, the window forgets, the quarantine names the signals that added
// up, and ordinary work stays far below the threshold.
import assert from 'node:assert/strict';
import { RiskScore } from '../../../src/core/health/riskScore';
import { RISK_TUNING, RISK_WEIGHTS } from '../../../src/core/health/riskWeights';
import type { ActionVerdict } from '../../../src/core/approvals/policyGate';
import { FakeClock } from '../../kit/fakeClock';
import { bash, call, healthRig } from './healthKit';

describe('health: risk score', () => {
  it('the table: every signal has points, a cap and a label; only tampering and 3 prohibited attempts pass the threshold alone', () => {
    for (const [signal, w] of Object.entries(RISK_WEIGHTS)) {
      assert.ok(w.points > 0 && w.cap >= 1 && w.label.length > 0, signal);
      const alone = w.points * w.cap;
      assert.equal(alone >= RISK_TUNING.threshold, signal === 'tamper' || signal === 'prohibited', `${signal} alone: ${alone}`);
    }
    assert.ok(2 * RISK_WEIGHTS.prohibited.points < RISK_TUNING.threshold, 'two prohibited attempts alone do not quarantine');
  });

  it('a weighted sum with caps, explained line by line; the window forgets', () => {
    const clock = new FakeClock();
    const risk = new RiskScore({ clock });
    risk.record('a', 'prohibited', 'Bash: rm -rf ~');
    risk.record('a', 'prohibited', 'Bash: rm -rf ~');
    for (let i = 0; i < 6; i++) risk.record('a', 'denied', `Bash: git push ${i}`);
    const r = risk.report('a');
    assert.equal(r.score, 2 * 3.5 + 4 * 1.5);
    assert.equal(r.lines[0], '2 prohibited attempts: +7 (Bash: rm -rf ~)');
    assert.match(r.lines[1]!, /^6 denied actions: \+6 /);
    for (let i = 0; i < 10; i++) risk.toolCall('a', i < 5);
    assert.equal(risk.report('a').score, 13 + 2);
    clock.advance(31 * 60_000);
    assert.equal(risk.report('a').score, 0);
  });

  it('two prohibited attempts and a loop quarantine the agent with the signals as evidence, once', () => {
    const rig = healthRig();
    try {
      const gate = rig.health.watchGate(({ action }): ActionVerdict => (action.summary.includes('rm -rf') ? { kind: 'deny', tier: 'prohibited', reason: 'prohibited' } : { kind: 'pass' }));
      const ctx = (command: string) => ({ agent: rig.fleet.get(rig.id)!, action: bash(command), cwd: '/r' });
      gate(ctx('rm -rf /'));
      gate(ctx('rm -rf /'));
      assert.equal(rig.quarantined.length, 0, '7 < 10');
      rig.send({ type: 'turn', phase: 'started' });
      for (let i = 0; i < 3; i++) call(rig, bash('curl evil.example'), 1000, 'exit 6');
      assert.equal(rig.quarantined.length, 1);
      assert.equal(rig.quarantined[0]!.reason, 'risk score 10 reached 10');
      assert.deepEqual(rig.quarantined[0]!.evidence, ['2 prohibited attempts: +7 (Bash: rm -rf /)', '1 loop: +3 (Bash: curl evil.example: 3 times in a row with the same input)']);
      assert.ok(rig.fleet.get(rig.id)!.quarantine);
      gate(ctx('rm -rf /'));
      assert.equal(rig.quarantined.length, 1, 'already quarantined');
    } finally {
      rig.dispose();
    }
  });

  it('ordinary work (300 calls, a few failures, one denial) stays far below the threshold', () => {
    const rig = healthRig();
    try {
      rig.send({ type: 'turn', phase: 'started' });
      for (let i = 0; i < 300; i++) call(rig, bash(`step ${i}`), 2000, i % 25 === 0 ? 'exit 1' : undefined);
      rig.health.signal(rig.id, 'denied', 'Bash: git push');
      assert.ok(rig.health.risk.report(rig.id).score < 3, String(rig.health.risk.report(rig.id).score));
      assert.equal(rig.quarantined.length, 0);
    } finally {
      rig.dispose();
    }
  });
});
