import assert from 'node:assert/strict';
import { batchText } from '../../../src/core/approvals/batchText';

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
    assert.equal(batchText(batch), '7 actions from 3 agents need approval (Bash 4, Edit 2, WebFetch 1)');
  });

  it('speaks of one agent in the singular', () => {
    assert.equal(batchText([{ agentId: 'a', tool: 'Bash' }, { agentId: 'a', tool: 'Bash' }]), '2 actions from 1 agent need approval (Bash 2)');
  });
});
