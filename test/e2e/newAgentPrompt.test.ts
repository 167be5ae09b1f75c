// New Agent's Back button and its prompt editor, as a user uses them: Back from the name step to the kind step; a
// first prompt typed in the box and carried into "Write in an Editor…", a second line written there, and the agent
// started from the editor's title bar with both lines; a prompt editor closed without starting keeps the text and
// starts the agent from the notification; both prompts are offered again as recent prompts.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, openStoreReadonly, worktreeOf } from './agentSteps';
import { openPaletteCommand } from './newAgentFlow';

const storedPrompt = (name: string): string | undefined => {
  const db = openStoreReadonly();
  try {
    const row = db.prepare('SELECT data FROM agents WHERE name = ?').get(name) as { data: string } | undefined;
    return row ? (JSON.parse(row.data).snapshot.prompt as string | undefined) : undefined;
  } finally {
    db.close();
  }
};

describe('New Agent: Back and the prompt editor', function () {
  this.timeout(240_000);
  useFreshWorkbench();

  it('goes back a step, and starts agents with prompts written in an editor', async () => {
    const { workbench, page, workspace } = e2eSession();
    await workbench.openViewContainer('Flotilla');
    for (const name of ['scribe', 'drafter']) claudeSandbox().trust(worktreeOf(workspace, name));
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const step = (k: number) => widget.locator('.quick-input-title', { hasText: `New Agent (${k}/5)` }).waitFor({ state: 'visible' });

    /** New Agent up to the prompt step: Claude Code, `name`, a new worktree, no budget. */
    const upToPrompt = async (name: string) => {
      await openPaletteCommand(page, 'Flotilla: New Agent');
      await step(1);
      await widget.locator('.monaco-list-row', { hasText: 'Claude Code' }).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await step(2);
      await input.fill(name);
      await page.keyboard.press('Enter');
      await step(3);
      await input.fill('New git worktree');
      await widget.locator('.monaco-list-row', { hasText: 'New git worktree' }).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await step(4);
      await page.keyboard.press('Enter');
      await step(5);
    };
    const chooseEditor = async () => {
      // The items do not filter on typed text: the editor is the second row whatever was typed.
      await widget.locator('.monaco-list-row', { hasText: 'Write in an Editor' }).waitFor({ state: 'visible' });
      await page.keyboard.press('ArrowDown');
      await widget.locator('.monaco-list-row.focused', { hasText: 'Write in an Editor' }).waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    };
    const startButton = page.locator('.editor-actions .action-label[aria-label^="Start Agent with This Prompt"]');

    // Back from the name step returns to the kind step, with the first kind still highlighted.
    await openPaletteCommand(page, 'Flotilla: New Agent');
    await step(1);
    await widget.locator('.monaco-list-row', { hasText: 'Claude Code' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await step(2);
    await widget.getByRole('button', { name: 'Back' }).click();
    await step(1);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });

    // Typed text goes into the editor; a second line is written there; the title bar's button starts the agent.
    await upToPrompt('scribe');
    await input.fill('[scenario:text-only] first line');
    await chooseEditor();
    await startButton.waitFor({ state: 'visible' });
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second line');
    await startButton.click();
    await agentRow('scribe', /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(storedPrompt('scribe'), '[scenario:text-only] first line\nsecond line');
    assert.equal(await startButton.count(), 0, 'the prompt editor closed');

    // A prompt editor closed without starting: its text is kept, and the notification starts the agent with it.
    await upToPrompt('drafter');
    await chooseEditor();
    await startButton.waitFor({ state: 'visible' });
    await page.keyboard.type('[scenario:text-only] a draft');
    await page.locator('.editor-instance .view-lines', { hasText: 'a draft' }).waitFor({ state: 'visible' });
    await workbench.runCommand('View: Close Editor');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.monaco-button', { hasText: "Don't Save" }).click();
    await workbench.clickNotificationButton(/drafter was not started: its prompt editor closed/, 'Start drafter');
    await agentRow('drafter', /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(storedPrompt('drafter'), '[scenario:text-only] a draft');

    // Both are offered as recent prompts, newest first.
    await upToPrompt('third');
    const recent = widget.locator('.monaco-list-row', { hasText: /a draft|first line/ });
    await recent.first().waitFor({ state: 'visible' });
    assert.deepEqual(await recent.allInnerTexts().then((t) => t.map((x) => (x.includes('a draft') ? 'draft' : 'scribe'))), ['draft', 'scribe']);
    assert.match(await recent.nth(1).innerText(), /\+1 more line/);
    await workbench.screenshot('new-agent-recent-prompts.png');
    await page.keyboard.press('Escape');
  });
});
