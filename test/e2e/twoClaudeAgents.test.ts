// The first vertical slice, as a user lives it: two Claude Code agents started from the New Agent flow, each in its
// own worktree, each asking to run Bash; the user allows one and denies the other from the notifications.
// Real parts: the Claude Code CLI in integrated terminals, the scripted model server, git worktrees, the SQLite store.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { newClaudeAgent, storedAgent, worktreeOf } from './agentSteps';

describe('Claude Code agents in integrated terminals', function () {
  this.timeout(180_000);
  // Its screenshot is the README's first image: the two agents alone.
  useFreshWorkbench();

  it('allows one agent and denies the other from notifications; tree, tokens, cost and diff follow', async () => {
    const { workbench, page, workspace } = e2eSession();
    // Trust both worktrees before any claude runs: a running claude rewrites its .claude.json from memory, so an
    // entry added while it runs can be lost and the next agent would stop at the trust dialog.
    for (const name of ['agent-1', 'agent-2']) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');

    await newClaudeAgent('agent-1', '[scenario:write-file] write out.txt');
    await workbench.clickNotificationButton(/agent-1 wants to run Bash: echo hi > out\.txt/, 'Allow');
    await workbench.treeRow(/agent-1/).filter({ hasText: /ready for review/ }).waitFor({ state: 'visible' });
    assert.equal(fs.readFileSync(path.join(worktreeOf(workspace, 'agent-1'), 'out.txt'), 'utf8'), 'hi\n');

    await newClaudeAgent('agent-2', '[scenario:write-file] write out.txt');
    await workbench.clickNotificationButton(/agent-2 wants to run Bash: echo hi > out\.txt/, 'Deny');
    await workbench.treeRow(/agent-2/).filter({ hasText: /ready for review/ }).waitFor({ state: 'visible' });
    assert.equal(fs.existsSync(path.join(worktreeOf(workspace, 'agent-2'), 'out.txt')), false, 'the denied command did not run');
    const denied = claudeSandbox().modelServer.requests.flatMap((r) => r.toolResults).filter((t) => t.isError);
    assert.ok(denied.some((t) => /Denied by the user in Flotilla/.test(t.text)), `agent-2 was told why: ${JSON.stringify(denied)}`);
    await workbench.screenshot('agents.png');

    // Exactly what the model server reported: write-file serves 1200+1350 in, 85+12 out, 300+1500 cache read, 40 cache
    // write. The last turn reaches the transcript after the Stop hook, so wait for the store to hold the full usage.
    const full = { input: 2550, output: 97, cacheRead: 1800, cacheWrite: 40 };
    for (const name of ['agent-1', 'agent-2']) {
      const until = Date.now() + 30_000;
      while (JSON.stringify(storedAgent(name).usage) !== JSON.stringify(full) && Date.now() < until) await page.waitForTimeout(100);
      const agent = storedAgent(name);
      assert.deepEqual(agent.usage, full);
      // Under a cent the row says so; the tooltip has the exact figure.
      await workbench.treeRow(new RegExp(name)).filter({ hasText: '<$0.01' }).waitFor({ state: 'visible' });
      // claude-sonnet-4-5 list prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million tokens.
      const expected = (2550 * 3 + 97 * 15 + 1800 * 0.3 + 40 * 3.75) / 1e6;
      assert.ok(Math.abs(agent.costUsd - expected) < 1e-9, `${name} cost ${agent.costUsd} = ${expected}`);
    }

    // Open Diff from the agent's row (its inline action): the multi-diff editor opens on the new file.
    const row = workbench.treeRow(/agent-1/);
    await row.hover();
    await row.locator('.action-label[aria-label="Open Diff"]').click();
    await page.locator('.tab', { hasText: 'agent-1: changes since' }).first().waitFor({ state: 'visible' });
    await page.locator('.part.editor', { hasText: 'out.txt' }).first().waitFor({ state: 'visible' });
    await workbench.screenshot('diff.png');
  });
});
