// First run in a real workbench: the window opens on the Explorer; the first agent a user starts brings the Flotilla
// view into sight (once: remembered in globalState), and the next agent leaves the side bar as the user left it.
// Real parts: the Claude Code CLI in integrated terminals, the scripted model server, git worktrees, the store.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, openStoreReadonly, worktreeOf } from './agentSteps';

const FIRST = 'first-run-one';
const SECOND = 'first-run-two';
/** The text-only turn has ended (the row's "ready for review" / "idle"). */
const TURN_ENDED = new Set(['idle', 'done']);

/** The agent's stored status, or undefined while New Agent has not created it yet. */
function statusOf(name: string): string | undefined {
  const db = openStoreReadonly();
  try {
    const row = db.prepare('SELECT data FROM agents WHERE name = ?').get(name) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as { snapshot: { status: string } }).snapshot.status : undefined;
  } finally {
    db.close();
  }
}

describe('First run', function () {
  this.timeout(180_000);
  useFreshWorkbench();

  it('reveals the Flotilla view when the first agent starts, and not again for the next one', async () => {
    const { workbench, workspace } = e2eSession();
    for (const name of [FIRST, SECOND]) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Explorer');
    // The palette lists Flotilla's commands once the workbench has its contributions (its activity bar entry shows).
    await workbench.activityBarItem('Flotilla').waitFor({ state: 'visible' });
    assert.equal(await workbench.sideBar('Flotilla').isVisible(), false, 'the window opens on the Explorer');

    await newClaudeAgent(FIRST, '[scenario:text-only] say hello');
    await workbench.sideBar('Flotilla').waitFor({ state: 'visible' });
    await agentRow(FIRST).waitFor({ state: 'visible' });
    await workbench.screenshot('first-run-revealed.png');

    await workbench.openViewContainer('Explorer');
    await newClaudeAgent(SECOND, '[scenario:text-only] say hello');
    // Once its turn has ended any reveal would have happened long before.
    const ended = await eventually(() => TURN_ENDED.has(statusOf(SECOND) ?? ''), 90_000, 250);
    assert.ok(ended, `${SECOND} did not finish its turn: ${statusOf(SECOND) ?? 'not created'}`);
    assert.equal(await workbench.sideBar('Explorer').isVisible(), true, 'the second agent left the Explorer in the side bar');
    assert.equal(await workbench.sideBar('Flotilla').isVisible(), false);
  });
});
