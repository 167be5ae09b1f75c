// A group budget pauses two agents at once, in the real test host with the real Claude Code CLI and the scripted model
// server: gb-a and gb-b (group gbud, $0.05 in flotilla.budget.groups) start from two templates. gb-a's first call
// runs ($0.0195); its second request ($0.0315) crosses the group's budget while gb-b still waits for its first answer:
// both rows read "paused for budget" at once, under the group's row with its total; gb-a's call and then gb-b's first
// call are denied with the budget message (the model server receives both); the 100 % notification offers Raise
// Budget…, Stop 2 Agents and Show Costs; Raise Budget… → +50 % ($0.075) lets both go on and their next calls run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, openStoreReadonly, worktreeOf } from './agentSteps';
import type { Frame } from 'playwright-core';

/** The Costs panel's frame, once it shows a report. */
async function costsFrame(timeoutMs = 30_000): Promise<Frame> {
  const { page } = e2eSession();
  for (const until = Date.now() + timeoutMs; ; ) {
    for (const frame of page.frames()) if (await frame.$('body[data-reported] [data-testid=summary]').catch(() => null)) return frame;
    if (Date.now() > until) throw new Error('no Costs panel webview with a report appeared');
    await page.waitForTimeout(200);
  }
}

const TEMPLATES = [
  { name: 'gb-a', label: 'Group budget A', prompt: '[scenario:group-budget-a] write a1, a2 and a3', group: 'gbud', count: 1 },
  { name: 'gb-b', label: 'Group budget B', prompt: '[scenario:group-budget-b] write b1 and b2', group: 'gbud', count: 1 },
];

/** New Agent from Template… for each template, as a user picks it (label, then the count as offered). */
async function launchTemplates(templates: readonly { label: string }[]): Promise<void> {
  const { workbench, page } = e2eSession();
  const widget = page.locator('.quick-input-widget');
  for (const t of templates) {
    await workbench.runCommand('Flotilla: New Agent from Template…');
    const row = widget.locator('.monaco-list-row', { hasText: t.label });
    await row.waitFor({ state: 'visible' });
    await row.click();
    await widget.locator('.quick-input-title', { hasText: '(2/2)' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
  }
}

describe('Group budget', function () {
  this.timeout(240_000);
  useFreshWorkbench({ 'flotilla.agentTemplates': TEMPLATES, 'flotilla.budget.groups': { gbud: '$0.05' } });

  it('pauses both agents of the group at once, denies both next calls, and a raise of +50 % lets both go on', async () => {
    const { workbench, page, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    for (const name of ['gb-a', 'gb-b']) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');

    const widget = page.locator('.quick-input-widget');
    await launchTemplates(TEMPLATES);

    // gb-a's first call ran, its crossing request waits; gb-b waits for its first answer.
    const dirA = worktreeOf(workspace, 'gb-a');
    const dirB = worktreeOf(workspace, 'gb-b');
    await models.whenHeld('gb-b-first', 1);
    await models.whenHeld('gb-a-cross', 1);
    assert.ok(fs.existsSync(path.join(dirA, 'a1.txt')), 'under the budget, gb-a’s first call ran');
    const group = workbench.viewPane('Agents').locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^gbud$/ }) }).first();
    await group.filter({ hasText: /2 agents · \$0\.02\d*\/\$0\.05/ }).waitFor({ state: 'visible', timeout: 30_000 });

    models.openGate('gb-a-cross');
    const exhausted = /Budget exhausted: group gbud has spent \$0\.05\d* of \$0\.05/;
    await workbench.notification(exhausted).waitFor({ state: 'visible', timeout: 90_000 });
    // Both at once: gb-b is paused before it even has its first answer.
    await agentRow('gb-a', 'paused for budget').waitFor({ state: 'visible', timeout: 30_000 });
    await agentRow('gb-b', 'paused for budget').waitFor({ state: 'visible', timeout: 30_000 });
    await group.filter({ hasText: /2 agents · \$0\.05\/\$0\.05 · 2 need you/ }).waitFor({ state: 'visible', timeout: 30_000 });
    // The status bar: the fleet at a glance, with its accessible name.
    const glance = page.locator('.statusbar-item', { hasText: /2 need you · \$0\.05 today/ });
    await glance.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await glance.locator('[aria-label]').first().getAttribute('aria-label')) ?? '', /^Flotilla: 2 need you, \$0\.05 spent today\. Opens the Costs view\.$/);
    // (No dismissHovers: its Escape would also hide the notification toasts.)
    await workbench.screenshot('group-budget-paused.png');

    models.openGate('gb-b-first');
    const results = (scenario: string) => models.requests.filter((r) => r.scenario === scenario).flatMap((r) => r.toolResults);
    const budgetMessage = /budget exhausted: \$0\.05\d* of \$0\.05 for group gbud; waiting for the operator/;
    for (const scenario of ['group-budget-a', 'group-budget-b']) {
      assert.ok(await eventually(() => results(scenario).some((t) => t.isError && budgetMessage.test(t.text)), 60_000), `${scenario}: the model received the budget message: ${JSON.stringify(results(scenario))}`);
    }
    assert.equal(fs.existsSync(path.join(dirA, 'a2.txt')), false, 'gb-a’s crossing call did not run');
    assert.equal(fs.existsSync(path.join(dirB, 'b1.txt')), false, 'gb-b’s call did not run');

    // The 100 % notification: Raise Budget…, Stop 2 Agents, Show Costs. +50 % shows the new limit it sets.
    await workbench.notification(exhausted).waitFor({ state: 'visible' });
    const buttons = workbench.notification(exhausted).locator('.notification-list-item-buttons-container .monaco-button');
    assert.deepEqual((await buttons.allInnerTexts()).map((t) => t.trim()).sort(), ['Raise Budget…', 'Show Costs', 'Stop 2 Agents']);
    await workbench.clickNotificationButton(exhausted, 'Raise Budget…');
    const half = widget.locator('.monaco-list-row', { hasText: '+50 %' }).first();
    await half.waitFor({ state: 'visible' });
    assert.match(await half.innerText(), /\$0\.075/);
    await half.click();
    await workbench.notification(/Budget of group gbud: \$0\.075 \(was \$0\.05\)\. 2 agents no longer paused\./).waitFor({ state: 'visible', timeout: 30_000 });

    // Both are told, and both next calls run.
    assert.ok(await eventually(() => fs.existsSync(path.join(dirA, 'a3.txt')) && fs.existsSync(path.join(dirB, 'b2.txt')), 90_000), 'after the raise both next calls ran');
    for (const name of ['gb-a', 'gb-b']) await agentRow(name, /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });
    await workbench.screenshot('group-budget-raised.png');

    // A click on the status bar opens the Costs view; its dollars today equal the view's today to the cent.
    await page.locator('.statusbar-item', { hasText: /today/ }).first().click();
    const frame = await costsFrame();
    await frame.locator('[data-tab=days]').click();
    const viewToday = async () => Number(((await frame.locator('[data-testid=days-table] tbody tr').first().locator('td').nth(1).getAttribute('title')) ?? '').replace('$', ''));
    const barText = async () => (await page.locator('.statusbar-item', { hasText: /today/ }).first().innerText()).trim();
    // Both follow the last requests (their usage lands after the Stop hook): wait until they agree, then compare.
    for (const until = Date.now() + 30_000; Date.now() < until && !(await barText()).endsWith(`$${(await viewToday()).toFixed(2)} today`); ) await page.waitForTimeout(250);
    assert.ok((await barText()).endsWith(`$${(await viewToday()).toFixed(2)} today`), `status bar ${await barText()} vs the Costs view's today $${await viewToday()}`);

    const db = openStoreReadonly();
    try {
      const rows = db.prepare("SELECT action, subject, data FROM audit WHERE action LIKE 'budget.%' ORDER BY seq").all() as { action: string; subject: string; data: string }[];
      assert.deepEqual(rows.map((r) => r.action), ['budget.deny', 'budget.deny', 'budget.set'], JSON.stringify(rows));
      const set = JSON.parse(rows[2]!.data);
      assert.deepEqual([set.scope, set.group, set.after], ['group', 'gbud', { usd: 0.075 }]);
    } finally {
      db.close();
    }
  });
});

const STOP_TEMPLATES = [
  { name: 'gs-a', label: 'Group stop A', prompt: '[scenario:group-stop-a] write a1 and a2', group: 'gstop', count: 1 },
  { name: 'gs-b', label: 'Group stop B', prompt: '[scenario:group-stop-b] write b1', group: 'gstop', count: 1 },
];

describe('Group budget: Stop 2 Agents', function () {
  this.timeout(240_000);
  useFreshWorkbench({ 'flotilla.agentTemplates': STOP_TEMPLATES, 'flotilla.budget.groups': { gstop: '$0.05' } });

  it('stops every live agent of the spent group after a modal confirm, each stop audited with its reason', async () => {
    const { workbench, page, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    for (const name of ['gs-a', 'gs-b']) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');
    await launchTemplates(STOP_TEMPLATES);
    await models.whenHeld('gs-b-first', 1);
    await models.whenHeld('gs-a-cross', 1);
    models.openGate('gs-a-cross');

    const exhausted = /Budget exhausted: group gstop has spent \$0\.05\d* of \$0\.05/;
    await workbench.clickNotificationButton(exhausted, 'Stop 2 Agents');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Stop (gs-a, gs-b|gs-b, gs-a)\? The budget of group gstop is spent\./);
    await dialog.locator('.monaco-button', { hasText: 'Stop 2 Agents' }).click();
    for (const name of ['gs-a', 'gs-b']) await agentRow(name, 'stopped').waitFor({ state: 'visible', timeout: 30_000 });
    models.openGate('gs-b-first');

    const db = openStoreReadonly();
    try {
      const stops = db.prepare("SELECT subject, data FROM audit WHERE action = 'budget.stop' ORDER BY seq").all() as { subject: string; data: string }[];
      assert.deepEqual(stops.map((r) => r.subject.split(':')[0]).sort(), ['gs-a', 'gs-b'], JSON.stringify(stops));
      for (const r of stops) {
        const data = JSON.parse(r.data);
        assert.equal(data.scope, 'group');
        assert.equal(data.group, 'gstop');
        assert.match(data.reason, /^budget of group gstop exhausted \(Budget exhausted: group gstop has spent/);
      }
    } finally {
      db.close();
    }
  });
});
