// Credentials in a secret store: an agent gets its own over its group's over the fleet's; the index holds names
// only; bad names are refused naming the rule; keys found in a plain-text env setting are spotted for the move.
import assert from 'node:assert/strict';
import { credentialsFor, Credentials, secretKey, secretLookingKeys } from '../../../src/core/credentials/credentials';
import type { CredentialEntry } from '../../../src/core/credentials/credentials';

function stores() {
  const secrets = new Map<string, string>();
  const memento = new Map<string, unknown>();
  return {
    secrets,
    memento,
    credentials: new Credentials(
      { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
      { get: <T>(k: string) => memento.get(k) as T | undefined, update: async (k, v) => void memento.set(k, v) },
    ),
  };
}

describe('credentials', () => {
  it('gives an agent its own key over its group over the fleet, and nothing of other groups or agents', async () => {
    const { credentials } = stores();
    await credentials.set({ scope: { kind: 'fleet' }, name: 'ANTHROPIC_API_KEY' }, 'sk-fleet');
    await credentials.set({ scope: { kind: 'fleet' }, name: 'OPENAI_API_KEY' }, 'sk-openai');
    await credentials.set({ scope: { kind: 'group', group: 'web' }, name: 'ANTHROPIC_API_KEY' }, 'sk-web');
    await credentials.set({ scope: { kind: 'agent', agentId: 'a1' }, name: 'ANTHROPIC_API_KEY' }, 'sk-a1');
    await credentials.set({ scope: { kind: 'group', group: 'api' }, name: 'GITHUB_TOKEN' }, 'gh');
    assert.deepEqual(await credentials.envFor({ id: 'a1', group: 'web' }), { ANTHROPIC_API_KEY: 'sk-a1', OPENAI_API_KEY: 'sk-openai' });
    assert.deepEqual(await credentials.envFor({ id: 'a2', group: 'web' }), { ANTHROPIC_API_KEY: 'sk-web', OPENAI_API_KEY: 'sk-openai' });
    assert.deepEqual(await credentials.envFor({ id: 'a3', group: undefined }), { ANTHROPIC_API_KEY: 'sk-fleet', OPENAI_API_KEY: 'sk-openai' });
    assert.deepEqual(credentials.namesFor({ id: 'a2', group: 'web' }), [
      { name: 'ANTHROPIC_API_KEY', from: 'group web' },
      { name: 'OPENAI_API_KEY', from: 'fleet' },
    ]);
  });

  it('keeps values out of the index, replaces a value in place, and forgets a removed one', async () => {
    const { credentials, memento, secrets } = stores();
    const entry: CredentialEntry = { scope: { kind: 'agent', agentId: 'a1' }, name: 'OPENAI_API_KEY' };
    await credentials.set(entry, 'sk-one');
    await credentials.set(entry, 'sk-two');
    assert.equal(credentials.list().length, 1);
    assert.equal(secrets.get(secretKey(entry)), 'sk-two');
    assert.ok(!JSON.stringify([...memento]).includes('sk-'), 'no value in the index');
    await credentials.remove(entry);
    assert.deepEqual(credentials.list(), []);
    assert.equal(secrets.size, 0);
  });

  it("carries one agent's own credentials over to the agent that restarts it, and only those", async () => {
    const { credentials } = stores();
    await credentials.set({ scope: { kind: 'agent', agentId: 'old' }, name: 'ANTHROPIC_API_KEY' }, 'sk-old');
    await credentials.set({ scope: { kind: 'agent', agentId: 'other' }, name: 'OPENAI_API_KEY' }, 'sk-other');
    await credentials.set({ scope: { kind: 'fleet' }, name: 'GITHUB_TOKEN' }, 'gh');
    assert.equal(await credentials.carryOver('old', 'new'), 1);
    assert.deepEqual(await credentials.envFor({ id: 'new', group: undefined }), { ANTHROPIC_API_KEY: 'sk-old', GITHUB_TOKEN: 'gh' });
    assert.deepEqual(credentials.namesFor({ id: 'new', group: undefined })[0], { name: 'ANTHROPIC_API_KEY', from: 'this agent' });
    assert.equal(await credentials.carryOver('nobody', 'new2'), 0);
  });

  it('groups costs by credential: the agents each one reaches, started since its value was set', async () => {
    let now = 1000;
    const secrets = new Map<string, string>();
    const memento = new Map<string, unknown>();
    const credentials = new Credentials(
      { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) },
      { get: <T>(k: string) => memento.get(k) as T | undefined, update: async (k, v) => void memento.set(k, v) },
      () => now,
    );
    await credentials.set({ scope: { kind: 'fleet' }, name: 'ANTHROPIC_API_KEY' }, 'sk-fleet');
    await credentials.set({ scope: { kind: 'group', group: 'review' }, name: 'ANTHROPIC_API_KEY' }, 'sk-review');
    now = 5000;
    await credentials.set({ scope: { kind: 'agent', agentId: 'solo' }, name: 'ANTHROPIC_API_KEY' }, 'sk-solo');
    const fleet = [
      { id: 'r1', group: 'review', createdAt: 2000, startedAt: 2000, costUsd: 1.5 },
      { id: 'r2', group: 'review', createdAt: 3000, startedAt: 3000, costUsd: 0.25 },
      { id: 'old', group: undefined, createdAt: 500, startedAt: 500, costUsd: 9 },
      { id: 'b1', group: undefined, createdAt: 2000, startedAt: 2000, costUsd: 2 },
      { id: 'solo', group: undefined, createdAt: 4000, startedAt: 4000, costUsd: 7 },
    ];
    const byScope = Object.fromEntries(credentials.costs(fleet).map((c) => [c.entry.scope.kind, [c.agents, c.costUsd]]));
    // "old" started before any key was set; "solo" started before its own key (its process never had it).
    assert.deepEqual(byScope, { fleet: [1, 2], group: [2, 1.75], agent: [0, 0] });
    assert.deepEqual(credentials.namesFor({ id: 'r1', group: 'review' }, fleet), [{ name: 'ANTHROPIC_API_KEY', from: 'group review; $1.75 across 2 agents' }]);
    // Restart: the new agent has the key since it was set, so its costs count.
    await credentials.carryOver('solo', 'solo-2');
    const restarted = [...fleet, { id: 'solo-2', group: undefined, createdAt: 6000, startedAt: 6000, costUsd: 0.5 }];
    assert.deepEqual(credentials.namesFor({ id: 'solo-2', group: undefined }, restarted), [{ name: 'ANTHROPIC_API_KEY', from: 'this agent; $0.50 across 1 agent' }]);
  });

  it('refuses names that are not variables or are Flotilla’s own, naming the field', async () => {
    const { credentials } = stores();
    await assert.rejects(credentials.set({ scope: { kind: 'fleet' }, name: '1KEY' }, 'x'), /name.*a variable name/s);
    await assert.rejects(credentials.set({ scope: { kind: 'fleet' }, name: 'FLOTILLA_TOKEN' }, 'x'), /set by Flotilla/);
    await assert.rejects(credentials.set({ scope: { kind: 'fleet' }, name: 'OK_KEY' }, ''), /empty/);
  });

  it('skips bad index entries (tolerant read) and spots keys in a plain-text env setting', () => {
    const { credentials, memento } = stores();
    memento.set('flotilla.credentials.index', [{ scope: { kind: 'fleet' }, name: 'GOOD_KEY' }, { scope: { kind: 'moon' }, name: 'X' }, 42]);
    assert.deepEqual(credentials.list(), [{ scope: { kind: 'fleet' }, name: 'GOOD_KEY' }]);
    assert.deepEqual(secretLookingKeys({ ANTHROPIC_API_KEY: 'sk', ANTHROPIC_BASE_URL: 'http://x', GH_TOKEN: 't', PORT: 1 as unknown as string }), ['ANTHROPIC_API_KEY', 'GH_TOKEN']);
    assert.deepEqual(credentialsFor([], { id: 'a', group: undefined }), []);
  });
});
