// The Agents tree's order: what needs the user first (approval, question, terminal, budget-paused, failed, stalled,
// then working, then the rest), or by name, or by start; grouping by group; compact row parts.
import * as assert from 'node:assert/strict';
import { attentionRank, budgetPaused, compactDuration, groupAgents, SHORT_LABEL, sortAgents } from '../../../src/vscode/agentOrder';
import { agentLook, LOOKS } from '../../../src/vscode/agentStatusLook';
import type { PresentedAgent } from '../../../src/vscode/agentStatusLook';
import type { AgentStatus } from '../../../src/shared/status';

let n = 0;
const agent = (name: string, status: AgentStatus, extra: Partial<PresentedAgent> = {}): PresentedAgent =>
  ({
    id: `id-${name}`, name, kind: 'claude-code', status, createdAt: 1000 + n++, cwd: '/w', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {}, costUsd: 0, unpricedModels: [], transcriptPaths: [], activeMs: 0, ...extra,
  }) as PresentedAgent;

describe('agents tree order', () => {
  const fleet = [
    agent('done-1', 'done'),
    agent('worker', 'working'),
    agent('stuck', 'stalled'),
    agent('broken', 'failed'),
    agent('review', 'idle', { lastTurn: 'ended' }),
    agent('broke', 'waiting-input', { statusReason: 'Paused: budget of $5.00 reached' }),
    agent('trusty', 'waiting-input', { waitingFor: 'terminal' }),
    agent('asker', 'waiting-input', { waitingFor: 'input' }),
    agent('pusher', 'waiting-approval'),
  ];

  it('puts approval, question, terminal, budget, failed, stalled, working first, then the rest', () => {
    assert.deepEqual(
      sortAgents(fleet, 'attention').map((a) => a.name),
      ['pusher', 'asker', 'trusty', 'broke', 'broken', 'stuck', 'worker', 'review', 'done-1'],
    );
  });

  it('budget-paused: a flag wins over the reason; an ended agent is not paused', () => {
    assert.equal(budgetPaused(agent('x', 'idle', { statusReason: 'budget reached' })), true);
    assert.equal(budgetPaused(agent('x', 'stopped', { statusReason: 'budget reached' })), false);
    assert.equal(budgetPaused({ ...agent('x', 'idle', { statusReason: 'budget reached' }), budgetPaused: false } as PresentedAgent), false);
    assert.ok(attentionRank(agent('x', 'idle', { statusReason: 'budget' })) < attentionRank(agent('y', 'failed')));
  });

  it('sorts by name (numbers in order) or by start, the input untouched', () => {
    const named = [agent('agent-10', 'idle'), agent('agent-2', 'idle'), agent('Bravo', 'idle')];
    assert.deepEqual(sortAgents(named, 'name').map((a) => a.name), ['agent-2', 'agent-10', 'Bravo']);
    assert.deepEqual(sortAgents(named, 'start').map((a) => a.name), ['agent-10', 'agent-2', 'Bravo']);
    assert.equal(named[0]!.name, 'agent-10');
  });

  it('groups: the group holding what needs you first, agents without a group last among equals', () => {
    const groups = groupAgents(
      [agent('a', 'working', { group: 'web' }), agent('b', 'waiting-approval', { group: 'api' }), agent('c', 'working'), agent('d', 'idle', { group: 'web' })],
      'attention',
    );
    assert.deepEqual(groups.map((g) => [g.name, g.agents.map((a) => a.name)]), [['api', ['b']], ['web', ['a', 'd']], [undefined, ['c']]]);
    assert.deepEqual(groupAgents([agent('z', 'idle', { group: 'zeta' }), agent('y', 'failed', { group: 'alpha' })], 'name').map((g) => g.name), ['alpha', 'zeta']);
  });

  it('keeps the description short: every state word within 17 characters, durations in two units', () => {
    for (const look of Object.keys(LOOKS) as (keyof typeof LOOKS)[]) {
      const word = SHORT_LABEL[look] ?? LOOKS[look].label;
      assert.ok(word.length <= 17, `${look}: "${word}"`);
    }
    assert.equal(SHORT_LABEL[agentLook(agent('p', 'waiting-approval'))], 'needs approval');
    assert.deepEqual([compactDuration(42_000), compactDuration(185_000), compactDuration(3_900_000)], ['<1m', '3m', '1h 05m']);
  });
});
