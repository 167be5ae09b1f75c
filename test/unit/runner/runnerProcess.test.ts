// The runner as a real process (dist/runner.js bundled into a temp folder, plain Node, nothing installed beside it),
// dialled by the extension's connection code (RunnerConnection) into a real remote adapter and fleet: agents appear,
// Stop ends their process, and what the runner produced while nobody was connected arrives after the reconnect.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { RunnerConnection } from '../../../src/adapters/remote/runnerConnection';
import type { RunnerConnectionState } from '../../../src/adapters/remote/runnerConnection';
import { runnerFleetAgent } from '../../../src/adapters/remote/runnerFleetAgents';
import { systemClock } from '../../../src/core/clock';
import { UnreachableWatch } from '../../../src/core/fleet/unreachableWatch';
import type { Supervisor } from '../remote/remoteKit';
import { startSupervisor } from '../remote/remoteKit';
import { dial, eventually, startServe, useRunnerBundle } from './runnerKit';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const rowOf = (sup: Supervisor, runnerName: string) => sup.fleet.list().find((a) => a.command === `flotilla-agent://box/${runnerName}`);

describe('flotilla-agent runner (real process)', function () {
  this.timeout(60_000);
  const runner = useRunnerBundle();
  const cleanups = runner.cleanups;

  it('runs from a temp folder on plain Node: a 0600 token it never prints, run / ls / stop with pipes when node-pty is absent', async () => {
    const serve = await startServe({ script: runner.script });
    cleanups.push(() => serve.stop());
    assert.equal(statSync(join(serve.stateDir, 'token')).mode & 0o777, 0o600);
    assert.equal(serve.token.length >= 43, true, 'a 256-bit token in base64url');
    assert.match(serve.output(), /To connect from VS Code/);
    assert.match(serve.output(), /pipes, node-pty is not available/);
    const run = await serve.cli(['run', '--name', 'sleeper', '--', 'sleep', '600']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /started sleeper \(pid \d+, pipes\)/);
    const pid = Number(/pid (\d+)/.exec(run.stdout)![1]);
    assert.equal(isAlive(pid), true);
    const again = await serve.cli(['run', '--name', 'sleeper', '--', 'sleep', '1']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /running already/);
    assert.match((await serve.cli(['ls'])).stdout, /^sleeper\trunning\tcustom/m);
    assert.equal((await serve.cli(['stop', 'sleeper'])).code, 0);
    await eventually('the sleeper to end', () => (isAlive(pid) ? undefined : true));
    await eventually('ls to show it ended', async () => (/^sleeper\tended/m.test((await serve.cli(['ls'])).stdout) ? true : undefined));
    assert.equal((await serve.cli(['stop', 'nobody'])).code, 1);
    assert.doesNotMatch(serve.output(), new RegExp(serve.token));
  });

  it('refuses a wrong token, a browser Origin and a missing agent id; the token is checked before anything else', async () => {
    const serve = await startServe({ script: runner.script });
    cleanups.push(() => serve.stop());
    const status = (path: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolveStatus) => {
        const ws = new WebSocket(`${serve.url}${path}`, { headers });
        ws.on('unexpected-response', (_req, res) => resolveStatus(res.statusCode ?? 0));
        ws.on('open', () => {
          resolveStatus(101);
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    assert.equal(await status('/v1/runner', { authorization: 'Bearer wrong' }), 401);
    assert.equal(await status('/v1/runner', {}), 401);
    assert.equal(await status('/v1/runner', { authorization: `Bearer ${serve.token}`, origin: 'https://evil.example' }), 403);
    assert.equal(await status('/v1/agents/nobody', { authorization: `Bearer ${serve.token}`, 'x-flotilla-agent-id': 'a1' }), 404);
    assert.equal(await status('/v1/agents/nobody', { authorization: `Bearer ${serve.token}` }), 400);
    assert.equal(await status('/v1/runner', { authorization: `Bearer ${serve.token}` }), 101);
    // Flotilla's side says so, and backs off fully (a wrong token will not fix itself).
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const wrong = dial(sup, serve, 'x'.repeat(43));
    cleanups.push(() => wrong.dispose());
    const state = await eventually('unauthorized', () => (wrong.state.phase === 'unauthorized' ? wrong.state : undefined));
    assert.ok(state.nextAttemptAt - Date.now() >= 200, 'a full backoff');
    for (let i = 0; i < 12; i++) await status('/v1/runner', { authorization: 'Bearer guess' });
    // Ten failures in a minute: this address is refused even with the right token for a while.
    assert.equal(await status('/v1/runner', { authorization: `Bearer ${serve.token}` }), 429);
  });

  it('dialled by Flotilla: the agent appears in the fleet, Stop ends its process, frames made while disconnected arrive after the reconnect', async () => {
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const serve = await startServe({ script: runner.script, withPty: true });
    cleanups.push(() => serve.stop());
    assert.match(serve.output(), /agents: pseudo-terminals/);
    const connection = dial(sup, serve);
    cleanups.push(() => connection.dispose());
    await eventually('connected', () => (connection.state.phase === 'connected' ? true : undefined));

    const run = await serve.cli(['run', '--name', 'sleeper', '--group', 'night', '--budget', 'usd=2', '--', 'sleep', '600']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /pty/);
    const pid = Number(/pid (\d+)/.exec(run.stdout)![1]);
    const row = await eventually('the fleet row, working', () => {
      const r = rowOf(sup, 'sleeper');
      return r?.status === 'working' ? r : undefined;
    });
    assert.equal(row.kind, 'remote');
    assert.equal(row.group, 'night');
    assert.deepEqual(row.budget, { usd: 2 });
    assert.equal(sup.adapter.isConnected(row.id), true);

    // Nobody connected: what happens on the runner is kept for later.
    const states: RunnerConnectionState['phase'][] = [];
    connection.onDidChangeState((s) => states.push(s.phase));
    connection.dropNow();
    await eventually('the row unreachable (the connection broke without a close frame)', () => (sup.fleet.get(row.id)?.status === 'unreachable' ? true : undefined));
    const quick = await serve.cli(['run', '--name', 'quick', '--', 'sh', '-c', 'exit 3']);
    assert.equal(quick.code, 0, quick.stderr);
    const failed = await eventually('the quick agent, failed with its exit, after the reconnect', () => {
      const r = rowOf(sup, 'quick');
      return r && (r.status === 'failed' || r.status === 'done' || r.status === 'stopped') ? r : undefined;
    });
    assert.ok(states.includes('reconnecting'), states.join(','));
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    assert.match(failed.statusReason ?? '', /exited with code 3/);
    await eventually('the sleeper connected again', () => (sup.adapter.isConnected(row.id) ? true : undefined));
    assert.equal(rowOf(sup, 'sleeper')?.id, row.id, 'the same row after the reconnect');

    // Pause, Resume and Message from the tree reach the runner's agent: its process is stopped and continued.
    const state = (): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!;
    await sup.adapter.control.pause(row.id, 'test');
    await eventually('the process stopped (T)', () => (state() === 'T' ? true : undefined));
    await sup.adapter.control.resume(row.id);
    await eventually('the process running again', () => (state() !== 'T' ? true : undefined));
    await sup.adapter.control.message(row.id, 'hello from Flotilla');
    await eventually('the runner heard of it', () => (sup.events.some((e) => e.agentId === row.id && e.event.name === 'resumed') ? true : undefined));

    // Stop from the tree: a control frame to the runner, which ends the agent's process.
    sup.fleet.apply(row.id, 'stopRequested', { statusReason: 'Stopped from Flotilla.' });
    await sup.adapter.control.stop(row.id, 'test');
    await eventually('the sleeper process to end', () => (isAlive(pid) ? undefined : true));
    await eventually('the row stopped', () => (sup.fleet.get(row.id)?.status === 'stopped' ? true : undefined));
    assert.match((await serve.cli(['ls'])).stdout, /^sleeper\tended/m);
  });

  it('listens beyond loopback only with TLS; over wss Flotilla connects when it trusts the certificate, and not otherwise', async () => {
    const refused = spawnSync(process.execPath, [runner.script, 'serve', '--state-dir', mkdtempSync(join(tmpdir(), 'flotilla-runner-state-')), '--listen', '0.0.0.0:0'], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /beyond loopback only with TLS/);

    const certDir = mkdtempSync(join(tmpdir(), 'flotilla-runner-tls-'));
    cleanups.push(() => rmSync(certDir, { recursive: true, force: true }));
    const cert = join(certDir, 'cert.pem');
    const key = join(certDir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const serve = await startServe({ script: runner.script, extraArgs: ['--tls-cert', cert, '--tls-key', key] });
    cleanups.push(() => serve.stop());
    assert.match(serve.url, /^wss:/);
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const untrusted = dial(sup, serve);
    cleanups.push(() => untrusted.dispose());
    const trusted = new RunnerConnection({
      name: 'tls',
      url: serve.url,
      token: serve.token,
      ca: readFileSync(cert, 'utf8'),
      accept: (socket, remote, id) => sup.adapter.acceptDialed(socket, remote, id),
      resolveAgent: (connection, agent, host) => runnerFleetAgent(sup.fleet, connection, agent, host),
      log: sup.log,
      initialDelayMs: 100,
    });
    cleanups.push(() => trusted.dispose());
    await eventually('connected over wss', () => (trusted.state.phase === 'connected' ? true : undefined));
    const state = await eventually('the untrusted one refused', () => (untrusted.state.phase === 'reconnecting' ? untrusted.state : undefined));
    assert.match(state.reason, /self[- ]signed|certificate/i);
  });

  it('the runner SIGKILLed: its agent shows unreachable, then failed once its grace is over', async () => {
    const sup = await startSupervisor();
    cleanups.push(() => sup.dispose());
    const watch = new UnreachableWatch({ fleet: sup.fleet, clock: systemClock, graceMs: () => 1500, log: sup.log });
    cleanups.push(() => watch.dispose());
    const serve = await startServe({ script: runner.script });
    cleanups.push(() => serve.stop());
    const run = await serve.cli(['run', '--name', 'sleeper', '--', 'sleep', '600']);
    assert.equal(run.code, 0, run.stderr);
    // The runner is SIGKILLed below and cannot end its agent: the test ends the process it made start.
    const pid = Number(/pid (\d+)/.exec(run.stdout)![1]);
    cleanups.push(() => {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    const connection = dial(sup, serve);
    cleanups.push(() => connection.dispose());
    const row = await eventually('the fleet row, working', () => {
      const r = rowOf(sup, 'sleeper');
      return r?.status === 'working' ? r : undefined;
    });
    const statuses: string[] = [];
    sup.fleet.onDidChangeAgent((a) => a.id === row.id && statuses.at(-1) !== a.status && statuses.push(a.status));
    serve.child.kill('SIGKILL');
    const unreachable = await eventually('unreachable', () => {
      const r = sup.fleet.get(row.id);
      return r?.status === 'unreachable' ? r : undefined;
    });
    assert.match(unreachable.statusReason ?? '', /connection lost/);
    const failed = await eventually('failed after the grace', () => {
      const r = sup.fleet.get(row.id);
      return r?.status === 'failed' ? r : undefined;
    });
    assert.match(failed.statusReason ?? '', /^unreachable for 1\.5 s \(connection lost/);
    assert.deepEqual(statuses, ['unreachable', 'failed'], 'unreachable first, never disconnected');
    assert.equal(connection.state.phase, 'reconnecting');
  });
});
