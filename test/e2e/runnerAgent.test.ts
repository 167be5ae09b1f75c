// Issue 13's done-when in the real workbench: a `flotilla-agent serve` runner (a real process from dist/runner.js, on
// loopback, its own token file) runs the real Claude Code CLI (`flotilla-agent run --name … -- claude …`) against the
// scripted model server; Flotilla dials it (Add Remote Connection…, the token typed into the password box) and shows a
// host node with the runner's agent under it. A local Claude Code agent (New Agent) and the runner's agent ask for a
// risky Bash call at one moment: one batch notification lists both and Allow All runs both commands, the runner's in
// the runner's worktree. Stop from the tree on the runner agent's row ends its process on the runner. Then New Agent
// targets the connected host: interactive Claude Code starts on the runner, asks, is allowed, writes its file there;
// a second start of the same name is refused with the runner's reason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { CLAUDE_BIN } from '../fixtures/claudeSandbox';
import { agentRow, eventually, processAlive, stopFromTree, storedAgent, worktreeOf } from './agentSteps';
import { claudeSandbox } from './claudeFixture';
import { answerNewAgent } from './newAgentFlow';
import { addRemoteConnection, removeRemoteConnections, startE2eRunner } from './runnerSteps';
import type { E2eRunner } from './runnerSteps';

const CONNECTION = 'runner-box';
const REMOTE = 'far-fixer';
const LOCAL = 'near-fixer';
/** Started on the runner by New Agent. */
const STARTED = 'far-new';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('A runner agent beside a local agent', function () {
  this.timeout(300_000);
  // The batch and the host's agent count are fleet-wide: no agents of earlier files.
  useFreshWorkbench();
  let runner: E2eRunner | undefined;
  let remotePid: number | undefined;
  let startedPid: number | undefined;

  after(async function () {
    this.timeout(60_000);
    // After a failure: let the held turns go (the agents then end on their own) and end the runner agent's process
    // by its id. Then stop the runner and leave no connection behind for later files.
    claudeSandbox().modelServer.openGate('runner-first');
    claudeSandbox().modelServer.openGate('runner-hold');
    for (const pid of [remotePid, startedPid]) if (pid !== undefined && processAlive(pid)) process.kill(pid, 'SIGKILL');
    await runner?.dispose();
    runner = undefined;
    removeRemoteConnections();
  });

  it('shows the host node, answers both agents from one batch notification, Stop from the tree ends the runner agent, and New Agent starts one on the runner', async () => {
    const { workbench, page, workspace } = e2eSession();
    const models = claudeSandbox().modelServer;
    claudeSandbox().trust(worktreeOf(workspace, LOCAL));
    runner = await startE2eRunner();
    const { serve, machine } = runner;

    // The runner's agent: the real Claude Code CLI in a worktree the runner makes, held at the model server's gate.
    const run = await serve.cli(['run', '--name', REMOTE, '--worktree', '--cwd', machine.repo, '--', CLAUDE_BIN, '-p', '[scenario:runner-batch] write ran.txt']);
    assert.equal(run.code, 0, `flotilla-agent run: ${run.stderr}`);
    const started = /^started \S+ \(pid (\d+), (\w+)\) in (\S+)$/m.exec(run.stdout);
    assert.ok(started, `flotilla-agent run says what it started: ${run.stdout}`);
    remotePid = Number(started[1]);
    const remoteWorktree = started[3]!;
    assert.notEqual(remoteWorktree, machine.repo, 'the runner agent has a worktree of its own');
    const listed = await serve.cli(['ls']);
    assert.match(listed.stdout, new RegExp(`^${REMOTE}\\trunning\\tclaude-code\\t`, 'm'), listed.stdout);

    // Flotilla dials the runner: the host node says connected, with the runner's agent under it.
    await workbench.openViewContainer('Flotilla');
    await addRemoteConnection(CONNECTION, serve.url, serve.token);
    const agents = workbench.viewPane('Agents');
    const hostRow = agents.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${CONNECTION}$`) }) });
    await hostRow.filter({ hasText: /connected to \S+ · 1 agent/ }).waitFor({ state: 'visible' });
    const hostName = /connected to (\S+) · 1 agent/.exec(await hostRow.innerText())![1]!;
    const remoteName = escape(`${REMOTE} (${hostName})`);
    const remoteRow = agentRow(remoteName);
    await remoteRow.waitFor({ state: 'visible' });
    const level = async (row: typeof hostRow): Promise<number> => Number(await row.getAttribute('aria-level'));
    assert.equal(await level(remoteRow), (await level(hostRow)) + 1, 'the runner agent sits under its host node');
    assert.equal(Number(await remoteRow.getAttribute('data-index')), Number(await hostRow.getAttribute('data-index')) + 1, 'right under it');

    // The local agent, as a user starts one (New Agent now asks which machine first); both line up at the gate and
    // ask at one moment.
    await answerNewAgent(page, { machine: 'This machine', name: LOCAL, prompt: '[scenario:runner-batch] write ran.txt', where: 'worktree', budget: '$1' });
    await models.whenHeld('runner-first', 2);
    await agentRow(LOCAL).waitFor({ state: 'visible' });
    await workbench.dismissHovers();
    await workbench.screenshot('runner-host-node.png', agents);
    models.openGate('runner-first');

    const batch = new RegExp(`2 actions from (${remoteName} and ${LOCAL}|${LOCAL} and ${remoteName}) need approval`);
    await workbench.notification(batch).waitFor({ state: 'visible' });
    const center = await workbench.showNotificationCenter();
    const asks = await center.locator('.notification-list-item-message', { hasText: /need approval|wants to run/ }).allInnerTexts();
    assert.equal(asks.length, 1, `one notification for both: ${JSON.stringify(asks)}`);
    assert.match(asks[0]!, /\(Bash 2\): Bash: echo ran > ran\.txt/, 'both Bash calls, the command shown');
    await workbench.screenshot('runner-batch-notification.png');
    await workbench.clickNotificationButton(batch, 'Allow All');

    // Both commands ran: the runner's in the runner's worktree, the local one in its own; both then wait at the next gate.
    await models.whenHeld('runner-hold', 2);
    assert.equal(fs.readFileSync(path.join(remoteWorktree, 'ran.txt'), 'utf8'), 'ran\n', 'the runner agent ran its command on the runner');
    assert.equal(fs.readFileSync(path.join(worktreeOf(workspace, LOCAL), 'ran.txt'), 'utf8'), 'ran\n', 'the local agent ran its command');
    assert.ok(processAlive(remotePid), 'the runner agent still runs before Stop');

    // Stop from the tree: the runner ends the agent's process, the row says stopped, the runner lists it as ended.
    await stopFromTree(remoteName);
    assert.ok(await eventually(() => !processAlive(remotePid!), 15_000), `the runner agent's process ${remotePid} is gone`);
    const after = await serve.cli(['ls']);
    assert.doesNotMatch(after.stdout, new RegExp(`^${REMOTE}\\trunning`, 'm'), `the runner no longer runs it: ${after.stdout}`);
    assert.match(serve.output(), new RegExp(`agent ${REMOTE}: stopped: a stop frame from Flotilla`), 'the runner was told by Flotilla');
    await agentRow(LOCAL).filter({ hasNotText: /stopped/ }).waitFor({ state: 'visible' });
    await workbench.dismissHovers();
    await workbench.screenshot('runner-stopped.png', agents);

    // New Agent on the connected host: interactive Claude Code on the runner, in the folder serve runs in.
    await answerNewAgent(page, { machine: `${CONNECTION} (connected)`, name: STARTED, prompt: '[scenario:write-file] write out.txt', where: 'workspace', placeLabel: "Runner's folder", budget: '' });
    const startedName = escape(`${STARTED} (${hostName})`);
    const startedRow = agentRow(startedName);
    await startedRow.waitFor({ state: 'visible' });
    await hostRow.filter({ hasText: /connected to \S+ · 2 agents/ }).waitFor({ state: 'visible' });
    assert.equal(await level(startedRow), (await level(hostRow)) + 1, 'the new agent sits under its host node');
    const startedLine = new RegExp(`agent ${STARTED} started \\((\\w+), pid (\\d+)\\) in (\\S+)`).exec(serve.output());
    assert.ok(startedLine, `the runner started it: ${serve.output()}`);
    assert.equal(startedLine[1], 'pty', 'in a pseudo-terminal');
    assert.equal(startedLine[3], machine.repo, "in the runner's folder");
    startedPid = Number(startedLine[2]);
    const ask = new RegExp(`${startedName} wants to run Bash: echo hi > out\\.txt`);
    await workbench.clickNotificationButton(ask, 'Allow');
    assert.ok(await eventually(() => fs.existsSync(path.join(machine.repo, 'out.txt')), 30_000), 'the new agent ran its command on the runner');
    assert.equal(fs.readFileSync(path.join(machine.repo, 'out.txt'), 'utf8'), 'hi\n');
    await workbench.dismissHovers();
    await workbench.screenshot('runner-new-agent.png', agents);

    // The same name again while it runs: the runner's reason, in VS Code's words.
    await answerNewAgent(page, { machine: `${CONNECTION} (connected)`, name: STARTED, prompt: 'again', where: 'workspace', placeLabel: "Runner's folder", budget: '' });
    await workbench.notification(new RegExp(`Could not start ${STARTED} on ${CONNECTION}: an agent named '${STARTED}' is running already`)).waitFor({ state: 'visible' });
    await stopFromTree(startedName);
    assert.ok(await eventually(() => !processAlive(startedPid!), 15_000), `the new agent's process ${startedPid} is gone`);

    // Well after Flotilla let go of the ended runner agent (5 s), its row still says stopped (it is not dialled again).
    assert.equal(await agentRow(remoteName).filter({ hasText: 'stopped' }).count(), 1, 'the first runner agent stays stopped');

    // The local agent is stopped the same way (its Claude Code must not outlive the test's sandbox).
    const localShell = storedAgent(LOCAL).terminalPid;
    await stopFromTree(LOCAL);
    if (localShell !== undefined) assert.ok(await eventually(() => !processAlive(localShell), 15_000), `Stop ended ${LOCAL}'s shell (pid ${localShell})`);
  });
});
