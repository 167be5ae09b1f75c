// Approvals at fleet scale, as a user lives them: three Claude Code agents ask at the same moment and one
// notification approves them all; a mixed batch is reviewed in the Approvals panel (allowed always for the agent,
// denied with a message the agent receives, a prohibited action never offered); a request whose agent was stopped
// cannot be approved; the audit log verifies, then a tampered row is caught by Verify Audit Log.
// Real parts: the Claude Code CLI in integrated terminals, the scripted model server (its gates line the agents up
// so they ask at one moment), git worktrees, the SQLite store, the real panel webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { newClaudeAgent, openStoreReadonly, storePath, storedAgent, worktreeOf } from './agentSteps';

const AGENTS = ['alpha', 'bravo', 'charlie'] as const;
const HTML_COMMAND = `echo '<img src=x onerror="document.body.dataset.pwned=1"></script><b>bold</b>' > b.txt`;
const DENY_MESSAGE = 'Do not push from an agent; open a pull request instead.';

describe('Approvals at fleet scale', function () {
  this.timeout(300_000);
  // Trust entries must be written before any claude runs (a running claude rewrites its config from memory).
  useFreshWorkbench();

  it('batches, reviews in the panel, refuses stale requests, and audits every decision', async () => {
    const { workbench, page, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    for (const name of [...AGENTS, 'delta']) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');

    // 1. Three agents, lined up at the model server's first gate, ask for an approvable action at one moment.
    for (const name of AGENTS) await newClaudeAgent(name, `[scenario:batch-${name}] go`);
    await models.whenHeld('batch-first', 3);
    models.openGate('batch-first');
    const batch = /3 actions from alpha, bravo and charlie need approval/;
    await workbench.notification(batch).waitFor({ state: 'visible' });
    const center = await workbench.showNotificationCenter();
    const asks = center.locator('.notification-list-item-message', { hasText: /need approval|wants to run/ });
    const texts = await asks.allInnerTexts();
    assert.equal(texts.length, 1, `exactly one notification for the batch: ${JSON.stringify(texts)}`);
    assert.match(texts[0]!, /^3 actions from alpha, bravo and charlie need approval \(Bash 3\): Bash: /, 'counts, agents, tools and the leading action');
    await workbench.screenshot('approvals-batch-notification.png');
    await workbench.clickNotificationButton(batch, 'Allow All');

    // All three proceed: each ran its command, and its next request (held at the second gate) carries the result.
    await models.whenHeld('batch-second', 3);
    for (const name of AGENTS) assert.equal(fs.readFileSync(path.join(worktreeOf(workspace, name), 'a.txt'), 'utf8'), 'one\n', `${name} ran its command`);

    // 2. The mixed batch: alpha's command carries HTML, bravo pushes, charlie pipes curl into sh (prohibited).
    models.openGate('batch-second');
    const mixed = /2 actions from alpha and bravo need approval/;
    await workbench.clickNotificationButton(mixed, 'Review…');
    const panel = workbench.webviewFrame();
    const requests = panel.locator('[data-testid="request"]');
    await panel.locator('[data-testid="approvals"][data-state-received="true"]').waitFor();
    await requests.nth(1).waitFor();
    assert.equal(await requests.count(), 2, 'the prohibited action is never offered');
    assert.deepEqual((await panel.locator('[data-testid="agent-name"]').allInnerTexts()).sort(), ['alpha', 'bravo']);
    const requestOf = (agent: string) =>
      panel.locator('[data-testid="agent-group"]', { has: panel.locator('[data-testid="agent-name"]', { hasText: agent }) }).locator('[data-testid="request"]');

    // Agent-supplied HTML is text: the command reads exactly as sent, and nothing of it became an element or ran.
    const alpha = requestOf('alpha');
    assert.equal(await alpha.locator('[data-testid="request-command"]').innerText(), HTML_COMMAND);
    assert.equal(await panel.locator('img, b').count(), 0, 'no element was made from agent text');
    assert.equal(await panel.locator('body[data-pwned]').count(), 0, 'no agent script ran');
    await workbench.screenshot('approvals-panel.png');

    const bravo = requestOf('bravo');
    await bravo.locator('[data-testid="request-deny-message"]').click();
    await bravo.locator('[data-testid="request-message"] input').fill(DENY_MESSAGE);
    await bravo.locator('[data-testid="request-message"] input').press('Enter');
    await alpha.locator('[data-testid="request-always-agent"]').click();
    await panel.locator('[data-testid="empty-state"]').waitFor({ state: 'visible' });
    await workbench.notification(/added a rule to \.flotilla\/policy\.json/).waitFor({ state: 'visible' });

    for (const name of AGENTS) await workbench.treeRow(new RegExp(name)).filter({ hasText: /ready for review/ }).waitFor({ state: 'visible' });
    assert.equal(
      fs.readFileSync(path.join(worktreeOf(workspace, 'alpha'), 'b.txt'), 'utf8'),
      '<img src=x onerror="document.body.dataset.pwned=1"></script><b>bold</b>\n',
    );
    const resultsOf = (scenario: string) => models.requests.filter((r) => r.scenario === scenario).flatMap((r) => r.toolResults);
    assert.ok(resultsOf('batch-bravo').some((t) => t.isError && t.text.includes(DENY_MESSAGE)), `bravo read the message: ${JSON.stringify(resultsOf('batch-bravo'))}`);
    assert.ok(
      resultsOf('batch-charlie').some((t) => t.isError && /Prohibited by Flotilla policy/.test(t.text)),
      `charlie was told the policy prohibits it: ${JSON.stringify(resultsOf('batch-charlie'))}`,
    );
    // The rule is in the workspace policy file, and it let alpha's identical command through without asking.
    const policy = JSON.parse(fs.readFileSync(path.join(workspace, '.flotilla', 'policy.json'), 'utf8')) as { rules: { commandLine?: string; agent?: { name?: string } }[] };
    assert.ok(policy.rules.some((r) => r.commandLine === HTML_COMMAND && r.agent?.name === 'alpha'), JSON.stringify(policy));
    const alphaTurns = models.requests.filter((r) => r.scenario === 'batch-alpha' && r.kind === 'turn');
    assert.deepEqual(alphaTurns.map((r) => r.turn), [0, 1, 2, 3], 'alpha went through every turn');
    assert.deepEqual(alphaTurns[3]!.toolResults.map((t) => t.isError), [false], 'the repeated command ran');

    // 3. A stale request: delta asks, is stopped, and the old notification's Allow is refused.
    await newClaudeAgent('delta', '[scenario:write-file] write out.txt');
    const ask = /delta wants to run Bash: echo hi > out\.txt/;
    await workbench.notification(ask).waitFor({ state: 'visible' });
    // The Approvals view lists it with inline Allow / Deny.
    const pendingRow = workbench.viewPane('Approvals').locator('.monaco-list-row', { hasText: 'echo hi > out.txt' });
    await pendingRow.hover();
    for (const label of ['Allow', 'Deny']) await pendingRow.locator(`.action-label[aria-label="${label}"]`).waitFor({ state: 'visible' });
    await workbench.treeRow(/delta/).click({ button: 'right' });
    // The context menu acts on Enter over a highlighted item (a click right after the menu opens can be ignored as
    // the tail of the right-click).
    const stop = page.locator('.monaco-menu .action-item', { hasText: 'Stop Agent' });
    await stop.hover();
    await page.keyboard.press('Enter');
    await stop.waitFor({ state: 'hidden' });
    await workbench.treeRow(/delta/).filter({ hasText: 'stopped' }).waitFor({ state: 'visible' });
    // The stale request left the UI: the Approvals view and the panel no longer offer it.
    await pendingRow.waitFor({ state: 'detached' });
    await panel.locator('[data-testid="empty-state"]').waitFor({ state: 'visible' });
    await workbench.clickNotificationButton(ask, 'Allow');
    await workbench.notification(/No longer pending \d+ s ago: .*\(delta: Bash: echo hi > out\.txt\); nothing was allowed or denied here/).waitFor({ state: 'visible' });
    assert.equal(fs.existsSync(path.join(worktreeOf(workspace, 'delta'), 'out.txt')), false, 'the stale command never ran');

    // 4. The audit trail holds every decision, by whom, with tier and rule.
    const ids = Object.fromEntries([...AGENTS, 'delta'].map((n) => [storedAgent(n).id, n]));
    const db = openStoreReadonly();
    const rows = db.prepare('SELECT seq, actor, action, agent_id AS agentId, data FROM audit ORDER BY seq').all() as { seq: number; actor: string; action: string; agentId: string; data: string }[];
    db.close();
    const decisions = rows
      .filter((r) => r.action.startsWith('approval.') && ids[r.agentId])
      .map((r) => `${ids[r.agentId]} ${r.actor} ${r.action} ${(JSON.parse(r.data) as { tier?: string }).tier ?? ''}`);
    for (const expected of [
      'alpha user approval.allow approve',
      'bravo user approval.allow approve',
      'charlie user approval.allow approve',
      'bravo user approval.deny approve',
      'charlie policy approval.deny prohibited',
      'delta supervisor approval.stale approve',
    ]) {
      assert.ok(decisions.includes(expected), `audit has "${expected}": ${JSON.stringify(decisions)}`);
    }

    // 5. Verify Audit Log: intact, then a row edited behind Flotilla's back (triggers dropped and put back) is caught.
    await workbench.runCommand('Flotilla: Verify Audit Log');
    await workbench.notification(/Audit log verified: \d+ entries, the hash chain is intact/).waitFor({ state: 'visible' });
    const denied = rows.find((r) => r.action === 'approval.deny' && r.actor === 'user')!;
    tamperAuditRow(denied.seq);
    await workbench.runCommand('Flotilla: Verify Audit Log');
    await workbench.notification(new RegExp(`Audit log is broken at entry ${denied.seq}: hash of seq ${denied.seq} does not match its contents`)).waitFor({ state: 'visible' });

    // 6. The Approvals panel survives a window reload: restored by Flotilla's serializer and live again.
    await workbench.runCommand('Flotilla: Open Approvals');
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'attached' });
    await page.locator('.tab', { hasText: 'Flotilla Approvals' }).waitFor({ state: 'visible' });
    await workbench.webviewFrame().locator('[data-testid="approvals"][data-state-received="true"]').waitFor();
    await workbench.webviewFrame().locator('[data-testid="empty-state"]').waitFor({ state: 'visible' });
  });
});

/** What an attacker with the database file could do: drop the guard, rewrite a decision, and put the guard back. */
function tamperAuditRow(seq: number): void {
  const db = new Database(storePath());
  try {
    const trigger = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_no_update'`).get() as { sql: string }).sql;
    db.transaction(() => {
      db.exec('DROP TRIGGER audit_no_update');
      db.prepare(`UPDATE audit SET action = 'approval.allow' WHERE seq = ?`).run(seq);
      db.exec(trigger);
    })();
  } finally {
    db.close();
  }
}
