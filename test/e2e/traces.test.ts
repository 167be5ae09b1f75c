// The Trace panel as a user lives it: two Claude Code agents run the trace-panel scenario (Write, Edit, a grep whose
// input carries markup, text) through the scripted model server; Open Fleet Timeline shows their spans; the totals,
// per agent through the agent filter, equal what metering stored and the tree shows; a Write span's file opens
// VS Code's diff of that file in the agent's worktree; the markup stays text; the panel comes back after a reload.
// Real parts: the Claude Code CLI in integrated terminals, the scripted model server, git worktrees, the SQLite store.
import * as assert from 'node:assert/strict';
import { formatUsd } from '../../src/core/format';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, reloadWindow, storedAgent, worktreeOf } from './agentSteps';
import { pickFilter, selectRow, shownRows, shownTotals, traceFrame, waitForSpanCount } from './traceSteps';

const AGENTS = ['tr-alpha', 'tr-bravo'] as const;
/** What trace-panel.json serves, summed: the metering must find exactly this. */
const SERVED = { input: 1900 + 210 + 230 + 250, output: 140 + 70 + 60 + 15, cacheRead: 1900 + 2110 + 2340, cacheWrite: 1900 + 210 + 230 };
/** Per agent: the task, four model requests, three tool calls. */
const SPANS_PER_AGENT = 8;

describe('Trace panel: fleet timeline', function () {
  this.timeout(240_000);
  // The fleet timeline shows every agent of the window: only this file's.
  useFreshWorkbench();

  it('shows both agents\' spans with totals equal to metering, opens a file\'s diff, keeps markup as text, survives a reload', async () => {
    const { workbench, page, workspace } = e2eSession();
    for (const name of AGENTS) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });

    for (const name of AGENTS) await newClaudeAgent(name, `[scenario:trace-panel] take notes`);
    for (const name of AGENTS) {
      await agentRow(name, /ready for review/).waitFor({ state: 'visible', timeout: 90_000 });
      // The last request reaches the transcript after the Stop hook: wait until metering has all of it.
      assert.ok(await eventually(() => storedAgent(name).usage.output === SERVED.output, 20_000), `${name}'s usage is metered: ${JSON.stringify(storedAgent(name).usage)}`);
      assert.deepEqual(storedAgent(name).usage, SERVED);
      await agentRow(name, formatUsd(storedAgent(name).costUsd)).waitFor({ state: 'visible' });
    }

    await workbench.runCommand('Flotilla: Open Fleet Timeline');
    let frame = await traceFrame();
    await waitForSpanCount(frame, 2 * SPANS_PER_AGENT);
    const rows = await shownRows(frame);
    assert.equal(rows.length, 2 * SPANS_PER_AGENT, 'every span has a row');
    for (const name of AGENTS) assert.ok(rows.some((r) => r.kind === 'task' && r.label.startsWith(`${name} · `)), `${name}'s task heads its spans`);
    assert.deepEqual(rows.filter((r) => r.kind === 'tool').map((r) => `${r.label.replace(/^.* · /, '')}:${r.status}`).sort(), ['Bash:ok', 'Bash:ok', 'Edit:ok', 'Edit:ok', 'Write:ok', 'Write:ok']);
    assert.ok(rows.every((r) => r.status === 'ok'), `nothing running or failed: ${JSON.stringify(rows)}`);

    // The fleet's totals are both agents' metering; each agent's (agent filter) is its own, to the token and dollar.
    const fleet = await shownTotals(frame);
    const stored = AGENTS.map((n) => storedAgent(n));
    assert.deepEqual([fleet.input, fleet.output, fleet.cacheRead, fleet.cacheWrite], [2 * SERVED.input, 2 * SERVED.output, 2 * SERVED.cacheRead, 2 * SERVED.cacheWrite]);
    assert.ok(Math.abs(fleet.costUsd - (stored[0]!.costUsd + stored[1]!.costUsd)) < 1e-9, `fleet cost ${fleet.costUsd}`);
    for (const [i, name] of AGENTS.entries()) {
      await pickFilter(frame, 'agent', name);
      await waitForSpanCount(frame, SPANS_PER_AGENT);
      const t = await shownTotals(frame);
      assert.deepEqual({ input: t.input, output: t.output, cacheRead: t.cacheRead, cacheWrite: t.cacheWrite }, stored[i]!.usage);
      assert.ok(Math.abs(t.costUsd - stored[i]!.costUsd) < 1e-9, `${name}: panel $${t.costUsd}, metering $${stored[i]!.costUsd}`);
      // The same dollars the tree shows for the agent.
      await agentRow(name, formatUsd(t.costUsd)).waitFor({ state: 'visible' });
    }

    // tr-bravo is filtered in: its grep carries markup, shown as text in the details, never as an element.
    await selectRow(frame, /^Bash$/);
    const details = frame.locator('[data-testid=details]');
    await details.getByText("grep -c '<img src=x onerror=alert(1)>' notes.md").first().waitFor({ state: 'visible' });
    assert.equal(await frame.locator('img').count(), 0, 'no element made from agent text');
    assert.equal(dialogs, 0, 'no script ran');
    await workbench.screenshot('trace-timeline.png');

    // Its Write span names the file; the link opens VS Code's diff of it in tr-bravo's worktree.
    await selectRow(frame, /^Write$/);
    const link = details.locator('[data-testid=file-link]');
    assert.equal(await link.textContent(), `${worktreeOf(workspace, 'tr-bravo')}/notes.md`);
    await link.click();
    const tab = page.locator('.tab', { hasText: 'tr-bravo: notes.md (since' }).first();
    await tab.waitFor({ state: 'visible' });
    await page.locator('.part.editor .monaco-diff-editor', { hasText: 'gamma' }).first().waitFor({ state: 'visible' });
    await workbench.screenshot('trace-file-diff.png');

    // One agent's trace (Open Trace, picked by name) heads its waterfall with the agent's scorecard, as text.
    await workbench.runCommand('Flotilla: Open Trace');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(AGENTS[0]);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: AGENTS[0] }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: AGENTS[0] }).first().waitFor({ state: 'visible' });
    // (Counted since this window started watching: before the reload below.)
    let card = '';
    for (const until = Date.now() + 20_000; !/per turn/.test(card) && Date.now() < until; ) {
      for (const f of page.frames()) {
        const shown = await f.$('[data-testid=scorecard]:not([hidden])').catch(() => null);
        if (shown) card = (await shown.textContent()) ?? '';
      }
      if (!/per turn/.test(card)) await page.waitForTimeout(200);
    }
    assert.match(card, /1 turn finished · \$0\.02 per turn · 3 tool calls/, `the scorecard of ${AGENTS[0]}`);
    assert.match(card, /Risk: 0 of 10/);
    await workbench.screenshot('trace-scorecard.png');

    // Back to the timeline, then Developer: Reload Window: the panel is restored with its spans and its filter.
    await page.locator('.tab', { hasText: 'Flotilla Fleet Timeline' }).first().click();
    frame = await traceFrame();
    await reloadWindow();
    await page.locator('.tab', { hasText: 'Flotilla Fleet Timeline' }).first().click();
    frame = await traceFrame(60_000);
    await waitForSpanCount(frame, SPANS_PER_AGENT);
    assert.equal(await frame.locator('[data-testid=filter-agent]').inputValue(), stored[1]!.id, 'the agent filter is restored');
    await pickFilter(frame, 'agent', '');
    await waitForSpanCount(frame, 2 * SPANS_PER_AGENT);
    assert.equal((await shownRows(frame)).length, 2 * SPANS_PER_AGENT);

  });
});
