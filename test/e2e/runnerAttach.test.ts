// Attach and Open Diff on a runner agent's row, in the real workbench: a `flotilla-agent serve` runner (a real process
// from the staged dist/runner.js) runs a shell loop in a pty, in a worktree where it modified, added and deleted a
// file; Flotilla dials it (Add Remote Connection…). Attach from the row's context menu opens a terminal that shows the
// agent's output and takes typing (what is typed reaches the runner's process: it writes it to a file); Open Diff
// from the row opens the multi-diff editor with the three files, read from the runner.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { agentRow, eventually, processAlive } from './agentSteps';
import { addRemoteConnection, removeRemoteConnections, startE2eRunner } from './runnerSteps';
import type { E2eRunner } from './runnerSteps';

const CONNECTION = 'attach-box';
const AGENT = 'looper';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// In the worktree: a file changed, one added, one deleted; then a line loop that echoes and keeps what it reads.
const SCRIPT = [
  'echo after > edit.txt',
  'echo brand new > added.txt',
  'rm gone.txt',
  'echo agent-ready',
  'while read line; do echo "got:$line"; echo "$line" >> typed.log; done',
].join('; ');

/** Runs a command from an agent row's context menu, as a user does (hover the item, Enter). */
async function fromRowMenu(row: ReturnType<typeof agentRow>, item: RegExp): Promise<void> {
  const { page } = e2eSession();
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: item });
  await entry.hover();
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden' });
}

describe('Attach and Open Diff on a runner agent', function () {
  this.timeout(300_000);
  // The DOM renderer: the terminal's text can be read from the page.
  useFreshWorkbench({ 'terminal.integrated.gpuAcceleration': 'off' });
  let runner: E2eRunner | undefined;
  let pid: number | undefined;

  after(async function () {
    this.timeout(60_000);
    if (pid !== undefined && processAlive(pid)) process.kill(pid, 'SIGKILL');
    await runner?.dispose();
    runner = undefined;
    removeRemoteConnections();
  });

  it('Attach shows the agent output and types into it; Open Diff shows its worktree changes from the runner', async () => {
    const { workbench, page } = e2eSession();
    runner = await startE2eRunner();
    const { serve, machine } = runner;
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: machine.repo, encoding: 'utf8' });
    fs.writeFileSync(path.join(machine.repo, 'edit.txt'), 'before\n');
    fs.writeFileSync(path.join(machine.repo, 'gone.txt'), 'to be deleted\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');

    const run = await serve.cli(['run', '--name', AGENT, '--worktree', '--cwd', machine.repo, '--', 'sh', '-c', SCRIPT]);
    assert.equal(run.code, 0, `flotilla-agent run: ${run.stderr}`);
    const started = /^started \S+ \(pid (\d+), (\w+)\) in (\S+)$/m.exec(run.stdout);
    assert.ok(started, run.stdout);
    pid = Number(started[1]);
    assert.equal(started[2], 'pty');
    const worktree = started[3]!;

    await workbench.openViewContainer('Flotilla');
    await addRemoteConnection(CONNECTION, serve.url, serve.token);
    const agents = workbench.viewPane('Agents');
    const hostRow = agents.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${CONNECTION}$`) }) });
    await hostRow.filter({ hasText: /connected to \S+ · 1 agent/ }).waitFor({ state: 'visible' });
    const hostName = /connected to (\S+) · 1 agent/.exec(await hostRow.innerText())![1]!;
    const name = `${AGENT} (${hostName})`;
    const row = agentRow(escape(name));
    await row.waitFor({ state: 'visible' });

    // Attach: a terminal named after the agent, showing what the agent printed before, then what it answers.
    await fromRowMenu(row, /^Attach/);
    const panel = page.locator('.part.panel');
    const screen = panel.locator('.xterm-rows');
    await panel.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: `${name} (attached)` }).first().waitFor({ state: 'visible' });
    await screen.filter({ hasText: 'agent-ready' }).first().waitFor({ state: 'visible' });
    await panel.locator('.xterm').first().click();
    await page.keyboard.type('hello from vscode');
    await page.keyboard.press('Enter');
    await screen.filter({ hasText: 'got:hello from vscode' }).first().waitFor({ state: 'visible' });
    assert.ok(await eventually(() => fs.existsSync(path.join(worktree, 'typed.log')), 10_000), 'the typed line reached the runner');
    assert.equal(fs.readFileSync(path.join(worktree, 'typed.log'), 'utf8'), 'hello from vscode\n');
    await workbench.screenshot('runner-attach.png');

    // Open Diff: the multi-diff editor of the runner's worktree against its base.
    await fromRowMenu(row, /^Open Diff/);
    const base = git('rev-parse', 'HEAD').trim().slice(0, 8);
    const tab = page.locator('.tabs-container .tab', { hasText: `${name}: changes since ${base}` });
    await tab.first().waitFor({ state: 'visible' });
    const editor = page.locator('.part.editor');
    for (const file of ['edit.txt', 'added.txt', 'gone.txt']) await editor.getByText(file, { exact: true }).first().waitFor({ state: 'visible' });
    // A modified file is shown as modified, not as a rename (both sides have the same path).
    assert.equal(await editor.getByText('edit.txt', { exact: true }).count(), 1, 'edit.txt is named once (a rename would name it twice)');
    await editor.getByText('after', { exact: true }).first().waitFor({ state: 'visible' });
    await workbench.screenshot('runner-open-diff.png');

    // Detaching (closing the terminal) leaves the agent running on the runner.
    assert.ok(processAlive(pid), 'the agent still runs');
  });
});
