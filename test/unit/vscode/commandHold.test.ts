// The command hold that keeps Flotilla's commands answerable while the fleet starts after activate(): calls wait
// for the fleet, the hand-over never has two registrations of one id (VS Code refuses that) nor a gap, waiting
// calls run only once the fleet is open, and a fleet that cannot start answers every command with its failure.
import * as assert from 'node:assert/strict';
import { CommandHold } from '../../../src/vscode/commandHold';
import type { CommandHost } from '../../../src/vscode/commandHold';

type Handler = (...args: unknown[]) => unknown;

/** VS Code's command registry as far as the hold uses it: one handler per id, a duplicate is an error. */
class Registry implements CommandHost {
  readonly handlers = new Map<string, Handler>();
  registerCommand(id: string, handler: Handler) {
    if (this.handlers.has(id)) throw new Error(`command '${id}' already exists`);
    this.handlers.set(id, handler);
    return { dispose: () => void (this.handlers.get(id) === handler && this.handlers.delete(id)) };
  }
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`command '${id}' not found`);
    return handler(...args);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const IDS = ['flotilla.newAgent', 'flotilla.showLog'];

function settledState(p: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  void p.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('CommandHold', () => {
  it('holds every id at once, and a call made before the fleet runs the real command once it is open', async () => {
    const registry = new Registry();
    const hold = new CommandHold(registry, IDS, () => 'failed');
    assert.deepEqual([...registry.handlers.keys()].sort(), [...IDS].sort());

    const early = registry.executeCommand('flotilla.newAgent', 'a', 1);
    const state = settledState(early);
    await turn();
    assert.equal(state.done, false, 'the call waits for the fleet');

    // The hand-over: placeholders out, real commands in, in one synchronous stretch (a duplicate would throw).
    hold.release();
    registry.registerCommand('flotilla.newAgent', (...args) => ['real', ...args]);
    registry.registerCommand('flotilla.showLog', () => 'log');
    await turn();
    assert.equal(state.done, false, 'registered is not open: the call still waits (the bridge is not listening yet)');

    hold.open();
    assert.deepEqual(await early, ['real', 'a', 1]);
    assert.equal(await registry.executeCommand('flotilla.showLog'), 'log', 'later calls go straight to the real command');
  });

  it('refuses to open before the real commands are in, and to release twice', () => {
    const hold = new CommandHold(new Registry(), IDS, () => undefined);
    assert.throws(() => hold.open(), /before release/);
    hold.release();
    assert.throws(() => hold.release(), /already released/);
  });

  it('answers every call with the failure when the fleet cannot start, waiting ones included', async () => {
    const registry = new Registry();
    const seen: string[] = [];
    const hold = new CommandHold(registry, IDS, (id, error) => {
      seen.push(`${id}: ${(error as Error).message}`);
      return 'could not start';
    });
    const waiting = registry.executeCommand('flotilla.newAgent');
    hold.fail(new Error('no SQLite driver'));
    assert.equal(await waiting, 'could not start');
    assert.equal(await registry.executeCommand('flotilla.showLog'), 'could not start');
    assert.deepEqual(seen, ['flotilla.newAgent: no SQLite driver', 'flotilla.showLog: no SQLite driver']);
  });

  it('takes the ids back when the fleet fails after the hand-over (its real commands disposed)', async () => {
    const registry = new Registry();
    const hold = new CommandHold(registry, IDS, () => 'could not start');
    hold.release();
    const real = IDS.map((id) => registry.registerCommand(id, () => 'real'));
    assert.equal(await registry.executeCommand('flotilla.showLog'), 'real', 'a call to a real command does not wait');
    for (const d of real) d.dispose();
    hold.fail(new Error('the bridge could not listen'));
    assert.deepEqual([...registry.handlers.keys()].sort(), [...IDS].sort());
    assert.equal(await registry.executeCommand('flotilla.newAgent'), 'could not start');
  });

  it('puts nothing back on dispose', () => {
    const registry = new Registry();
    const hold = new CommandHold(registry, IDS, () => undefined);
    hold.dispose();
    assert.equal(registry.handlers.size, 0);
  });
});
