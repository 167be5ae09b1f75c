// BudgetTracker: threshold alerts fire once per scope + metric + threshold, scopes aggregate their agents,
// limits can change or go away, and isExceeded looks at every enclosing scope.
import assert from 'node:assert/strict';
import { BudgetTracker } from '../../../src/core/budget/budgetTracker';
import type { BudgetLimits, BudgetScope, ThresholdCrossing, UsageUpdate } from '../../../src/core/budget/budgetTypes';
import { scopeKey } from '../../../src/core/budget/budgetTypes';

type Step =
  | { record: UsageUpdate }
  | { limits: [BudgetScope, BudgetLimits | undefined] }
  | { assign: [string, { group?: string; taskId?: string }] };

interface Case {
  name: string;
  thresholds?: number[];
  steps: Step[];
  /** Alerts in firing order, as "scopeKey metric threshold". */
  alerts: string[];
  exceeded?: Record<string, boolean>;
}

const fleet: BudgetScope = { kind: 'fleet' };
const agent = (agentId: string): BudgetScope => ({ kind: 'agent', agentId });
const group = (g: string): BudgetScope => ({ kind: 'group', group: g });
const task = (taskId: string): BudgetScope => ({ kind: 'task', taskId });

const cases: Case[] = [
  {
    name: 'crossing several thresholds in one update fires each once, in order',
    steps: [{ limits: [agent('a'), { tokens: 100 }] }, { record: { agentId: 'a', deltaTokens: 95 } }],
    alerts: ['agent:a tokens 0.7', 'agent:a tokens 0.9'],
    exceeded: { a: false },
  },
  {
    name: 'thresholds do not fire again as usage keeps growing',
    steps: [
      { limits: [agent('a'), { usd: 1 }] },
      { record: { agentId: 'a', deltaUsd: 0.75 } },
      { record: { agentId: 'a', deltaUsd: 0.05 } },
      { record: { agentId: 'a', deltaUsd: 0.2 } },
      { record: { agentId: 'a', deltaUsd: 5 } },
    ],
    alerts: ['agent:a usd 0.7', 'agent:a usd 0.9', 'agent:a usd 1'],
    exceeded: { a: true },
  },
  {
    name: 'exactly reaching a threshold counts, despite float sums (0.4 + 0.3)',
    steps: [{ limits: [agent('a'), { usd: 1 }] }, { record: { agentId: 'a', deltaUsd: 0.4 } }, { record: { agentId: 'a', deltaUsd: 0.3 } }],
    alerts: ['agent:a usd 0.7'],
  },
  {
    name: 'group and fleet aggregate their agents',
    steps: [
      { limits: [group('g'), { tokens: 100 }] },
      { limits: [fleet, { tokens: 1000 }] },
      { record: { agentId: 'a', group: 'g', deltaTokens: 40 } },
      { record: { agentId: 'b', group: 'g', deltaTokens: 40 } },
      { record: { agentId: 'c', deltaTokens: 700 } },
    ],
    alerts: ['group:g tokens 0.7', 'fleet tokens 0.7'],
    exceeded: { a: false, b: false, c: false },
  },
  {
    name: 'an exhausted group budget stops all its agents, not the others',
    steps: [
      { limits: [group('g'), { timeMs: 60_000 }] },
      { record: { agentId: 'a', group: 'g', deltaElapsedMs: 30_000 } },
      { record: { agentId: 'b', group: 'g', deltaElapsedMs: 30_000 } },
      { record: { agentId: 'c', group: 'h', deltaElapsedMs: 30_000 } },
    ],
    alerts: ['group:g timeMs 0.7', 'group:g timeMs 0.9', 'group:g timeMs 1'],
    exceeded: { a: true, b: true, c: false },
  },
  {
    name: 'an exhausted fleet budget stops every agent',
    steps: [{ limits: [fleet, { usd: 2 }] }, { record: { agentId: 'a', deltaUsd: 1 } }, { record: { agentId: 'b', group: 'g', deltaUsd: 1 } }],
    alerts: ['fleet usd 0.7', 'fleet usd 0.9', 'fleet usd 1'],
    exceeded: { a: true, b: true },
  },
  {
    name: 'task budgets count updates carrying the task, and the task is remembered for the agent',
    steps: [
      { limits: [task('t1'), { tokens: 10 }] },
      { record: { agentId: 'a', taskId: 't1', deltaTokens: 5 } },
      { record: { agentId: 'a', deltaTokens: 5 } },
      { record: { agentId: 'b', taskId: 't2', deltaTokens: 50 } },
    ],
    alerts: ['task:t1 tokens 0.7', 'task:t1 tokens 0.9', 'task:t1 tokens 1'],
    exceeded: { a: true, b: false },
  },
  {
    name: 'assignAgent puts an agent under a group budget that is already spent',
    steps: [
      { limits: [group('g'), { tokens: 10 }] },
      { record: { agentId: 'a', group: 'g', deltaTokens: 10 } },
      { assign: ['late', { group: 'g' }] },
    ],
    alerts: ['group:g tokens 0.7', 'group:g tokens 0.9', 'group:g tokens 1'],
    exceeded: { late: true, other: false },
  },
  {
    name: 'removing a limit silences that metric and un-exceeds it',
    steps: [
      { limits: [agent('a'), { tokens: 10, usd: 1 }] },
      { record: { agentId: 'a', deltaTokens: 10 } },
      { limits: [agent('a'), { usd: 1 }] },
      { record: { agentId: 'a', deltaTokens: 1000 } },
    ],
    alerts: ['agent:a tokens 0.7', 'agent:a tokens 0.9', 'agent:a tokens 1'],
    exceeded: { a: false },
  },
  {
    name: 'raising a limit re-arms its thresholds; lowering it below usage fires at once',
    steps: [
      { limits: [agent('a'), { tokens: 100 }] },
      { record: { agentId: 'a', deltaTokens: 100 } },
      { limits: [agent('a'), { tokens: 200 }] },
      { record: { agentId: 'a', deltaTokens: 45 } },
      { limits: [agent('a'), { tokens: 150 }] },
    ],
    alerts: [
      'agent:a tokens 0.7',
      'agent:a tokens 0.9',
      'agent:a tokens 1',
      'agent:a tokens 0.7',
      'agent:a tokens 0.7',
      'agent:a tokens 0.9',
    ],
    exceeded: { a: false },
  },
  {
    name: 'setting the same limits again changes nothing',
    steps: [
      { limits: [agent('a'), { tokens: 100 }] },
      { record: { agentId: 'a', deltaTokens: 80 } },
      { limits: [agent('a'), { tokens: 100 }] },
    ],
    alerts: ['agent:a tokens 0.7'],
  },
  {
    name: 'zero and absent limits mean no limit',
    steps: [
      { limits: [agent('a'), { tokens: 0, usd: 0, timeMs: 0 }] },
      { limits: [fleet, undefined] },
      { record: { agentId: 'a', deltaTokens: 1e9, deltaUsd: 1e6, deltaElapsedMs: 1e9 } },
    ],
    alerts: [],
    exceeded: { a: false },
  },
  {
    name: 'custom thresholds',
    thresholds: [1, 0.5],
    steps: [{ limits: [agent('a'), { usd: 10 }] }, { record: { agentId: 'a', deltaUsd: 6 } }, { record: { agentId: 'a', deltaUsd: 6 } }],
    alerts: ['agent:a usd 0.5', 'agent:a usd 1'],
    exceeded: { a: true },
  },
  {
    name: 'one update crossing thresholds in several scopes and metrics fires agent first, fleet last, metrics in a fixed order',
    steps: [
      { limits: [fleet, { tokens: 100 }] },
      { limits: [agent('a'), { tokens: 100, usd: 1 }] },
      { record: { agentId: 'a', deltaTokens: 75, deltaUsd: 0.95 } },
    ],
    alerts: ['agent:a tokens 0.7', 'agent:a usd 0.7', 'agent:a usd 0.9', 'fleet tokens 0.7'],
  },
];

describe('BudgetTracker', () => {
  for (const c of cases) {
    it(c.name, () => {
      const tracker = new BudgetTracker(c.thresholds ? { thresholds: c.thresholds } : {});
      const alerts: string[] = [];
      tracker.onDidCrossThreshold((e) => alerts.push(`${scopeKey(e.scope)} ${e.metric} ${e.threshold}`));
      for (const step of c.steps) {
        if ('record' in step) tracker.record(step.record);
        else if ('limits' in step) tracker.setLimits(...step.limits);
        else tracker.assignAgent(...step.assign);
      }
      assert.deepEqual(alerts, c.alerts);
      for (const [agentId, expected] of Object.entries(c.exceeded ?? {})) {
        assert.equal(tracker.isExceeded(agentId), expected, `isExceeded(${agentId})`);
      }
    });
  }

  it('snapshots report used, limit and ratio per metric, for known and unknown scopes', () => {
    const tracker = new BudgetTracker();
    tracker.setLimits(group('g'), { tokens: 200, usd: 4 });
    tracker.record({ agentId: 'a', group: 'g', deltaTokens: 50, deltaUsd: 1, deltaElapsedMs: 1000 });
    tracker.record({ agentId: 'b', group: 'g', deltaTokens: 50, deltaElapsedMs: 500 });
    assert.deepEqual(tracker.snapshot(group('g')), {
      timeMs: { used: 1500, limit: undefined, ratio: undefined },
      tokens: { used: 100, limit: 200, ratio: 0.5 },
      usd: { used: 1, limit: 4, ratio: 0.25 },
      wallMs: { used: 0, limit: undefined, ratio: undefined },
    });
    assert.deepEqual(tracker.snapshot(agent('b')).tokens, { used: 50, limit: undefined, ratio: undefined });
    assert.deepEqual(tracker.snapshot(task('never')).usd, { used: 0, limit: undefined, ratio: undefined });
    assert.deepEqual(tracker.getLimits(group('g')), { tokens: 200, usd: 4 });
  });

  it('alert payloads carry the figures and the agent that caused them; listeners see the whole update applied', () => {
    const tracker = new BudgetTracker({ thresholds: [1] });
    tracker.setLimits(agent('a'), { usd: 2 });
    tracker.setLimits(fleet, { usd: 2 });
    const seen: [ThresholdCrossing, number][] = [];
    tracker.onDidCrossThreshold((e) => seen.push([e, tracker.snapshot(fleet).usd.used]));
    tracker.record({ agentId: 'a', deltaUsd: 3 });
    assert.deepEqual(seen, [
      [{ scope: agent('a'), metric: 'usd', threshold: 1, used: 3, limit: 2, ratio: 1.5, agentId: 'a' }, 3],
      [{ scope: fleet, metric: 'usd', threshold: 1, used: 3, limit: 2, ratio: 1.5, agentId: 'a' }, 3],
    ]);
    assert.deepEqual(
      tracker.exceededBudgets('a').map((b) => `${scopeKey(b.scope)} ${b.metric}`),
      ['agent:a usd', 'fleet usd'],
    );
  });

  const badInputs: [string, () => void, RegExp][] = [
    ['negative delta', () => new BudgetTracker().record({ agentId: 'a', deltaTokens: -1 }), /deltaTokens must be a number >= 0/],
    ['NaN delta', () => new BudgetTracker().record({ agentId: 'a', deltaUsd: NaN }), /deltaUsd/],
    ['empty agent id', () => new BudgetTracker().record({ agentId: '' }), /agentId/],
    ['negative limit', () => new BudgetTracker().setLimits(fleet, { usd: -5 }), /usd of fleet must be a positive number/],
    ['infinite limit', () => new BudgetTracker().setLimits(agent('x'), { tokens: Infinity }), /tokens of agent:x/],
    ['zero threshold', () => new BudgetTracker({ thresholds: [0] }), /threshold 0/],
  ];
  for (const [name, run, message] of badInputs) {
    it(`refuses bad input (${name}) with a message naming the field`, () => assert.throws(run, message));
  }
});
