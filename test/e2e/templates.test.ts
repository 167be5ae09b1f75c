// New Agent from Template… from the palette, as a user runs it: a template of three reviewers in
// flotilla.agentTemplates (group, budget, first prompt), Back from the count step to the template list and on again,
// then three rows, each agent in its own git worktree on its own branch, with the template's group and budget.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, openStoreReadonly, worktreeOf } from './agentSteps';

const NAMES = ['reviewer-1', 'reviewer-2', 'reviewer-3'];
const TEMPLATE = { name: 'reviewer-{n}', label: 'Reviewers', prompt: '[scenario:text-only] review this branch', group: 'review', budget: '$2', count: 3 };

interface StoredSnapshot {
  name: string;
  group?: string;
  budget?: { usd?: number };
  worktree?: { path: string; branch: string };
}

function storedAgents(): StoredSnapshot[] {
  const db = openStoreReadonly();
  try {
    return (db.prepare('SELECT data FROM agents').all() as { data: string }[]).map((r) => JSON.parse(r.data).snapshot as StoredSnapshot);
  } finally {
    db.close();
  }
}

describe('New Agent from Template', function () {
  this.timeout(240_000);
  useFreshWorkbench({ 'flotilla.agentTemplates': [TEMPLATE] });

  it('starts three agents, each in its own worktree', async () => {
    const { workbench, page, workspace } = e2eSession();
    await workbench.openViewContainer('Flotilla');
    // Trust entries first: a running claude rewrites its config from memory, so one added meanwhile can be lost.
    for (const name of NAMES) claudeSandbox().trust(worktreeOf(workspace, name));

    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const step = (k: number) => widget.locator('.quick-input-title', { hasText: `New Agent from Template (${k}/2)` }).waitFor({ state: 'visible' });
    await workbench.runCommand('Flotilla: New Agent from Template…');
    await step(1);
    const row = widget.locator('.monaco-list-row', { hasText: 'Reviewers' });
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /3 × Claude Code · group review · \$2 each/);
    await page.keyboard.press('Enter');
    await step(2);
    assert.equal(await input.inputValue(), '3');
    assert.match(await widget.innerText(), /reviewer-1, reviewer-2, reviewer-3/);
    // Back returns to the template list; on again, the count is asked anew.
    await widget.getByRole('button', { name: 'Back' }).click();
    await step(1);
    await row.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await step(2);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });

    await workbench.notification(/Started reviewer-1, reviewer-2, reviewer-3 \(group review\), each in its own worktree/).waitFor({ state: 'visible', timeout: 60_000 });
    // Each answered its first prompt (the model server's scripted reply): the rows are there and the agents ran.
    for (const name of NAMES) await agentRow(name, /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });
    await workbench.screenshot('template-three-reviewers.png');

    const stored = storedAgents().filter((a) => NAMES.includes(a.name));
    assert.equal(stored.length, 3);
    const branches = execFileSync('git', ['-C', workspace, 'branch', '--list', 'flotilla/*', '--format=%(refname:short)'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const name of NAMES) {
      const agent = stored.find((a) => a.name === name)!;
      assert.equal(agent.group, 'review', `${name}'s group`);
      assert.equal(agent.budget?.usd, 2, `${name}'s budget`);
      assert.equal(agent.worktree?.path, worktreeOf(workspace, name), `${name}'s worktree`);
      assert.equal(agent.worktree?.branch, `flotilla/${name}`);
      assert.ok(fs.existsSync(agent.worktree!.path), `${name}'s worktree exists`);
      assert.ok(branches.includes(`flotilla/${name}`), `branch flotilla/${name} in ${branches.join(', ')}`);
    }
    assert.equal(new Set(stored.map((a) => a.worktree?.path)).size, 3, 'three different worktrees');
  });
});
