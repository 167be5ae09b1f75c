// The budget gate in the real gate chain: an agent within its budget passes (the policy decides); once dollars,
// tokens or active time reach the limit, its next tool call needs a human, with a reason naming spent/limit; a
// policy deny still wins.
import assert from 'node:assert/strict';
import { budgetGate, budgetUse } from '../../../src/core/approvals/budgetGate';
import { gateChain } from '../../../src/core/approvals/gateChain';
import type { ActionGate } from '../../../src/core/approvals/gateChain';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AgentSnapshotSchema } from '../../../src/shared/agent';
import { FakeClock } from '../../kit/fakeClock';

function agent(patch: Partial<AgentSnapshot>): AgentSnapshot {
  return AgentSnapshotSchema.parse({
    id: 'a1',
    name: 'agent-3',
    kind: 'claude-code',
    status: 'working',
    createdAt: 0,
    cwd: '/tmp',
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {},
    costUsd: 0,
    unpricedModels: [],
    ...patch,
  });
}

describe('budget gate', () => {
  const clock = new FakeClock(10_000_000);
  const allow: ActionGate = () => ({ kind: 'allow', tier: 'allow' });
  const deny: ActionGate = () => ({ kind: 'deny', tier: 'deny', reason: 'policy says no' });
  const action = { tool: 'Bash', input: { command: 'ls' }, summary: 'Bash: ls' };
  const chain = gateChain([budgetGate(clock), allow]);

  it('passes within the budget: the policy decides', () => {
    assert.deepEqual(chain({ agent: agent({ budget: { usd: 5 }, costUsd: 4.99 }), action, cwd: '/tmp' }), { kind: 'allow', tier: 'allow' });
    assert.deepEqual(chain({ agent: agent({}), action, cwd: '/tmp' }), { kind: 'allow', tier: 'allow' });
  });

  it('dollars spent: the next tool call is denied with a message the agent reads, naming spent/limit and the agent', () => {
    const heard: string[] = [];
    const withHook = gateChain([budgetGate(clock, undefined, (a, tool, reason) => heard.push(`${a.name} ${tool} ${reason}`)), allow]);
    const verdict = withHook({ agent: agent({ budget: { usd: 5 }, costUsd: 5.02 }), action, cwd: '/tmp' });
    const reason = 'budget exhausted: $5.02 of $5.00 for agent-3; waiting for the operator. Do not retry this or work around it: stop here and wait; you will be told when the budget is raised.';
    assert.deepEqual(verdict, { kind: 'deny', tier: 'prohibited', rule: 'budget', reason });
    assert.deepEqual(heard, [`agent-3 Bash ${reason}`]);
    assert.deepEqual(withHook({ agent: agent({ budget: { usd: 5 }, costUsd: 4 }), action, cwd: '/tmp' }).kind, 'allow');
    assert.equal(heard.length, 1, 'only denials are heard');
  });

  it('tokens, and active time counted up to now (the running stretch included)', () => {
    const tokens = chain({ agent: agent({ budget: { tokens: 200_000 }, usage: { input: 150_000, output: 0, cacheRead: 50_000, cacheWrite: 0 } }), action, cwd: '/tmp' });
    assert.equal(tokens.kind, 'deny');
    const now = clock.now();
    const working = agent({ budget: { timeMs: 30 * 60_000 }, activeMs: 20 * 60_000, activeSince: now - 9 * 60_000 });
    assert.equal(chain({ agent: working, action, cwd: '/tmp' }).kind, 'allow');
    clock.advance(60_000);
    const later = chain({ agent: working, action, cwd: '/tmp' });
    assert.equal(later.kind, 'deny');
    assert.match((later as { reason: string }).reason, /30m of 30m/);
    assert.deepEqual(budgetUse(working, clock.now()).map((u) => [u.metric, u.used, u.limit]), [['timeMs', 30 * 60_000, 30 * 60_000]]);
  });

  it('the budget deny comes first: a policy deny does not hide why the agent must wait', () => {
    const verdict = gateChain([budgetGate(clock), deny])({ agent: agent({ budget: { usd: 1 }, costUsd: 2 }), action, cwd: '/tmp' });
    assert.equal(verdict.kind === 'deny' && verdict.rule, 'budget');
  });
});
