// Developer: Reload Window with three Claude Code agents running: all three come back with their true status, their
// rows keep Focus Terminal and Stop, their hooks still reach Flotilla, and Stop ends each one's process.
// (The bug: the old extension host saw every terminal close while the window unloaded and stored `stopped`.)
// Real parts: the Claude Code CLI in integrated terminals, the scripted model server, git worktrees, the SQLite store.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, processAlive, reloadWindow, stopFromTree, storedAgent, worktreeOf } from './agentSteps';

const IDLE = ['r-one', 'r-two'] as const;
const HELD = 'r-three';
/** A finished turn: "ready for review" (row; the tooltip says "done — ready for review") (the core's lastTurn), "idle" before it. */
const IDLE_LOOK = /ready for review|idle/;

describe('Window reload with running agents', function () {
  this.timeout(300_000);
  useFreshWorkbench();

  it('shows all three with their true status after Reload Window; Focus Terminal and Stop work on each', async () => {
    const { workbench, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    for (const name of [...IDLE, HELD]) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');

    for (const name of IDLE) await newClaudeAgent(name, '[scenario:text-only] say hello');
    await newClaudeAgent(HELD, '[scenario:reload-hold] wait for the gate');
    await models.whenHeld('reload-hold', 1);
    for (const name of IDLE) await agentRow(name, IDLE_LOOK).waitFor({ state: 'visible' });
    await agentRow(HELD, 'working').waitFor({ state: 'visible' });
    const pids = Object.fromEntries([...IDLE, HELD].map((n) => [n, storedAgent(n).terminalPid]));
    for (const [name, pid] of Object.entries(pids)) assert.ok(pid !== undefined && processAlive(pid), `${name}'s shell runs (pid ${pid})`);

    await reloadWindow();
    // The workbench restores the Flotilla side bar by itself once the extension's views are back; clicking its
    // activity bar entry meanwhile could toggle it closed.
    const restored = await agentRow(HELD).waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
    if (!restored) await workbench.openViewContainer('Flotilla');
    for (const name of IDLE) await agentRow(name, IDLE_LOOK).waitFor({ state: 'visible' });
    await agentRow(HELD, 'working').waitFor({ state: 'visible' });
    for (const name of [...IDLE, HELD]) {
      const stored = storedAgent(name);
      assert.notEqual(stored.status, 'stopped', `${name} was not stored as stopped (${stored.statusReason ?? ''})`);
      assert.ok(processAlive(pids[name]!), `${name}'s shell survived the reload`);
      // Focus Terminal is offered only for an agent whose terminal Flotilla found again.
      const row = agentRow(name);
      await row.hover();
      await row.locator('.action-label[aria-label="Focus Terminal"]').waitFor({ state: 'visible' });
    }
    await workbench.screenshot('after-reload.png');

    // The held agent's session still reports to the bridge (same port): its turn ends and the row follows.
    models.openGate('reload-hold');
    await agentRow(HELD, IDLE_LOOK).waitFor({ state: 'visible' });

    for (const name of [...IDLE, HELD]) {
      await stopFromTree(name);
      assert.ok(await eventually(() => !processAlive(pids[name]!), 15_000), `Stop ended ${name}'s shell (pid ${pids[name]})`);
    }
  });
});
