// A group budget pauses two real Claude Code agents at once: both agents of group `backend` run the real CLI
// (offline, scripted model server) through the real hook path (bridge -> Claude Code adapter -> signal router ->
// gate chain with the budget gate first). Agent A's first request alone spends more than the group's $0.005; its
// own tool call is denied with the budget message, and at that moment B (still waiting for its first answer) is
// paused too; B's first tool call is then denied the same way. The model server receives the message in both
// tool results; nothing ran. Raising the group budget releases both, each noted as waiting to be told to go on.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { budgetGate } from '../../../src/core/approvals/budgetGate';
import { changeBudget } from '../../../src/core/budget/budgetChange';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import type { BudgetRelease } from '../../../src/core/budget/budgetWatch';
import { systemClock } from '../../../src/core/clock';
import type { AuditInput } from '../../../src/core/store/auditLog';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import type { Scenario } from '../../fixtures/modelServer/scenario';
import { newFleet } from '../core/fleetKit';
import { budgetedRuntime } from './budgetedRuntime';
import { buildHookProgram, claudeAvailable, createSandbox, runClaude } from '../claudeCode/claudeRunner';
import type { Sandbox } from '../claudeCode/claudeRunner';

const MODEL = 'claude-sonnet-4-5-20250929';
const small = { input: 100, output: 10, cacheRead: 0, cacheCreation: 0 };

/** A: a first request of $0.0105 (3000 in, 100 out at $3/$15 per M) asking for a Bash call. */
const spender: Scenario = {
  name: 'group-spender',
  model: MODEL,
  turns: [
    { tool: { name: 'Bash', input: { command: 'printf ran-a', description: 'say a' } }, usage: { input: 3000, output: 100, cacheRead: 0, cacheCreation: 0 } },
    { text: 'Waiting for the operator.', usage: small, gate: 'a-after' },
  ],
} as Scenario;

/** B: held at the gate until A has crossed the group budget, then a cheap Bash call. */
const bystander: Scenario = {
  name: 'group-bystander',
  model: MODEL,
  turns: [
    { tool: { name: 'Bash', input: { command: 'printf ran-b', description: 'say b' } }, usage: small, gate: 'b-first' },
    { text: 'Waiting for the operator.', usage: small, gate: 'b-after' },
  ],
} as Scenario;

describe('a group budget pauses two real Claude Code agents at once', function () {
  this.timeout(180_000);
  let model: ModelServer;
  let hookDir: string;
  const sandboxes: Sandbox[] = [];

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer({ scenarios: new Map([[spender.name, spender], [bystander.name, bystander]]) });
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-hook-'));
    await buildHookProgram(join(hookDir, 'hook.js'));
  });

  after(async () => {
    await model?.stop();
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
    for (const s of sandboxes) s.dispose();
  });

  it('A crosses the group budget: its own call and B’s next call are denied with the budget message; a raise releases both', async () => {
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 120_000 }));
    // No human is in this test: anything put to one is denied (and would show in `asked`).
    const asked: string[] = [];
    approvals.onDidAdd((p) => {
      asked.push(p.summary);
      approvals.decide(p.id, 'deny', 'user', 'no human here');
    });
    const watch = new BudgetWatch({ fleet, clock: systemClock, log, budgets: { fleet: undefined, groups: { backend: { usd: 0.005 } } } });
    const denials: { agent: string; pausedTogether: string[] }[] = [];
    const gate = budgetGate(systemClock, (a) => watch.spentScopes(a), (a) => {
      watch.noteDenied(a.id);
      denials.push({ agent: a.name, pausedTogether: watch.pausedAgents('backend').map((x) => x.name).sort() });
    });
    const { runtime, bridge, bridgeUrl, settings } = await budgetedRuntime({ fleet, approvals, log, gate, hookDir });

    try {
      const run = (name: string, scenario: string) => {
        const sandbox = createSandbox();
        sandboxes.push(sandbox);
        const { agent, token } = fleet.create({ name, kind: 'claude-code', cwd: sandbox.repo, group: 'backend' });
        const done = runClaude({ sandbox, prompt: `[scenario:${scenario}] go`, settings, modelUrl: model.url, env: { FLOTILLA_AGENT_ID: agent.id, FLOTILLA_AGENT_TOKEN: token, FLOTILLA_BRIDGE_URL: bridgeUrl }, timeoutMs: 150_000 });
        return { id: agent.id, done };
      };
      const a = run('agent-a', spender.name);
      const b = run('agent-b', bystander.name);
      // A's first request crossed the budget, and its own tool call was the one denied: both were paused by then.
      await Promise.all([model.whenHeld('a-after', 1), model.whenHeld('b-first', 1)]);
      assert.deepEqual(denials, [{ agent: 'agent-a', pausedTogether: ['agent-a', 'agent-b'] }]);
      assert.equal(fleet.get(b.id)!.costUsd, 0, 'B has spent nothing');
      assert.match(fleet.get(b.id)!.budgetReason!, /\$0\.01\d* of \$0\.005 for group backend/);

      model.openGate('b-first');
      await model.whenHeld('b-after', 1);
      assert.deepEqual(denials.map((d) => d.agent), ['agent-a', 'agent-b']);
      assert.deepEqual(asked, [], 'no call was put to a human');

      // Raise the group budget while both wait: both released, each noted as waiting to be told to go on; audited.
      const released: BudgetRelease[] = [];
      watch.onDidRelease((r) => released.push(r));
      const audit: AuditInput[] = [];
      const said = await changeBudget({ watch, appendAudit: (e) => audit.push(e), writeScope: () => Promise.resolve() }, { kind: 'group', group: 'backend' }, { usd: 1 }, 'group backend', (id) => fleet.get(id));
      assert.match(said, /2 agents no longer paused/);
      assert.deepEqual(released.map((r) => [r.agent.name, r.denied]).sort(), [['agent-a', true], ['agent-b', true]]);
      assert.equal(fleet.get(a.id)!.budgetPaused, undefined);
      assert.deepEqual(audit.map((e) => e.action), ['budget.set']);

      model.openGate('a-after');
      model.openGate('b-after');
      for (const run of [await a.done, await b.done]) assert.equal(run.timedOut, false, 'claude did not finish in time');

      // The model server got the budget message in each agent's tool result; neither command ran.
      for (const scenario of [spender.name, bystander.name]) {
        const results = model.requests.filter((r) => r.scenario === scenario && r.kind === 'turn').flatMap((r) => r.toolResults);
        assert.equal(results.length, 1, `${scenario}: ${JSON.stringify(results)}`);
        assert.equal(results[0]!.isError, true);
        assert.doesNotMatch(results[0]!.text, /ran-/, 'the command did not run');
        assert.match(results[0]!.text, /budget exhausted: \$0\.01\d* of \$0\.005 for group backend; waiting for the operator/);
      }
    } finally {
      runtime.dispose();
      watch.dispose();
      approvals.dispose();
      bridge.dispose();
    }
  });
});
