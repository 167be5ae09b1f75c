// The fleet's status bar words: working and needs-you counts (approval, input, terminal, paused for budget or quota), the
// dollars of today to the cent with "+" and a tooltip line when a model has no price, nothing for an empty fleet.
import * as assert from 'node:assert/strict';
import { centsText, fleetStatusText } from '../../../src/vscode/fleetStatusText';
import type { AgentSnapshot } from '../../../src/shared/agent';
import type { AgentStatus } from '../../../src/shared/status';

let n = 0;
const agent = (name: string, status: AgentStatus, extra: Partial<AgentSnapshot> = {}): AgentSnapshot =>
  ({
    id: `id-${name}`, name, kind: 'claude-code', status, createdAt: 1000 + n++, cwd: '/w', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {}, costUsd: 0, unpricedModels: [], transcriptPaths: [], activeMs: 0, ...extra,
  }) as AgentSnapshot;

describe('fleet status bar words', () => {
  it('says how many work and how many need you, and today’s dollars', () => {
    const fleet = [
      agent('w1', 'working'),
      agent('w2', 'working'),
      agent('w3', 'working'),
      agent('ask', 'waiting-approval'),
      agent('broke', 'working', { budgetPaused: true, budgetReason: '$5.01 of $5 for broke' }),
      agent('quiet', 'idle'),
      agent('gone', 'stopped'),
    ];
    const words = fleetStatusText(fleet, { usd: 4.2, unpriced: [] }, 10);
    assert.equal(words.text, '$(pulse) 3 working · 2 need you · $4.20 today');
    assert.equal(words.accessible, 'Flotilla: 3 working, 2 need you, $4.20 spent today. Opens the Costs view.');
    assert.deepEqual(words.tooltip, [
      'Flotilla: 7 agents',
      '3 working: w1, w2, w3',
      '2 need you: ask (waiting for approval), broke (paused for budget)',
      '$4.20 spent today (since local midnight, as in the Costs view)',
      'Click to open the Costs view.',
    ]);
    assert.equal(fleetStatusText([agent('x', 'waiting-input')], { usd: 0, unpriced: [] }, 10).text, '$(pulse) 1 needs you · $0.00 today');
    const quota = fleetStatusText([agent('q', 'idle', { quotaPause: { since: 1, until: 2, reason: 'usage limit' } })], { usd: 0, unpriced: [] }, 10);
    assert.equal(quota.text, '$(pulse) 1 needs you · $0.00 today');
    assert.equal(quota.tooltip[1], '1 needs you: q (paused — quota)');
    // Before its reset there is nothing to do: not counted; without a known reset it waits on the user.
    const waiting = agent('w', 'idle', { quotaPause: { since: 1, until: 20, reason: 'usage limit' } });
    assert.equal(fleetStatusText([waiting], { usd: 0, unpriced: [] }, 10).text, '$(pulse) 1 agent · $0.00 today');
    assert.equal(fleetStatusText([agent('u', 'idle', { quotaPause: { since: 1, reason: '429' } })], { usd: 0, unpriced: [] }, 10).text, '$(pulse) 1 needs you · $0.00 today');
  });

  it('marks an unpriced model with "+" and says how to price it', () => {
    const words = fleetStatusText([agent('a', 'idle')], { usd: 4.2, unpriced: ['my-model'] }, 10);
    assert.equal(words.text, '$(pulse) 1 agent · $4.20+ today');
    assert.ok(words.tooltip.includes('Not counted: my-model has no price. Add it to flotilla.pricing.overrides.'));
  });

  it('shows nothing for an empty fleet and writes cents', () => {
    assert.equal(fleetStatusText([], { usd: 0, unpriced: [] }, 10).text, undefined);
    assert.equal(centsText(0.004), '<$0.01');
    assert.equal(centsText(0.005), '$0.01');
    assert.equal(centsText(12.345), '$12.35');
  });
});
