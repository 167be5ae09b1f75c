// New Agent on a remote host, below VS Code: the extension's RunnerConnection asks a real `flotilla-agent serve`
// process (the bundled runner) over the index socket to start an agent (`start`); the runner starts it exactly as
// `flotilla-agent run` does (a real process, in a git worktree when asked) and it appears in the fleet. What the runner
// cannot do comes back as a clear refusal: a name in use, a command not installed, a worktree outside git, a request
// that fails its schema (on either side), a connection that is not up, a runner that never answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import WebSocket from 'ws';
import { RunnerConnection } from '../../../src/adapters/remote/runnerConnection';
import type { Supervisor } from '../remote/remoteKit';
import { startSupervisor } from '../remote/remoteKit';
import { createSandbox } from '../claudeCode/claudeRunner';
import type { ServeProcess } from './runnerKit';
import { dial, eventually, startServe, useRunnerBundle } from './runnerKit';
import { startRunnerEndpoint } from './runnerEndpoint';
import { memoryLogger } from '../core/fleetKit';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One raw message on the runner's index socket and the runner's answer to it (the index message comes first). */
async function askRaw(serve: ServeProcess, message: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(`${serve.url}/v1/runner`, { headers: { authorization: `Bearer ${serve.token}` } });
  try {
    return await new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (data) => {
        const value = JSON.parse(String(data)) as Record<string, unknown>;
        if (value.type === 'runner_agents') ws.send(message);
        else resolve(value);
      });
    });
  } finally {
    ws.close();
  }
}

describe('New Agent on a runner: the index socket start request (real runner process)', function () {
  this.timeout(60_000);
  const runner = useRunnerBundle();
  const cleanups = runner.cleanups;

  async function connected(cwd?: string): Promise<{ sup: Supervisor; serve: ServeProcess; connection: RunnerConnection }> {
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const serve = await startServe({ script: runner.script, ...(cwd === undefined ? {} : { cwd }) });
    cleanups.push(() => serve.stop());
    const connection = dial(sup, serve);
    cleanups.push(() => connection.dispose());
    await eventually('connected', () => (connection.state.phase === 'connected' ? true : undefined));
    return { sup, serve, connection };
  }

  it('starts a command in a new git worktree of the folder serve runs in, as run does; its row appears; the name is then taken', async () => {
    const machine = createSandbox();
    cleanups.push(() => machine.dispose());
    const { sup, serve, connection } = await connected(machine.repo);

    const result = await connection.start({ name: 'builder', kind: 'custom', command: ['sleep', '600'], worktree: true, group: 'night', budget: { usd: 2 } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.name, 'builder');
    assert.ok(result.pid !== undefined && isAlive(result.pid), `a real process: ${JSON.stringify(result)}`);
    cleanups.push(() => isAlive(result.pid!) && process.kill(result.pid!, 'SIGKILL'));
    assert.notEqual(result.cwd, machine.repo, 'a worktree of its own');
    assert.equal(readlinkSync(`/proc/${result.pid}/cwd`), result.cwd, 'the process runs in the worktree');
    assert.equal(execFileSync('git', ['branch', '--show-current'], { cwd: result.cwd, encoding: 'utf8' }).trim(), 'flotilla/builder');

    const row = await eventually('the row in the fleet', () => sup.fleet.list().find((a) => a.command === 'flotilla-agent://box/builder'));
    assert.equal(row.kind, 'remote');
    assert.equal(row.group, 'night');
    assert.deepEqual(row.budget, { usd: 2 });
    assert.match(row.name, /^builder \(.+\)$/);
    const ls = await serve.cli(['ls']);
    assert.match(ls.stdout, /^builder\trunning\tcustom\t/m, ls.stdout);

    const again = await connection.start({ name: 'builder', kind: 'custom', command: ['sleep', '1'], worktree: false });
    assert.deepEqual(again.ok ? again : again.error, "an agent named 'builder' is running already");
    assert.ok(isAlive(result.pid), 'the running agent is left alone');

    // Stopped from Flotilla (as from the tree): once Flotilla lets go of the ended agent (its scope's grace) it closes
    // the session, and the connection does not dial the ended run again (that brought it back as a live session).
    sup.fleet.apply(row.id, 'stopRequested', { statusReason: 'Stopped from Flotilla.' });
    await sup.adapter.control.stop(row.id, 'test');
    await eventually('the process gone', () => (isAlive(result.pid!) ? undefined : true));
    await eventually('the row stopped', () => (sup.fleet.get(row.id)?.status === 'stopped' ? true : undefined));
    await eventually('Flotilla let go of the session', () => (sup.adapter.isConnected(row.id) ? undefined : true), 15_000);
    const sessions = () => sup.log.lines.filter((l) => l.includes('connected from box/builder')).length;
    const seen = sessions();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(sup.adapter.isConnected(row.id), false, `not dialled again: ${sup.log.lines.slice(-6).join(' | ')}`);
    assert.equal(sessions(), seen);
    assert.equal(sup.fleet.get(row.id)!.status, 'stopped');

    // The name again, now that it ended: a new run with a row of its own; the stopped one stays stopped.
    const rerun = await connection.start({ name: 'builder', kind: 'custom', command: ['sleep', '600'], worktree: false });
    assert.ok(rerun.ok, JSON.stringify(rerun));
    cleanups.push(() => isAlive(rerun.pid!) && process.kill(rerun.pid!, 'SIGKILL'));
    await eventually('a new row, connected', () =>
      sup.fleet.list().find((a) => a.command === 'flotilla-agent://box/builder' && a.id !== row.id && sup.adapter.isConnected(a.id)),
    );
    assert.equal(sup.fleet.get(row.id)!.status, 'stopped');
  });

  it('a second run under an ended name gets a row of its own; the ended run is not brought back', async () => {
    const { sup, connection } = await connected();
    const rows = () => sup.fleet.list().filter((a) => a.command === 'flotilla-agent://box/twice');
    const first = await connection.start({ name: 'twice', kind: 'custom', command: ['sleep', '0.2'], worktree: false });
    assert.ok(first.ok, JSON.stringify(first));
    const ended = await eventually('the first run done', () => rows().find((a) => a.status === 'done'));
    const second = await connection.start({ name: 'twice', kind: 'custom', command: ['sleep', '600'], worktree: false });
    assert.ok(second.ok, JSON.stringify(second));
    cleanups.push(() => isAlive(second.pid!) && process.kill(second.pid!, 'SIGKILL'));
    const next = await eventually('a row for the second run, connected', () => rows().find((a) => a.id !== ended.id && sup.adapter.isConnected(a.id)));
    assert.notEqual(next.status, 'done');
    assert.equal(sup.fleet.get(ended.id)!.status, 'done', 'the first run stays done');
    assert.equal(rows().length, 2);
  });

  it('a start the runner never answers ends with a reason: no answer in time, or the connection dropped', async () => {
    // The runner's real endpoint without a start handler: requests go unanswered.
    const endpoint = await startRunnerEndpoint([]);
    cleanups.push(() => endpoint.dispose());
    const connection = new RunnerConnection({
      name: 'silent',
      url: endpoint.url,
      token: readFileSync(endpoint.tokenFile, 'utf8').trim(),
      accept: () => false,
      resolveAgent: () => undefined,
      log: memoryLogger(),
      initialDelayMs: 100,
      maxDelayMs: 500,
    });
    cleanups.push(() => connection.dispose());
    await eventually('connected', () => (connection.state.phase === 'connected' ? true : undefined));
    const late = await connection.start({ name: 'x', kind: 'custom', command: ['sleep', '1'], worktree: false }, 200);
    assert.deepEqual(late.ok ? late : late.error, "'silent' did not answer within 1 s");
    const waiting = connection.start({ name: 'y', kind: 'custom', command: ['sleep', '1'], worktree: false });
    connection.dropNow();
    const dropped = await waiting;
    assert.match(dropped.ok ? '' : dropped.error, /^the connection to 'silent' dropped before the runner answered/);
  });

  it('refuses with a clear reason: a command not installed, a worktree outside git, a bad name on either side, no connection', async () => {
    // serve runs in its state folder: not a git repository.
    const { serve, connection } = await connected();

    const missing = await connection.start({ name: 'ghost', kind: 'custom', command: ['no-such-program-flotilla'], worktree: false });
    assert.deepEqual(missing.ok ? missing : missing.error, "command not found: 'no-such-program-flotilla' is not on this runner's PATH");
    const notGit = await connection.start({ name: 'claudy', kind: 'claude-code', prompt: 'hello', worktree: true });
    assert.equal(notGit.ok, false);
    assert.match(notGit.ok ? '' : notGit.error, /git/i, 'says the folder is not a git repository');
    const ls = await serve.cli(['ls']);
    assert.equal(ls.stdout.trim(), 'no agents', 'nothing was started');

    // Checked before asking: the error names the field.
    const badName = await connection.start({ name: '-dash', kind: 'custom', command: ['sleep', '1'], worktree: false });
    assert.match(badName.ok ? '' : badName.error, /^start\.name: letters, digits/);
    const promptForCustom = await connection.start({ name: 'x', kind: 'custom', command: ['sleep', '1'], prompt: 'hi', worktree: false });
    assert.match(promptForCustom.ok ? '' : promptForCustom.error, /^start\.prompt: only for claude-code/);

    // The runner checks too, whatever a client sends.
    assert.deepEqual(await askRaw(serve, JSON.stringify({ type: 'start', request_id: 'r1', name: 'ok', kind: 'custom', worktree: false })), {
      type: 'start_result',
      request_id: 'r1',
      ok: false,
      error: 'start.command: required for a custom agent',
    });
    assert.deepEqual(await askRaw(serve, JSON.stringify({ type: 'start', request_id: 'r2', name: 'ok', kind: 'custom', command: ['sleep'], worktree: false, shell: true })), {
      type: 'start_result',
      request_id: 'r2',
      ok: false,
      error: 'start: Unrecognized key: "shell"',
    });
    const unknown = await askRaw(serve, JSON.stringify({ type: 'exec', request_id: 'r3' }));
    assert.equal(unknown.request_id, 'r3');
    assert.match(String(unknown.error), /^type: the runner accepts only 'start'/);
    assert.deepEqual(await askRaw(serve, '{not json'), { type: 'start_result', request_id: '', ok: false, error: 'start: not JSON' });

    connection.dispose();
    const closed = await connection.start({ name: 'late', kind: 'custom', command: ['sleep', '1'], worktree: false });
    assert.match(closed.ok ? '' : closed.error, /^'box' is not connected \(closed\)$/);
    assert.equal(existsSync(`${serve.stateDir}/agents/ghost`), false, 'the refused agent left nothing behind');
  });
});
