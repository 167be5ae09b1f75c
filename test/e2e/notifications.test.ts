// Notifications that tell the truth, as a user meets them: two requests answered in the Approvals panel, then a click
// on either request's old notification says who answered and how; an escalation leaves one live notification for a
// request (the older one's Allow says where the request waits and allows nothing); and the Agents tree at 300 px
// shows every agent's state and cost in full. Real parts: the Claude Code CLI in terminals, the scripted model
// server, git worktrees, the real panel webview and the workbench's own notifications.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, newClaudeAgent, worktreeOf } from './agentSteps';
import { rowWords, setSideBarWidth } from './workbenchLayout';

const NAMES = ['n-alpha', 'n-bravo', 'n-charlie'] as const;
const PROMPT = '[scenario:notify-write] write the release notes';
const asks = (name: string) => new RegExp(`^${name} wants to run Bash: echo notes > notes\\.txt`);
const notesOf = (workspace: string, name: string) => path.join(worktreeOf(workspace, name), 'notes.txt');

/** Waits for a notification; when none comes, fails with every notification shown (what the user read instead). */
async function expectNotification(text: RegExp): Promise<void> {
  const { workbench, page } = e2eSession();
  try {
    await workbench.notification(text).waitFor({ state: 'visible' });
  } catch (err) {
    const shown = await page.locator('.notification-list-item-message').allInnerTexts();
    assert.fail(`no notification matches ${text}; shown: ${JSON.stringify(shown)} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}

describe('Notifications that tell the truth', function () {
  this.timeout(300_000);
  // Escalation after 5 s (the shortest allowed), so the second notification of a request comes within the test.
  useFreshWorkbench({ 'flotilla.approvals.escalateAfterSeconds': 5 });

  it('answered in the panel: each old notification says who answered and how', async () => {
    const { workbench, workspace } = e2eSession();
    for (const name of NAMES) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');
    // One after the other, so each request has its own notification (not one batch).
    await newClaudeAgent('n-alpha', PROMPT);
    await workbench.notification(asks('n-alpha')).waitFor({ state: 'visible' });
    await newClaudeAgent('n-bravo', PROMPT);
    await workbench.notification(asks('n-bravo')).waitFor({ state: 'visible' });

    await workbench.runCommand('Flotilla: Open Approvals');
    const panel = workbench.webviewFrame();
    await panel.locator('[data-testid="approvals"][data-state-received="true"]').waitFor();
    const group = (name: string) => panel.locator('[data-testid="agent-group"]', { has: panel.locator('[data-testid="agent-name"]', { hasText: name }) });
    await group('n-bravo').locator('[data-testid="request"]').waitFor();
    // Each agent's context: its task, what it said before asking (read from its transcript), its spend.
    const alpha = group('n-alpha');
    await alpha.locator('[data-testid="agent-last-message"]', { hasText: 'The tests pass. I will write the release notes to notes.txt now.' }).waitFor();
    assert.equal(await alpha.locator('[data-testid="agent-task"]').innerText(), PROMPT);
    assert.match(await alpha.locator('[data-testid="agent-spend"]').innerText(), /^\$0\.\d\d of \$1\.00 budget \(\d+ %\)$/);
    await workbench.screenshot('approvals-context.png');

    await alpha.locator('[data-testid="request-allow"]').click();
    await group('n-bravo').locator('[data-testid="request-deny"]').click();
    await panel.locator('[data-testid="empty-state"]').waitFor({ state: 'visible' });
    await panel.locator('[data-testid="notice"]', { hasText: '1 request answered.' }).waitFor();

    await workbench.showNotificationCenter();
    await workbench.clickNotificationButton(asks('n-alpha'), 'Allow');
    await expectNotification(/^Already allowed by you in the Approvals panel \d+ s ago \(n-alpha: Bash: echo notes > notes\.txt\)\.$/);
    await workbench.clickNotificationButton(asks('n-bravo'), 'Allow');
    await expectNotification(/^Already denied by you in the Approvals panel \d+ s ago \(n-bravo: Bash: echo notes > notes\.txt\)\.$/);
    await agentRow('n-alpha', 'ready for review').waitFor({ state: 'visible' });
    await agentRow('n-bravo', 'ready for review').waitFor({ state: 'visible' });
    assert.equal(fs.readFileSync(notesOf(workspace, 'n-alpha'), 'utf8'), 'notes\n', 'the allow in the panel ran the command');
    assert.equal(fs.existsSync(notesOf(workspace, 'n-bravo')), false, 'the old notification allowed nothing the panel denied');
  });

  it('an escalation leaves one live notification; the older one says where the request waits', async () => {
    const { workbench, workspace } = e2eSession();
    await newClaudeAgent('n-charlie', PROMPT);
    await workbench.notification(asks('n-charlie')).waitFor({ state: 'visible' });
    const escalated = /^Still waiting: n-charlie has been waiting \d+ s to run Bash: echo notes > notes\.txt/;
    await workbench.notification(escalated).waitFor({ state: 'visible', timeout: 30_000 });

    await workbench.showNotificationCenter();
    await workbench.clickNotificationButton(asks('n-charlie'), 'Allow');
    await expectNotification(/^n-charlie's request is still waiting in a newer notification; this older one no longer answers it/);
    // Still pending: the Approvals view lists it, the command did not run.
    await workbench.viewPane('Approvals').locator('.monaco-list-row', { hasText: 'echo notes > notes.txt' }).waitFor({ state: 'visible' });
    assert.equal(fs.existsSync(notesOf(workspace, 'n-charlie')), false, 'the superseded notification allowed nothing');

    // The Agents tree at 300 px, one agent waiting: every row shows its name, state and cost on screen (the active
    // time after them may be cut; the tooltip has it).
    await setSideBarWidth(e2eSession().page, 300);
    await workbench.dismissHovers();
    const expected = { 'n-alpha': 'ready for review', 'n-bravo': 'ready for review', 'n-charlie': 'needs approval' } as const;
    const rows: string[] = [];
    for (const name of NAMES) {
      const row = agentRow(name, expected[name]);
      await row.waitFor({ state: 'visible' });
      const words = await rowWords(row);
      rows.push(`${words.shown}${words.clipped ? ' [cut]' : ''}`);
      const cost = / · (<?\$\d+\.\d+\+?)/.exec(words.text)?.[1];
      assert.ok(cost, `${name}'s row has a cost: ${words.text}`);
      assert.match(words.shown, new RegExp(`^${name}\\s*${expected[name]} · `), `${name}'s state is on screen at 300 px: ${JSON.stringify(words)}`);
      assert.ok(words.shown.includes(` · ${cost}`), `${name}'s cost ${cost} is on screen whole at 300 px: ${JSON.stringify(words)}`);
    }
    console.log(`      rows at 300 px: ${rows.join(' | ')}`);
    await workbench.screenshot('agents-tree-300px.png', workbench.sideBar('Flotilla'));

    // The newest notification answers (dismissing hovers closed the notification center).
    await workbench.showNotificationCenter();
    await workbench.clickNotificationButton(escalated, 'Allow');
    await agentRow('n-charlie', 'ready for review').waitFor({ state: 'visible' });
    assert.equal(fs.readFileSync(notesOf(workspace, 'n-charlie'), 'utf8'), 'notes\n');
  });
});
