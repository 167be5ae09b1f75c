// First run: the Flotilla view is revealed once, when the first agent starts, and the flag that remembers it is
// kept in globalState; a fleet that already has agents (an existing user) is not interrupted.
import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import { FIRST_AGENT_REVEALED_KEY, revealOnFirstAgent } from '../../../src/vscode/firstRunReveal';
import type { AgentSnapshot } from '../../../src/shared/agent';

class Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

const agent = (name: string) => ({ id: `id-${name}`, name, status: 'starting' }) as unknown as AgentSnapshot;
const log = { warn: (message: string) => assert.fail(message) };

describe('revealOnFirstAgent', () => {
  it('reveals the view for the first agent only, and remembers it', async () => {
    const changed = new Emitter<AgentSnapshot>();
    const memento = new Memento();
    const revealed: string[] = [];
    revealOnFirstAgent({ agents: () => [], onDidChangeAgent: changed.event, memento, reveal: async (a) => void revealed.push(a.name), log });
    changed.fire(agent('first'));
    changed.fire(agent('first'));
    changed.fire(agent('second'));
    await Promise.resolve();
    assert.deepEqual(revealed, ['first']);
    assert.equal(memento.get(FIRST_AGENT_REVEALED_KEY), true);

    // The next window: the flag is set, nothing is revealed.
    const next = new Emitter<AgentSnapshot>();
    revealOnFirstAgent({ agents: () => [], onDidChangeAgent: next.event, memento, reveal: async (a) => void revealed.push(a.name), log });
    next.fire(agent('third'));
    assert.deepEqual(revealed, ['first']);
  });

  it('does not interrupt a fleet that already has agents, and sets the flag', () => {
    const changed = new Emitter<AgentSnapshot>();
    const memento = new Memento();
    const revealed: string[] = [];
    revealOnFirstAgent({ agents: () => [agent('old')], onDidChangeAgent: changed.event, memento, reveal: async (a) => void revealed.push(a.name), log });
    changed.fire(agent('new'));
    assert.deepEqual(revealed, []);
    assert.equal(memento.get(FIRST_AGENT_REVEALED_KEY), true);
  });

  it('stops following the fleet when disposed before any agent', () => {
    const changed = new Emitter<AgentSnapshot>();
    const revealed: string[] = [];
    const follow = revealOnFirstAgent({ agents: () => [], onDidChangeAgent: changed.event, memento: new Memento(), reveal: async (a) => void revealed.push(a.name), log });
    follow.dispose();
    changed.fire(agent('late'));
    assert.deepEqual(revealed, []);
  });
});
