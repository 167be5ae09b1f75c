// Group rows of the Agents tree: named groups first (most urgent first), agents without a group at the top level, and
// the group's words: count, the members' summed spending against the tightest dimension of its budget, who needs you.
import * as assert from 'node:assert/strict';
import { GroupNodes, groupFraction, groupNodeDescription, groupUse, layoutGroups } from '../../../src/vscode/agentGroupNodes';
import type { AgentSnapshot } from '../../../src/shared/agent';
import type { AgentStatus } from '../../../src/shared/status';

let n = 0;
const agent = (name: string, status: AgentStatus, extra: Partial<AgentSnapshot> = {}): AgentSnapshot =>
  ({
    id: `id-${name}`, name, kind: 'claude-code', status, createdAt: 1000 + n++, cwd: '/w', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {}, costUsd: 0, unpricedModels: [], transcriptPaths: [], activeMs: 0, ...extra,
  }) as AgentSnapshot;

describe('Agents tree group rows', () => {
  it('puts grouped agents under their group, the most urgent group first, the rest at the top level', () => {
    const layout = layoutGroups([agent('a', 'working', { group: 'backend' }), agent('b', 'idle'), agent('c', 'waiting-approval', { group: 'web' }), agent('d', 'idle', { group: 'backend' })], 'attention');
    assert.deepEqual(layout.groups.map((g) => [g.name, g.agents.map((a) => a.name)]), [['web', ['c']], ['backend', ['a', 'd']]]);
    assert.deepEqual(layout.loose.map((a) => a.name), ['b']);
  });

  it('describes a group by its count, summed cost against its budget and who needs you', () => {
    const members = [agent('a', 'working', { costUsd: 0.7 }), agent('b', 'waiting-input', { costUsd: 0.5 }), agent('c', 'idle', { costUsd: 0 })];
    assert.equal(groupNodeDescription(members, { usd: 5 }), '3 agents · $1.20/$5 · 1 needs you');
    assert.equal(groupNodeDescription(members, undefined), '3 agents · $1.20 · 1 needs you');
    // The tightest dimension: 150k of 200k tokens (75 %) over $1.20 of $5 (24 %).
    const heavy = [agent('t', 'idle', { costUsd: 1.2, usage: { input: 100_000, output: 50_000, cacheRead: 0, cacheWrite: 0 } })];
    assert.equal(groupFraction(heavy, { usd: 5, tokens: 200_000 }), '150k/200k tokens');
    assert.equal(groupUse(heavy, { usd: 5, tokens: 200_000 })?.share, 0.75);
    assert.equal(groupUse(heavy, undefined), undefined);
  });

  it('keeps one element per group name', () => {
    const nodes = new GroupNodes();
    assert.equal(nodes.node('backend'), nodes.node('backend'));
    assert.deepEqual(nodes.node('web'), { type: 'group', id: 'group:web', name: 'web' });
  });
});
