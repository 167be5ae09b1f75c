// The slot budget: live local agents hold a slot (idle and paused ones too); a full budget refuses with the idle
// agents that could give theirs up, the longest idle first, never a working one.
import assert from 'node:assert/strict';
import { SlotRefusal, checkSlot, idleHolders, slotHolders } from '../../../src/core/budget/slotBudget';
import { newFleet } from '../core/fleetKit';

describe('slot budget', () => {
  const setup = () => {
    const { fleet } = newFleet();
    const make = (name: string, extra: { command?: string } = {}) => fleet.create({ name, kind: 'claude-code', cwd: '/tmp', ...extra }).agent.id;
    return { fleet, make };
  };
  const local = () => true;

  it('counts live agents, paused and idle ones included; ended ones free their slot', () => {
    const { fleet, make } = setup();
    const working = make('working');
    const idle = make('idle');
    const done = make('done');
    fleet.apply(working, 'promptSubmitted');
    fleet.apply(idle, 'turnEnded');
    fleet.apply(done, 'completed');
    fleet.update(working, { budgetPaused: true });
    assert.deepEqual(slotHolders(fleet.list(), local).map((a) => a.name).sort(), ['idle', 'working']);
    assert.doesNotThrow(() => checkSlot(fleet.list(), local, 3));
    assert.deepEqual(slotHolders(fleet.list(), (a) => a.name !== 'idle').map((a) => a.name), ['working']);
  });

  it('a third agent with 2 slots is refused, naming the idle agents (longest idle first) and never a working one', () => {
    const { fleet, make } = setup();
    const busy = make('busy');
    const first = make('first');
    fleet.apply(busy, 'promptSubmitted');
    fleet.apply(first, 'turnEnded');
    fleet.update(first, { lastEventAt: 1000 });
    let refusal: unknown;
    try {
      checkSlot(fleet.list(), local, 2);
    } catch (err) {
      refusal = err;
    }
    assert.ok(refusal instanceof SlotRefusal);
    assert.equal(refusal.message, '2 agents are running and the slot budget (flotilla.maxConcurrentAgents) is 2: stop one or raise the setting');
    assert.deepEqual([refusal.holders, refusal.limit, refusal.idle.map((a) => a.name)], [2, 2, ['first']]);

    const second = make('second');
    fleet.apply(second, 'turnEnded');
    fleet.update(second, { lastEventAt: 500 });
    fleet.update(busy, { budgetPaused: true });
    // Paused for budget counts as quiet too; the longest quiet first.
    assert.deepEqual(idleHolders(fleet.list()).map((a) => a.name), ['second', 'first', 'busy']);
  });
});
