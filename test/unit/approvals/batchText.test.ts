import assert from 'node:assert/strict';
import { batchText, leadRequest } from '../../../src/core/approvals/batchText';

describe('batch notification wording', () => {
  it('counts actions, agents and tools, most used tool first', () => {
    const batch = [
      { agentId: 'a', tool: 'Edit' },
      { agentId: 'a', tool: 'Bash' },
      { agentId: 'b', tool: 'Bash' },
      { agentId: 'c', tool: 'Bash' },
      { agentId: 'c', tool: 'WebFetch' },
      { agentId: 'c', tool: 'Edit' },
      { agentId: 'c', tool: 'Bash' },
    ];
    assert.equal(batchText(batch), '7 actions from a, b and c need approval (Bash 4, Edit 2, WebFetch 1)');
  });

  it('names the agents (escaped), counting past three, and leads with the first action a rule sent to a human', () => {
    const batch = ['alpha', 'bravo', 'char\u202elie', 'delta', 'echo'].map((n) => ({ agentId: n, agentName: n, tool: 'Bash' }));
    assert.equal(batchText(batch), '5 actions from alpha, bravo, char\\u202elie and 2 more need approval (Bash 5)');
    const lead = leadRequest([{ agentId: 'a', tool: 'Read' }, { agentId: 'b', tool: 'Bash', tier: 'approve' }]);
    assert.equal(lead?.agentId, 'b');
    assert.equal(leadRequest([{ agentId: 'a', tool: 'Read' }])?.agentId, 'a');
  });

  it('speaks of one agent in the singular', () => {
    assert.equal(batchText([{ agentId: 'a', tool: 'Bash' }, { agentId: 'a', tool: 'Bash' }]), '2 actions from a need approval (Bash 2)');
  });
});
