// A budget per task with the real Claude Code CLI (offline, scripted model server) through the real hook path (bridge
// -> Claude Code adapter -> signal router -> gate chain with the budget gate first): the agent's first prompt spends
// more than its "$0.005 per task"; the call that request asked for is denied with the budget message ("… this task
// …") and the agent is paused. Its next prompt (a new session of the same agent) is a new task: Claude Code's
// UserPromptSubmit reaches the watch as the router's turn fact, the task counts from zero, the pause ends without a
// word from Flotilla (the prompt is the user's), and the new task's call runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { budgetGate } from '../../../src/core/approvals/budgetGate';
import { BudgetWatch } from '../../../src/core/budget/budgetWatch';
import type { BudgetRelease } from '../../../src/core/budget/budgetWatch';
import { systemClock } from '../../../src/core/clock';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import type { Scenario } from '../../fixtures/modelServer/scenario';
import { newFleet } from '../core/fleetKit';
import { budgetedRuntime } from './budgetedRuntime';
import { buildHookProgram, claudeAvailable, createSandbox, runClaude } from '../claudeCode/claudeRunner';
import type { Sandbox } from '../claudeCode/claudeRunner';

const MODEL = 'claude-sonnet-4-5-20250929';
const small = { input: 100, output: 10, cacheRead: 0, cacheCreation: 0 };

/** The first task: a request of $0.0105 (3000 in, 100 out at $3/$15 per M) asking for a Bash call. */
const first: Scenario = {
  name: 'task-first',
  model: MODEL,
  turns: [
    { tool: { name: 'Bash', input: { command: 'printf ran-first', description: 'first' } }, usage: { input: 3000, output: 100, cacheRead: 0, cacheCreation: 0 } },
    { text: 'Waiting for the operator.', usage: small },
  ],
} as Scenario;

/** The next task: a cheap Bash call ($0.00045), then done. */
const next: Scenario = {
  name: 'task-next',
  model: MODEL,
  turns: [
    { tool: { name: 'Bash', input: { command: 'printf ran-next', description: 'next' } }, usage: small },
    { text: 'Done.', usage: small },
  ],
} as Scenario;

describe('a budget per task with real Claude Code', function () {
  this.timeout(180_000);
  let model: ModelServer;
  let hookDir: string;
  let sandbox: Sandbox | undefined;

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer({ scenarios: new Map([[first.name, first], [next.name, next]]) });
    hookDir = mkdtempSync(join(tmpdir(), 'flotilla-hook-'));
    await buildHookProgram(join(hookDir, 'hook.js'));
  });

  after(async () => {
    await model?.stop();
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
    sandbox?.dispose();
  });

  it('the first task is denied past its budget; the next prompt is a new task whose call runs', async () => {
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ timeoutMs: 60_000, escalateAfterMs: 120_000 }));
    const asked: string[] = [];
    approvals.onDidAdd((p) => {
      asked.push(p.summary);
      approvals.decide(p.id, 'deny', 'user', 'no human here');
    });
    const watch = new BudgetWatch({ fleet, clock: systemClock, log, budgets: { fleet: undefined, groups: {} } });
    const denied: string[] = [];
    const pausedWhenDenied: (boolean | undefined)[] = [];
    const gate = budgetGate(systemClock, (a) => watch.spentScopes(a), (a, _tool, reason) => {
      watch.noteDenied(a.id);
      denied.push(reason);
      pausedWhenDenied.push(fleet.get(a.id)?.budgetPaused);
    });
    let following: { dispose(): void } | undefined;
    const { runtime, bridge, bridgeUrl, settings } = await budgetedRuntime({ fleet, approvals, log, gate, hookDir, beforeStart: (r) => (following = watch.follow(r.router.onDidSignal)) });
    const released: BudgetRelease[] = [];
    watch.onDidRelease((r) => released.push(r));

    try {
      sandbox = createSandbox();
      const { agent, token } = fleet.create({ name: 'tasker', kind: 'claude-code', cwd: sandbox.repo, budget: { usd: 0.005, period: 'task' } });
      const env = { FLOTILLA_AGENT_ID: agent.id, FLOTILLA_AGENT_TOKEN: token, FLOTILLA_BRIDGE_URL: bridgeUrl };

      const one = await runClaude({ sandbox, prompt: `[scenario:${first.name}] go`, settings, modelUrl: model.url, env, timeoutMs: 150_000 });
      assert.equal(one.timedOut, false, 'claude did not finish in time');
      assert.equal(denied.length, 1, `denials: ${JSON.stringify(denied)}`);
      assert.match(denied[0]!, /^budget exhausted: \$0\.01\d* of \$0\.005 this task for tasker; waiting for the operator/);
      assert.deepEqual(pausedWhenDenied, [true]);
      // -p mode: the session ended with the run, and an ended agent is not held paused.
      assert.equal(fleet.get(agent.id)!.status, 'done');
      assert.equal(fleet.get(agent.id)!.budgetPaused, undefined);

      const two = await runClaude({ sandbox, prompt: `[scenario:${next.name}] go on`, settings, modelUrl: model.url, env, timeoutMs: 150_000 });
      assert.equal(two.timedOut, false, 'claude did not finish in time');
      assert.equal(denied.length, 1, 'the new task was not denied');
      // Its new session revived it still paused (the first task was spent); its prompt, a new task, released it.
      assert.deepEqual(released.map((r) => [r.why, r.denied]), [['new-task', false]]);
      const now = fleet.get(agent.id)!;
      assert.equal(now.budgetPaused, undefined);
      // The new task counts from the first task's spending: its $0.0105 request (and its $0.00045 last one, once read).
      const mark = now.budgetMarks!.task!.usd;
      assert.ok(mark >= 0.0105 - 1e-9 && mark <= 0.01095 + 1e-9, `task mark $${mark}`);
      assert.ok(now.costUsd - now.budgetMarks!.task!.usd < 0.001, 'the next task spent a cheap request or two');
      assert.deepEqual(asked, [], 'no call was put to a human');

      const results = (scenario: string) => model.requests.filter((r) => r.scenario === scenario && r.kind === 'turn').flatMap((r) => r.toolResults);
      const [firstResult] = results(first.name);
      assert.equal(firstResult?.isError, true);
      assert.match(firstResult!.text, /budget exhausted: .* this task for tasker/);
      assert.doesNotMatch(firstResult!.text, /ran-first/);
      const [nextResult] = results(next.name);
      assert.match(nextResult?.text ?? '', /ran-next/, `the next task's call ran: ${JSON.stringify(nextResult)}`);
    } finally {
      following?.dispose();
      runtime.dispose();
      watch.dispose();
      approvals.dispose();
      bridge.dispose();
    }
  });
});
