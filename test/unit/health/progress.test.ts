// Progress for every agent: Claude Code's todo list and remote heartbeats become "step k of n: label" with the time
// on the step; odd reports are kept with a marker and logged, never break the row; no plan, no progress invented.
import assert from 'node:assert/strict';
import { progressText } from '../../../src/shared/health';
import { AgentSnapshotSchema } from '../../../src/shared/agent';
import { todoProgress } from '../../../src/core/health/todoProgress';
import { healthRig, todos } from './healthKit';
import type { HealthRig } from './healthKit';

describe('health: progress', () => {
  let rig: HealthRig;
  beforeEach(() => (rig = healthRig()));
  afterEach(() => rig.dispose());
  const progress = () => rig.fleet.get(rig.id)!.progress;

  it('a 4-item todo list worked through shows 1/4 … 4/4 with the time on each step', () => {
    rig.send({ type: 'turn', phase: 'started' });
    assert.equal(progress(), undefined, 'no plan yet: no progress');
    rig.send({ type: 'tool', phase: 'started', action: todos('in_progress', 'pending', 'pending', 'pending') });
    assert.equal(progressText(progress()!), '1/4 doing item 1');
    const since1 = progress()!.since;
    rig.clock.advance(60_000);
    // The same list written again (a tool ended in between): the step and its time stay.
    rig.send({ type: 'tool', phase: 'started', action: todos('in_progress', 'pending', 'pending', 'pending') });
    assert.equal(progress()!.since, since1);
    const seen: string[] = [];
    for (const states of [
      ['completed', 'in_progress', 'pending', 'pending'],
      ['completed', 'completed', 'in_progress', 'pending'],
      ['completed', 'completed', 'completed', 'in_progress'],
    ]) {
      rig.clock.advance(30_000);
      rig.send({ type: 'tool', phase: 'started', action: todos(...states) });
      seen.push(progressText(progress()!));
      assert.equal(progress()!.since, rig.clock.now());
    }
    assert.deepEqual(seen, ['2/4 doing item 2', '3/4 doing item 3', '4/4 doing item 4']);
    rig.send({ type: 'tool', phase: 'started', action: todos('completed', 'completed', 'completed', 'completed') });
    assert.equal(progressText(progress()!), '4/4 done: item 4');
    assert.ok(AgentSnapshotSchema.safeParse(rig.fleet.get(rig.id)).success, 'the snapshot with progress is valid');
  });

  it('a remote heartbeat step is progress; k > n and negative steps are shown as reported with a marker and logged', () => {
    rig.send({ type: 'progress', step: 3, of: 7, label: 'running the tests' });
    assert.equal(progressText(progress()!), '3/7 running the tests');
    assert.equal(progress()!.source, 'heartbeat');
    rig.send({ type: 'progress', step: 9, of: 7, label: 'overtime' });
    assert.equal(progressText(progress()!), '9/7 overtime (⚠ step 9 of 7 reported)');
    rig.send({ type: 'progress', step: -1 });
    assert.equal(progressText(progress()!), 'step -1 (⚠ negative step -1)');
    assert.ok(rig.log.lines.some((l) => l.includes('step 9 of 7 reported')));
    assert.ok(AgentSnapshotSchema.safeParse(rig.fleet.get(rig.id)).success);
  });

  it('a todo list without states keeps its count with a marker; garbage input is logged and leaves the row as it was', () => {
    rig.send({ type: 'tool', phase: 'started', action: todos(undefined, undefined, undefined) });
    assert.equal(progressText(progress()!), '0/3 (⚠ todo list without states)');
    rig.send({ type: 'tool', phase: 'started', action: { tool: 'TodoWrite', input: { todos: 'all of them' }, summary: 'TodoWrite' } });
    assert.equal(progressText(progress()!), '0/3 (⚠ todo list without states)');
    assert.ok(rig.log.lines.some((l) => l.includes('todo list: todos: ')), rig.log.lines.join('\n'));
  });

  it('todoProgress: unknown states and several items in progress are marked; an empty list is no plan', () => {
    assert.equal(todoProgress({ todos: [] }).ok, false);
    const odd = todoProgress({ todos: [{ content: 'a', status: 'blocked' }, { content: 'b', status: 'pending' }] });
    assert.ok(odd.ok && odd.progress.marker === "unknown state 'blocked'");
    const two = todoProgress({ todos: [{ content: 'a', status: 'in_progress' }, { content: 'b', status: 'in_progress' }] });
    assert.ok(two.ok && two.progress.step === 1 && two.progress.marker === 'several items in progress');
  });
});
