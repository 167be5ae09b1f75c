// The Costs view as a user lives it: a Claude Code agent runs the trace-panel scenario through the scripted model
// server; "Flotilla: Open Costs" shows the fleet's spending: the agent's row with its group-less place, the dollars of
// the period (its stored requests priced when read) equal to what metering summed and the tree shows, to the
// micro-dollar (computed in the Costs worker thread, as the log says); the model's row; today's bar in the Days table;
// and the panel comes back after a window reload.
// Real parts: the Claude Code CLI in an integrated terminal, the scripted model server, a git worktree, the SQLite store.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { formatUsd } from '../../src/core/format';
import { flotillaLogFiles } from '../harness/codeServer';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, reloadWindow, storedAgent, worktreeOf } from './agentSteps';

const NAME = 'co-alpha';

/** The Costs panel's inner frame, once it shows a report. */
async function costsFrame(timeoutMs = 30_000): Promise<Frame> {
  const { page } = e2eSession();
  for (const until = Date.now() + timeoutMs; ; ) {
    for (const frame of page.frames()) {
      const found = await frame.$('body[data-reported] [data-testid=summary]').catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > until) throw new Error('no Costs panel webview with a report appeared');
    await page.waitForTimeout(200);
  }
}

/** The cells' exact figures (their titles) of the agent's row in the Agents table. */
async function agentFigures(frame: Frame, name: string): Promise<{ period: string; total: string; cells: string[] }> {
  const row = frame.locator('[data-testid=agents-table] tbody tr', { hasText: name }).first();
  await row.waitFor({ state: 'visible' });
  const cells = await row.locator('td').allTextContents();
  return { period: (await row.locator('td').nth(3).getAttribute('title')) ?? '', total: (await row.locator('td').nth(4).getAttribute('title')) ?? '', cells };
}

describe('Costs view', function () {
  this.timeout(240_000);
  // The fleet's figures are every agent's in the window: only this file's.
  useFreshWorkbench();

  it("shows an agent's spending equal to metering, per model and per day, and survives a reload", async () => {
    const { workbench, page, workspace } = e2eSession();
    claudeSandbox().trust(worktreeOf(workspace, NAME));
    await workbench.openViewContainer('Flotilla');
    await newClaudeAgent(NAME, '[scenario:trace-panel] take notes');
    await agentRow(NAME, /ready for review/).waitFor({ state: 'visible', timeout: 90_000 });
    // The last request reaches the transcript after the Stop hook: wait until metering has all of it.
    assert.ok(await eventually(() => storedAgent(NAME).usage.output === 140 + 70 + 60 + 15, 20_000), `usage metered: ${JSON.stringify(storedAgent(NAME).usage)}`);
    const stored = storedAgent(NAME);
    await agentRow(NAME, formatUsd(stored.costUsd)).waitFor({ state: 'visible' });

    await workbench.runCommand('Flotilla: Open Costs');
    let frame = await costsFrame();
    const exact = `$${stored.costUsd.toFixed(6)}`;
    const figures = await agentFigures(frame, NAME);
    assert.equal(figures.total, exact, 'since start: the metered cost');
    assert.equal(figures.period, exact, 'the period: its stored requests priced when read, the same dollars');
    assert.match((await frame.locator('[data-testid=summary]').textContent())!, /^Fleet: \$\d+\.\d+ in the last 30 days \(4 requests\)/);
    // The report came from the worker thread (its own read-only connection), not from the extension host's thread.
    const log = flotillaLogFiles(join(e2eSession().server.userDataDir, 'logs')).map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.match(log, /Costs reports run in a worker thread \((better-sqlite3|node:sqlite), read-only connection to /);
    assert.doesNotMatch(log, /Costs reports run on the extension host's thread|Could not compute costs/);

    await frame.locator('[data-tab=models]').click();
    const models = await frame.locator('[data-testid=models-table] tbody tr').allTextContents();
    assert.equal(models.length, 1, `one model: ${JSON.stringify(models)}`);
    await frame.locator('[data-tab=days]').click();
    const today = frame.locator('[data-testid=days-table] tbody tr').first();
    assert.equal(await today.locator('td').nth(1).getAttribute('title'), exact, "today's spending (newest day first)");
    await workbench.screenshot('costs-view.png');

    await reloadWindow();
    await page.locator('.tab', { hasText: 'Flotilla Costs' }).first().click();
    frame = await costsFrame(60_000);
    assert.equal(await frame.locator('[data-tab=days]').getAttribute('aria-selected'), 'true', 'the table shown is restored');
    await frame.locator('[data-tab=agents]').click();
    assert.equal((await agentFigures(frame, NAME)).period, exact);
  });
});
