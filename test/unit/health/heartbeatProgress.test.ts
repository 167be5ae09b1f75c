// Remote agents: a heartbeat's step becomes the structured progress fact (src/adapters/remote/heartbeatFacts) and the
// row's "k/n label"; its blockers show "needs you" once, not on every heartbeat.
import assert from 'node:assert/strict';
import { heartbeatProgress } from '../../../src/adapters/remote/heartbeatFacts';
import type { HeartbeatFrame } from '../../../src/shared/protocol/heartbeat';
import { progressText } from '../../../src/shared/health';
import { healthRig } from './healthKit';

const hb = (extra: Partial<HeartbeatFrame> = {}): HeartbeatFrame => ({ type: 'heartbeat', seq: 1, elapsed_ms: 10, ...extra });

describe('health: remote heartbeats', () => {
  it('a heartbeat with a step is a progress fact; one without says nothing', () => {
    assert.deepEqual(heartbeatProgress(hb({ step: { k: 3, n: 7, label: 'running the tests' }, blockers: ['CI is red'] })), { type: 'progress', step: 3, of: 7, label: 'running the tests', blockers: ['CI is red'] });
    assert.deepEqual(heartbeatProgress(hb({ step: { k: 2 } })), { type: 'progress', step: 2 });
    assert.equal(heartbeatProgress(hb({ status: 'working' })), undefined);
  });

  it('the row shows the step; blockers escalate once per distinct set', () => {
    const rig = healthRig();
    try {
      const asked: string[] = [];
      rig.health.onDidAsk((e) => asked.push(e.question));
      rig.send({ type: 'turn', phase: 'started' });
      for (let i = 0; i < 5; i++) rig.send(heartbeatProgress(hb({ step: { k: 3, n: 7, label: 'running the tests' } }))!);
      assert.equal(progressText(rig.fleet.get(rig.id)!.progress!), '3/7 running the tests');
      assert.deepEqual(asked, []);
      for (let i = 0; i < 5; i++) rig.send(heartbeatProgress(hb({ step: { k: 3, n: 7, label: 'running the tests' }, blockers: ['CI is red'] }))!);
      assert.deepEqual(asked, ['blocked: CI is red']);
      assert.deepEqual([rig.fleet.get(rig.id)!.status, rig.fleet.get(rig.id)!.statusReason], ['waiting-input', 'blocked: CI is red']);
      rig.send({ type: 'turn', phase: 'started' });
      rig.send(heartbeatProgress(hb({ step: { k: 4, n: 7 }, blockers: ['CI is red'] }))!);
      assert.deepEqual(asked, ['blocked: CI is red'], 'the same blocker is not news');
      rig.send(heartbeatProgress(hb({ step: { k: 4, n: 7 }, blockers: ['CI is red', 'no access to staging'] }))!);
      assert.equal(asked.length, 2);
    } finally {
      rig.dispose();
    }
  });
});
