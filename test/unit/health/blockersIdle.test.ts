// Blocker escalation (a turn ending on a question, AskUserQuestion) and the idle protocol (one nudge, a graceful
// stop never with a tool call open) on the real router and fleet with a fake clock.
import assert from 'node:assert/strict';
import { closingQuestion } from '../../../src/core/health/blockers';
import { IdleWatch } from '../../../src/core/health/idleWatch';
import { healthRig } from './healthKit';
import type { HealthRig } from './healthKit';

describe('health: blockers', () => {
  let rig: HealthRig;
  let asked: string[];
  beforeEach(() => {
    rig = healthRig();
    asked = [];
    rig.health.onDidAsk((e) => asked.push(e.question));
  });
  afterEach(() => rig.dispose());
  const agent = () => rig.fleet.get(rig.id)!;

  it('a turn that ends with a question: needs input with the question, once', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'ended', lastMessage: 'I fixed the parser and the tests pass.\n\nShould I also update the **docs**?' });
    assert.deepEqual([agent().status, agent().waitingFor, agent().statusReason], ['waiting-input', 'input', 'Should I also update the **docs**?']);
    rig.clock.advance(10 * 60_000);
    rig.health.sweep();
    assert.deepEqual(asked, ['Should I also update the **docs**?']);
    rig.send({ type: 'turn', phase: 'started' });
    assert.equal(agent().status, 'working');
  });

  it('a turn that ends with a statement stays done; AskUserQuestion asks with its questions', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'ended', lastMessage: 'Done. What changed? The parser.' });
    assert.equal(agent().status, 'idle');
    rig.send({ type: 'turn', phase: 'started' });
    rig.send({ type: 'tool', phase: 'started', action: { tool: 'AskUserQuestion', input: { questions: [{ question: 'Which database?', header: 'DB', options: [] }] }, summary: 'AskUserQuestion' } });
    assert.deepEqual([agent().status, agent().statusReason], ['waiting-input', 'Which database?']);
    assert.deepEqual(asked, ['Which database?']);
  });

  it('closingQuestion finds the last sentence and ignores questions in the middle', () => {
    assert.equal(closingQuestion('Tests pass. Want me to open a PR?'), 'Want me to open a PR?');
    assert.equal(closingQuestion('Why did it fail? Because of X. Fixed.'), undefined);
    assert.equal(closingQuestion('1. Shall I proceed with the migration?  '), 'Shall I proceed with the migration?');
    assert.equal(closingQuestion(undefined), undefined);
  });
});

describe('health: idle protocol', () => {
  let rig: HealthRig;
  let idle: IdleWatch;
  let nudges: string[];
  let stops: string[];
  let stopMs: number | undefined;
  beforeEach(() => {
    rig = healthRig();
    nudges = [];
    stops = [];
    stopMs = undefined;
    idle = new IdleWatch({
      fleet: rig.fleet,
      clock: rig.clock,
      nudgeMs: () => 15 * 60_000,
      stopMs: () => stopMs,
      stop: (id, why) => {
        stops.push(why);
        rig.fleet.apply(id, 'stopRequested', { statusReason: why });
      },
    });
    idle.onDidNudge((e) => nudges.push(e.agent.name));
  });
  afterEach(() => {
    idle.dispose();
    rig.dispose();
  });

  it('done and idle for 15 minutes: one nudge, not one per tick; new work resets it', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'ended' });
    rig.clock.advance(14 * 60_000);
    assert.deepEqual(nudges, []);
    rig.clock.advance(60_000);
    assert.deepEqual(nudges, ['a']);
    rig.clock.advance(60 * 60_000);
    assert.deepEqual(nudges, ['a'], 'once');
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'ended' });
    rig.clock.advance(15 * 60_000);
    assert.deepEqual(nudges, ['a', 'a'], 'a new idle stretch nudges again');
    assert.deepEqual(stops, [], 'stopAfterMinutes is off by default');
  });

  it('an interrupted or failed turn is not "done": no nudge', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'interrupted' });
    rig.clock.advance(30 * 60_000);
    assert.deepEqual(nudges, []);
  });

  it('stopAfterMinutes stops gracefully, never with a tool call open', () => {
    stopMs = 60 * 60_000;
    rig.send({ type: 'turn', phase: 'started' }, { type: 'turn', phase: 'ended' });
    // A call the snapshot still shows open while idle (a late PostToolUse): the router would clear it with its end.
    rig.fleet.update(rig.id, { currentTool: { name: 'Bash', summary: 'Bash: sleep 99999 &', since: rig.clock.now() } });
    rig.clock.advance(61 * 60_000);
    assert.deepEqual(stops, [], 'not with a tool call open');
    rig.fleet.update(rig.id, { currentTool: undefined });
    rig.clock.advance(60_000);
    assert.equal(stops.length, 1);
    assert.match(stops[0]!, /after 1h 02m idle .* its worktree is kept/);
    assert.equal(rig.fleet.get(rig.id)!.status, 'stopped');
  });
});
