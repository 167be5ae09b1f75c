// Stop All from the command palette, as a user runs it: three working Claude Code agents, one confirmation (a modal
// naming them), and every row reads stopped.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, newClaudeAgent, worktreeOf } from './agentSteps';

const NAMES = ['halt-1', 'halt-2', 'halt-3'];

describe('Stop All from the palette', function () {
  this.timeout(240_000);
  useFreshWorkbench();

  it('stops three working agents after one confirmation', async () => {
    const { workbench, page, workspace } = e2eSession();
    await workbench.openViewContainer('Flotilla');
    // Trust entries first: a running claude rewrites its config from memory, so one added meanwhile can be lost.
    for (const name of NAMES) claudeSandbox().trust(worktreeOf(workspace, name));
    for (const name of NAMES) await newClaudeAgent(name, '[scenario:stop-all-hold] wait for the gate');
    await claudeSandbox().modelServer.whenHeld('stop-all-hold', NAMES.length);
    for (const name of NAMES) await agentRow(name, 'working').waitFor({ state: 'visible' });

    await workbench.runCommand('Flotilla: Stop All Agents');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    const text = await dialog.innerText();
    assert.match(text, /Stop all 3 running agents\?/);
    for (const name of NAMES) assert.ok(text.includes(name), `the dialog names ${name}: ${text}`);
    await dialog.locator('.monaco-button', { hasText: 'Stop All' }).click();

    for (const name of NAMES) await agentRow(name, 'stopped').waitFor({ state: 'visible' });
    await workbench.screenshot('stop-all.png');
    claudeSandbox().modelServer.openGate('stop-all-hold');
  });
});
