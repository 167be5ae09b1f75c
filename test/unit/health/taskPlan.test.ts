// Claude Code's task list (TaskCreate / TaskUpdate) as progress: ids numbered in creation order, deletes, tasks
// seen only through an update (marked, not invented), a new session's fresh list, and bad input named.
import assert from 'node:assert/strict';
import { TaskPlans } from '../../../src/core/health/taskPlan';
import { progressText } from '../../../src/shared/health';
import type { Progress } from '../../../src/shared/health';

const text = (r: ReturnType<TaskPlans['started']>): string => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.progress ? progressText({ ...r.progress, since: 0 } as Progress) : 'none';
};

describe('health: Claude Code task list', () => {
  it('numbers tasks in creation order; the task started last is current; deleted tasks leave the count', () => {
    const t = new TaskPlans();
    t.session('a', 's1');
    for (const s of ['one', 'two', 'three']) t.started('a', 'TaskCreate', { subject: s, description: s, activeForm: `doing ${s}` });
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '2', status: 'in_progress' })), '2/3 doing two');
    // Parallel updates: 3 begun before 2 is marked done.
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '3', status: 'in_progress' })), '3/3 doing three');
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '1', status: 'deleted' })), '2/2 doing three');
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '3', subject: 'three, renamed', activeForm: 'renaming' })), '2/2 renaming');
    t.started('a', 'TaskUpdate', { taskId: '2', status: 'completed' });
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '3', status: 'completed' })), '2/2 done: three, renamed');
  });

  it('a task known only from an update is kept as #id with a marker; a new session starts a new list', () => {
    const t = new TaskPlans();
    t.session('a', 's1');
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '4', status: 'in_progress' })), '1/1 #4 (⚠ 1 task created before Flotilla watched)');
    // The next create takes the id after the highest seen.
    t.started('a', 'TaskCreate', { subject: 'five', description: '' });
    assert.equal(text(t.started('a', 'TaskUpdate', { taskId: '5', status: 'in_progress' })), '2/2 five (⚠ 1 task created before Flotilla watched)');
    t.session('a', 's2');
    assert.equal(text(t.started('a', 'TaskCreate', { subject: 'fresh', description: '' })), '0/1');
  });

  it('bad input is named, not guessed', () => {
    const t = new TaskPlans();
    assert.deepEqual(t.started('a', 'TaskCreate', { description: 'no subject' }), { ok: false, problem: 'TaskCreate: subject: Invalid input: expected string, received undefined' });
    const r = t.started('a', 'TaskUpdate', { status: 'completed' });
    assert.ok(!r.ok && /^TaskUpdate: taskId: /.test(r.problem), JSON.stringify(r));
  });
});
