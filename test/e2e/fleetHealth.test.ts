// Fleet health as a user sees it, with the real Claude Code CLI in integrated terminals and the scripted model server:
// a four-task plan worked through reads 1/4 … 4/4 in the agent's row (each move held at a model-server gate so every
// step can be read from the DOM); the same failing command three times is flagged looping with a notification; a turn
// ending on a question shows needs input with the question; two prohibited commands and a write to a protected file
// quarantine the agent, and its next harmless tool call waits in the Approvals view.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { OFF_HOVERS } from '../harness/browser';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, stopFromTree, storedAgent, worktreeOf } from './agentSteps';
import { rowWord } from './rowWords';

/** The description of an agent's row (what follows its name) once the row contains `text`. */
async function rowText(name: string, text: string | RegExp): Promise<string> {
  const row = agentRow(name, text);
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  return (await row.locator('.label-description').innerText()).replace(/\s+/g, ' ').trim();
}

describe('Fleet health', function () {
  this.timeout(240_000);
  // Trust entries must be written before any claude runs (a running claude rewrites its config from memory).
  useFreshWorkbench();

  it('shows step 1/4 … 4/4 of the task list an agent works through, then done', async () => {
    const { workbench, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    claudeSandbox().trust(worktreeOf(workspace, 'planner'));
    await workbench.openViewContainer('Flotilla');
    await newClaudeAgent('planner', '[scenario:health-plan] fix the parser in four steps');

    const steps = [
      { gate: 'health-plan-2', words: '1/4 Reading the parser' },
      { gate: 'health-plan-3', words: '2/4 Fixing the off-by-one' },
      { gate: 'health-plan-4', words: '3/4 Running the tests' },
      { gate: 'health-plan-done', words: '4/4 Updating the changelog' },
    ];
    const seen: string[] = [];
    for (const { gate, words } of steps) {
      // The agent's next request waits at the gate: the row holds this step until the test opens it.
      await models.whenHeld(gate, 1);
      const text = await rowText('planner', words);
      assert.match(text, new RegExp(`^${rowWord('working')} · ${words.replace('/', '\\/')} \\(`), text);
      seen.push(text);
      if (gate === 'health-plan-3') await workbench.screenshot('health-step-2-of-4.png');
      models.openGate(gate);
    }
    const done = await rowText('planner', /ready for review|idle/);
    assert.match(done, /4\/4 done: Update the changelog/, done);
    assert.equal(seen.length, 4);
    await stopFromTree('planner');
  });

  it('flags an agent that runs the same failing command three times as looping, with a notification', async () => {
    const { workbench, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    claudeSandbox().trust(worktreeOf(workspace, 'loopy'));
    await newClaudeAgent('loopy', '[scenario:health-loop] find the build output');

    const notice = workbench.notification(/loopy looks stuck in a loop: Bash: ls no-such-dir: 3 times in a row with the same input/);
    await notice.waitFor({ state: 'visible', timeout: 90_000 });
    for (const action of ['Show Trace', 'Send Message…', 'Stop']) {
      assert.equal(await notice.locator('.monaco-button', { hasText: action }).count(), 1, `the notification offers ${action}`);
    }
    // Still in its turn (its answer waits at the gate): the row leads with the flag.
    const text = await rowText('loopy', 'looping · ');
    assert.match(text, new RegExp(`^looping · ${rowWord('working')} · `), text);
    await workbench.screenshot('health-looping.png');
    models.openGate('health-loop-end');
    // A finished turn is no loop.
    await agentRow('loopy', /ready for review|idle/).waitFor({ state: 'visible', timeout: 60_000 });
    assert.doesNotMatch(await rowText('loopy', /ready for review|idle/), /looping/);
    await stopFromTree('loopy');
  });

  it('shows needs input with the question an agent ends its turn on', async () => {
    const { workbench, workspace } = e2eSession();
    claudeSandbox().trust(worktreeOf(workspace, 'asker'));
    await newClaudeAgent('asker', '[scenario:health-ask] tidy the config files');

    await workbench.notification(/asker needs you: Should I delete app\.old\.json\?/).waitFor({ state: 'visible', timeout: 90_000 });
    const text = await rowText('asker', rowWord('needs-input'));
    assert.match(text, new RegExp(`^${rowWord('needs-input')} · `), text);
    const stored = storedAgent('asker');
    assert.equal(stored.status, 'waiting-input');
    assert.equal(stored.statusReason, 'Should I delete app.old.json?');
    await workbench.screenshot('health-needs-input.png');
    await stopFromTree('asker');
  });

  it('quarantines an agent after two prohibited commands and a protected-file write; its next harmless call waits for approval', async () => {
    const { workbench, workspace, page } = e2eSession();
    claudeSandbox().trust(worktreeOf(workspace, 'quarry'));
    await newClaudeAgent('quarry', '[scenario:health-quarantine] set the project up');

    // The harmless `ls` (autonomous for an agent in good standing) waits for a human: in a notification and in the
    // Approvals view, sent there by the quarantine.
    const ask = /quarry wants to run Bash: ls/;
    await workbench.notification(ask).waitFor({ state: 'visible', timeout: 90_000 });
    const approvals = workbench.viewPane('Approvals');
    const waiting = approvals.locator('.monaco-list-row', { hasText: 'Bash: ls' }).filter({ hasText: 'quarry' });
    await waiting.waitFor({ state: 'visible' });
    await rowText('quarry', rowWord('quarantined'));
    const stored = storedAgent('quarry') as ReturnType<typeof storedAgent> & { quarantine?: { reason: string; evidence: string[] } };
    assert.match(stored.quarantine?.reason ?? '', /^risk score 10\.5 reached 10$/, JSON.stringify(stored.quarantine));
    assert.match(stored.quarantine!.evidence[0]!, /^3 prohibited attempts: \+10\.5 \(Bash: curl .*; Bash: git push --force origin main; Write: .*settings\.json\)$/);
    await workbench.screenshot('health-quarantined.png');
    // The row's tooltip carries the scorecard: the risk score with the lines that make it up.
    await agentRow('quarry').hover();
    const hover = page.locator('.workbench-hover-container').filter({ hasText: 'Risk: 10.5 of 10' });
    await hover.waitFor({ state: 'visible' });
    const tip = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(tip, /Risk: 10\.5 of 10 · 3 prohibited attempts: \+10\.5 \(Bash: curl .*; Bash: git push --force origin main; Write: .*settings\.json\)/, tip);
    assert.match(tip, /0 approvals asked · 0 denials · 3 prohibited attempts/, tip);
    // The agent's command is text: its URL is shown as written, and no link (the only links are Open Diff / Open Trace).
    assert.match(tip, /curl -fsSL https:\/\/example\.invalid\/install\.sh/, tip);
    const links = await hover.locator('a').evaluateAll((as) => as.map((a) => `${a.textContent ?? ''} ${a.getAttribute('href') ?? ''} ${a.getAttribute('data-href') ?? ''}`));
    assert.deepEqual(links.filter((l) => /example\.invalid/.test(l)), [], links.join('\n'));
    await workbench.screenshot('health-tooltip.png');
    // Off the row without Escape (which would also close the notification).
    await page.mouse.move(...OFF_HOVERS);
    await hover.waitFor({ state: 'hidden' });
    // Denied, the agent is told so and ends its turn; the request leaves the view.
    await workbench.clickNotificationButton(ask, 'Deny');
    await waiting.waitFor({ state: 'hidden' });
    assert.ok(await eventually(() => storedAgent('quarry').status !== 'working', 60_000), 'the turn ended after the denial');
    await stopFromTree('quarry');
  });
});
