// Budgets as a user lives them, with the real Claude Code CLI and the scripted model server: an agent launched with a
// $0.005 budget spends about a cent on its first request; Flotilla says so (Budget exhausted), the row reads
// "paused for budget", and its next tool call waits for the operator with the budget gate's rule; allowed, it runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, openStoreReadonly, worktreeOf } from './agentSteps';

describe('Budgets', function () {
  this.timeout(180_000);
  useFreshWorkbench();

  it('an agent past its $0.005 budget is paused: its next tool call waits for approval with the budget rule', async () => {
    const { workbench, workspace } = e2eSession();
    claudeSandbox().trust(worktreeOf(workspace, 'spender'));
    await workbench.openViewContainer('Flotilla');
    await newClaudeAgent('spender', '[scenario:budget-spend] write two files', 'worktree', '$0.005');

    await workbench.notification(/Budget exhausted: spender has spent \$0\.0\d+ of \$0\.0050/).waitFor({ state: 'visible', timeout: 90_000 });
    await agentRow('spender', 'paused for budget').waitFor({ state: 'visible', timeout: 30_000 });
    // Every tool call after the crossing waits for the operator (the second one surely; the first too when its
    // request's usage reached Flotilla before its PreToolUse hook did). Each is allowed here and then runs. printf,
    // not echo: the e2e policy asks for every echo.
    const dir = worktreeOf(workspace, 'spender');
    const ask = /spender wants to run Bash: printf (one|two)/;
    let asked = 0;
    while (!fs.existsSync(path.join(dir, 'two.txt'))) {
      assert.ok(asked < 2, 'at most two calls ask');
      const notice = workbench.notification(ask);
      await notice.waitFor({ state: 'visible', timeout: 60_000 });
      const file = /printf two/.test(await notice.innerText()) ? 'two.txt' : 'one.txt';
      assert.equal(fs.existsSync(path.join(dir, file)), false, `${file}: the waiting call has not run`);
      if (asked === 0) await workbench.screenshot('budget-paused.png');
      await workbench.clickNotificationButton(ask, 'Allow');
      await notice.waitFor({ state: 'hidden' });
      assert.ok(await eventually(() => fs.existsSync(path.join(dir, file)), 60_000), `allowed, ${file} is written`);
      asked++;
    }

    const db = openStoreReadonly();
    try {
      const rows = db.prepare("SELECT action, data FROM audit WHERE action LIKE 'approval.%'").all() as { action: string; data: string }[];
      const budgetAsks = rows.map((r) => ({ action: r.action, ...JSON.parse(r.data) })).filter((r) => r.rule === 'budget');
      assert.equal(budgetAsks.length, asked, JSON.stringify(rows));
      assert.ok(budgetAsks.every((r) => r.action === 'approval.allow'));
    } finally {
      db.close();
    }
  });
});
