// Group rows of the Agents tree: named groups first (most urgent first), agents without a group at the top level, and
// the group's words: count, the members' summed spending against the tightest dimension of its budget, who needs you.
import * as assert from 'node:assert/strict';
import { GroupNodes, groupFraction, groupNodeDescription, groupUse, layoutGroups } from '../../../src/vscode/agentGroupNodes';
import type { AgentSnapshot } from '../../../src/shared/agent';
import type { AgentStatus } from '../../../src/shared/status';

/** Noon of a local day: the agents below started the day before. */
const NOW = new Date(2026, 10, 30, 12, 0, 0).getTime();
const YESTERDAY = NOW - 24 * 3600_000;
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
    assert.equal(groupNodeDescription(members, { usd: 5 }, NOW), '3 agents · $1.20/$5 · 1 needs you');
    assert.equal(groupNodeDescription(members, undefined, NOW), '3 agents · $1.20 · 1 needs you');
    // The tightest dimension: 150k of 200k tokens (75 %) over $1.20 of $5 (24 %).
    const heavy = [agent('t', 'idle', { costUsd: 1.2, usage: { input: 100_000, output: 50_000, cacheRead: 0, cacheWrite: 0 } })];
    assert.equal(groupFraction(heavy, { usd: 5, tokens: 200_000 }, NOW), '150k/200k tokens');
    assert.equal(groupUse(heavy, { usd: 5, tokens: 200_000 }, NOW)?.share, 0.75);
    assert.equal(groupUse(heavy, undefined, NOW), undefined);
  });

  it('a budget per day counts the members today; per task, the busiest task — as the budget gate does', () => {
    const today = { since: new Date(2026, 10, 30).getTime(), usd: 0.5, tokens: 0, activeMs: 0 };
    const members = [
      agent('a', 'working', { startedAt: YESTERDAY, costUsd: 2, budgetMarks: { day: today, task: { since: NOW - 60_000, usd: 1.9, tokens: 0, activeMs: 0 } } }),
      agent('b', 'idle', { startedAt: YESTERDAY, costUsd: 1, budgetMarks: { day: today, task: { since: NOW - 60_000, usd: 0.6, tokens: 0, activeMs: 0 } } }),
    ];
    // Today: 1.50 + 0.50; in total $3 (which the row must not show against a budget per day).
    assert.equal(groupNodeDescription(members, { usd: 5, period: 'day' }, NOW), '2 agents · $2.00/$5 today');
    assert.equal(groupUse(members, { usd: 5, period: 'day' }, NOW)?.share, 0.4);
    // Per task: b's task spent $0.40, a's $0.10; each task is bounded on its own.
    assert.equal(groupFraction(members, { usd: 1, period: 'task' }, NOW), '$0.40/$1 (busiest task)');
  });

  it('keeps one element per group name', () => {
    const nodes = new GroupNodes();
    assert.equal(nodes.node('backend'), nodes.node('backend'));
    assert.deepEqual(nodes.node('web'), { type: 'group', id: 'group:web', name: 'web' });
  });
});
