// The stall watch on a fake clock: silence while working for stallSeconds -> stalled with the last tool and how
// long; an open tool call with its own timeout is not a stall before that; agents that report nothing are left alone.
import assert from 'node:assert/strict';
import { StallWatch } from '../../../src/core/fleet/stallWatch';
import { FakeClock } from '../../kit/fakeClock';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { Fleet } from '../../../src/core/fleet/fleet';

describe('StallWatch', () => {
  let clock: FakeClock;
  let fleet: Fleet;
  let watch: StallWatch;
  let silent: Set<string>;
  const STALL = 60_000;

  beforeEach(() => {
    clock = new FakeClock();
    fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    silent = new Set();
    watch = new StallWatch({ fleet, clock, stallMs: () => STALL, watches: (a) => !silent.has(a.id) });
  });
  afterEach(() => watch.dispose());

  const working = (name = 'a') => {
    const { agent } = fleet.create({ name, kind: 'claude-code', cwd: '/r' });
    fleet.apply(agent.id, 'promptSubmitted');
    return agent.id;
  };

  it('silence while working for the threshold: stalled, with the last tool and how long', () => {
    const id = working();
    watch.touch(id, 'Bash: ls');
    clock.advance(STALL - 1);
    assert.equal(fleet.get(id)!.status, 'working');
    clock.advance(1);
    const a = fleet.get(id)!;
    assert.equal(a.status, 'stalled');
    assert.match(a.statusReason ?? '', /no sign of activity for 1m/);
    assert.match(a.statusReason ?? '', /last: Bash: ls/);
    assert.equal(a.lastEventAt, clock.now() - STALL, 'lastEventAt stays at the last fact');
  });

  it('each fact pushes the deadline; one timer per agent, not one per fact', () => {
    const id = working();
    for (let i = 0; i < 100; i++) {
      clock.advance(STALL / 2);
      watch.touch(id);
    }
    assert.equal(fleet.get(id)!.status, 'working');
    assert.equal(clock.pending, 1);
    clock.advance(STALL);
    assert.equal(fleet.get(id)!.status, 'stalled');
  });

  it('an open tool call is not a stall before its own timeout, then it is', () => {
    const id = working();
    fleet.apply(id, 'activity', { currentTool: { name: 'Bash', summary: 'Bash: npm test', since: clock.now(), timeoutMs: 600_000 } });
    watch.touch(id, 'Bash: npm test');
    clock.advance(599_999);
    assert.equal(fleet.get(id)!.status, 'working');
    clock.advance(1);
    assert.equal(fleet.get(id)!.status, 'stalled');
    assert.match(fleet.get(id)!.statusReason ?? '', /Bash: npm test running since 10m/);
  });

  it('not working (idle, waiting for a human), or an agent kind that reports nothing: never stalled', () => {
    const idle = working('idle');
    fleet.apply(idle, 'turnEnded');
    const asking = working('asking');
    fleet.apply(asking, 'approvalRequested');
    const custom = working('custom');
    silent.add(custom);
    watch.touch(custom);
    clock.advance(STALL * 10);
    assert.deepEqual([fleet.get(idle)!.status, fleet.get(asking)!.status, fleet.get(custom)!.status], ['idle', 'waiting-approval', 'working']);
    assert.equal(clock.pending, 0);
  });

  it('a stalled agent that reports again works again and is watched again; disposal clears its timers', () => {
    const id = working();
    clock.advance(STALL);
    assert.equal(fleet.get(id)!.status, 'stalled');
    fleet.apply(id, 'activity');
    watch.touch(id);
    assert.equal(fleet.get(id)!.status, 'working');
    clock.advance(STALL);
    assert.equal(fleet.get(id)!.status, 'stalled');
    fleet.apply(id, 'activity');
    watch.touch(id);
    assert.equal(clock.pending, 1);
    watch.dispose();
    assert.equal(clock.pending, 0);
  });

  it('agents found working at start (a reload) count their silence from their last event', () => {
    watch.dispose();
    const id = working();
    clock.advance(STALL / 2);
    watch = new StallWatch({ fleet, clock, stallMs: () => STALL, watches: () => true });
    clock.advance(STALL / 2);
    assert.equal(fleet.get(id)!.status, 'stalled');
  });
});
