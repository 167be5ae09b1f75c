// Budgets as a user lives them, with the real Claude Code CLI and the scripted model server: an agent launched with a
// $0.05 budget spends $0.051 on its first request. Flotilla pauses it exactly there: the tool call that request asked
// for is denied with the budget message (the model server receives it), the row reads "paused for budget" and
// "Budget exhausted" offers Raise Budget…; raised ×2, the agent is told to go on and its next tool call runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, openStoreReadonly, worktreeOf } from './agentSteps';

describe('Budgets', function () {
  this.timeout(180_000);
  useFreshWorkbench();

  it('an agent past its $0.05 budget: its next tool call is denied with the budget message; Raise Budget lets it go on', async () => {
    const { workbench, workspace } = e2eSession();
    const page = workbench.page;
    const models = claudeSandbox().modelServer;
    claudeSandbox().trust(worktreeOf(workspace, 'spender'));
    await workbench.openViewContainer('Flotilla');
    await newClaudeAgent('spender', '[scenario:budget-pause] write two files', 'worktree', '$0.05');

    const exhausted = /Budget exhausted: spender has spent \$0\.05\d* of \$0\.05/;
    await workbench.notification(exhausted).waitFor({ state: 'visible', timeout: 90_000 });
    await agentRow('spender', 'paused for budget').waitFor({ state: 'visible', timeout: 30_000 });

    // The very call the crossing request asked for was denied, and the model read why.
    const results = () => models.requests.filter((r) => r.scenario === 'budget-pause').flatMap((r) => r.toolResults);
    assert.ok(await eventually(() => results().length > 0, 60_000), 'the denied call came back to the model');
    const [denied] = results();
    assert.equal(denied!.isError, true);
    assert.match(denied!.text, /budget exhausted: \$0\.05\d* of \$0\.05 for spender; waiting for the operator/);
    const dir = worktreeOf(workspace, 'spender');
    assert.equal(fs.existsSync(path.join(dir, 'one.txt')), false, 'the denied call did not run');
    await workbench.screenshot('budget-paused.png');

    // Raise Budget… ×2: released, and told so in its session; its next tool call runs.
    await workbench.clickNotificationButton(exhausted, 'Raise Budget…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row', { hasText: '×2' }).first().click();
    await workbench.notification(/Budget of spender: \$0\.1 \(was \$0\.05\)\. No longer paused\./).waitFor({ state: 'visible', timeout: 30_000 });
    const served = () => JSON.stringify(models.requests.filter((r) => r.scenario === 'budget-pause').map((r) => [r.kind, r.turn, r.toolResults.map((t) => t.text.slice(0, 80))]));
    assert.ok(await eventually(() => fs.existsSync(path.join(dir, 'two.txt')), 90_000), `after the raise, the next tool call ran: ${served()}`);
    const told = models.requests.filter((r) => r.scenario === 'budget-pause' && r.turn === 2);
    assert.ok(told.length > 0 && JSON.stringify(told[0]!.body).includes('the budget was raised'), 'the agent was told the budget was raised');
    await agentRow('spender', /ready for review/).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await agentRow('spender', 'paused for budget').count(), 0);

    const db = openStoreReadonly();
    try {
      const rows = db.prepare("SELECT action, data FROM audit WHERE action LIKE 'budget.%' ORDER BY seq").all() as { action: string; data: string }[];
      assert.deepEqual(rows.map((r) => r.action), ['budget.deny', 'budget.set'], JSON.stringify(rows));
      assert.deepEqual(JSON.parse(rows[1]!.data).after, { usd: 0.1 });
    } finally {
      db.close();
    }
  });
});

describe('Slot budget', function () {
  this.timeout(180_000);
  useFreshWorkbench({ 'flotilla.maxConcurrentAgents': 2 });

  it('with 2 slots a third agent is refused with an offer to stop an idle one; taken, the third starts', async () => {
    const { workbench, workspace } = e2eSession();
    // Their worktrees are trusted for Claude Code: no trust question keeps the agents from going idle.
    for (const name of ['slot-one', 'slot-two', 'slot-three']) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');
    for (const name of ['slot-one', 'slot-two']) {
      await newClaudeAgent(name, '[scenario:text-only] say hello');
      await agentRow(name, /idle|ready for review/).waitFor({ state: 'visible', timeout: 90_000 });
    }
    await newClaudeAgent('slot-three', '[scenario:text-only] say hello');
    const refusal = /Could not start slot-three: 2 agents hold the 2 slots .* Stop an idle agent to start slot-three\?/;
    const notice = workbench.notification(refusal);
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await agentRow('slot-three').count(), 0, 'refused: not started');
    await workbench.screenshot('slot-budget-refusal.png');
    await workbench.clickNotificationButton(refusal, 'Stop slot-one');
    await agentRow('slot-one', 'stopped').waitFor({ state: 'visible', timeout: 30_000 });
    await agentRow('slot-three', /idle|ready for review|working|starting/).waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal(await agentRow('slot-two', 'stopped').count(), 0, 'the other idle agent keeps running');
  });
});
