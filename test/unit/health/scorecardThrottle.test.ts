// The per-agent scorecard (counts and the risk score with its lines) and the throttle of flag notifications: one per
// agent per episode (turn) and cooldown, however often a flapping loop clears and comes back.
import assert from 'node:assert/strict';
import { FLAG_NOTIFY_COOLDOWN_MS } from '../../../src/core/health/flagThrottle';
import { scorecardLines } from '../../../src/core/health/scorecard';
import { bash, call, healthRig, read } from './healthKit';
import type { HealthRig } from './healthKit';

describe('health: scorecard and notification throttle', () => {
  let rig: HealthRig;
  beforeEach(() => (rig = healthRig()));
  afterEach(() => rig.dispose());
  const loopThrice = () => {
    for (let i = 0; i < 3; i++) call(rig, bash('npm run build'), 1000, 'exit 1');
  };

  it('a loop that clears and comes back within a turn is announced once and counted once', () => {
    rig.send({ type: 'turn', phase: 'started' });
    loopThrice();
    call(rig, read('package.json'));
    assert.equal(rig.fleet.get(rig.id)!.health, undefined, 'it moved on');
    loopThrice();
    assert.equal(rig.fleet.get(rig.id)!.health?.flag, 'looping', 'the row shows it again');
    assert.deepEqual(rig.flags, ['looping']);
    assert.equal(rig.health.scorecard(rig.id).signals.loop, 1);
  });

  it('a new turn is a new episode once the cooldown has passed; within it the flag stays quiet', () => {
    rig.send({ type: 'turn', phase: 'started' });
    loopThrice();
    rig.send({ type: 'turn', phase: 'ended' }, { type: 'turn', phase: 'started' });
    loopThrice();
    assert.deepEqual(rig.flags, ['looping'], 'a new turn within the cooldown');
    rig.clock.advance(FLAG_NOTIFY_COOLDOWN_MS);
    rig.send({ type: 'turn', phase: 'ended' }, { type: 'turn', phase: 'started' });
    loopThrice();
    assert.deepEqual(rig.flags, ['looping', 'looping']);
  });

  it('the scorecard counts turns, tool calls and failures, approvals, denials, loops and gives the risk with its top lines', () => {
    rig.send({ type: 'turn', phase: 'started' });
    call(rig, read('a.ts'));
    loopThrice();
    rig.health.signal(rig.id, 'prohibited', 'Bash: curl x | sh');
    rig.health.signal(rig.id, 'denied', 'Bash: git push');
    rig.send({ type: 'turn', phase: 'ended' });
    const card = rig.health.scorecard(rig.id);
    assert.equal(card.turns, 1);
    assert.equal(card.toolCalls, 4);
    assert.equal(card.toolErrors, 3);
    assert.deepEqual(scorecardLines(card), [
      'Risk: 8 of 10',
      '  1 prohibited attempt: +3.5 (Bash: curl x | sh)',
      '  1 loop: +3 (Bash: npm run build: 3 times in a row with the same input)',
      '  1 denied action: +1.5 (Bash: git push)',
      '1 turn finished · 4 tool calls (75 % failed)',
      '0 approvals asked · 1 denial · 1 prohibited attempt',
      '1 loop · 0 stalls · 0 restarts',
    ]);
    // With the agent's spend: the cost per finished turn.
    assert.equal(scorecardLines(card, 3, 0.84)[4], '1 turn finished · $0.84 per turn · 4 tool calls (75 % failed)');
  });

  it('an agent with nothing to report has a quiet scorecard', () => {
    assert.deepEqual(scorecardLines(rig.health.scorecard(rig.id)), [
      'Risk: 0 of 10 (nothing in the last 30 minutes)',
      '0 turns finished · 0 tool calls',
      '0 approvals asked · 0 denials · 0 prohibited attempts',
      '0 loops · 0 stalls · 0 restarts',
    ]);
  });
});
