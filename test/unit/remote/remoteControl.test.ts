// A remote agent from registration to Stop, with the documented example client (docs/protocol/exampleClient.mjs)
// as a real process: registered but not connected it waits for its connection; connected it shows the statuses its
// frames report; message, pause, resume and stop through the adapter's AgentControl reach it as control frames.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { WAITING_FOR_CONNECTION } from '../../../src/adapters/remote/remoteAdapter';
import { RemoteNotConnectedError } from '../../../src/adapters/remote/remoteControl';
import { remoteConnectionDetails, reissueRemoteConnection } from '../../../src/adapters/remote/connectionDetails';
import type { ErrorFrame } from '../../../src/shared/protocol/error';
import { FrameEncodeError } from '../../../src/shared/protocol/parse';
import { agentWhen, startSupervisor, TestAgent } from './remoteKit';
import type { Supervisor } from './remoteKit';

const clientPath = resolve(__dirname, '..', '..', '..', 'docs', 'protocol', 'exampleClient.mjs');

describe('remote agent control, with the documented example client', () => {
  let sup: Supervisor;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    // A 3 s stall threshold asks the client for a heartbeat every second (the protocol's minimum).
    sup = await startSupervisor({ heartbeatTimeoutMs: 3_000 });
    sup.approvals.onDidAdd((request) => sup.approvals.decide(request.id, 'allow', 'user'));
  });

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    child = undefined;
    await sup.dispose();
  });

  const eventNamed = (name: string, message?: string) =>
    new Promise<void>((done) => {
      const check = () => sup.events.some((e) => e.event.name === name && (message === undefined || e.event.message === message));
      if (check()) return done();
      const timer = setInterval(() => {
        if (check()) {
          clearInterval(timer);
          done();
        }
      }, 10);
    });

  it('waits for its connection until the hello, then follows its frames; stop, pause, resume and message reach it', async () => {
    const { agent, token } = sup.addAgent('example');
    let snapshot = sup.fleet.get(agent.id)!;
    assert.equal(snapshot.status, 'starting');
    assert.equal(snapshot.waitingFor, 'connection', 'registered, never connected: waiting for connection');
    assert.equal(snapshot.statusReason, WAITING_FOR_CONNECTION);
    await assert.rejects(sup.adapter.control.pause!(agent.id, 'budget'), RemoteNotConnectedError);
    await sup.adapter.control.stop(agent.id, 'nothing to reach yet');
    assert.equal(sup.fleet.get(agent.id)!.status, 'starting', 'a stop that reaches nobody changes nothing by itself');

    child = spawn(process.execPath, [clientPath], {
      env: { ...process.env, ...envOf(remoteConnectionDetails(sup.bridgeUrl, agent.id, token).env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Its heartbeats say "working"; its approval is allowed by the test's human, then it reports the tool.
    snapshot = await agentWhen(sup.fleet, agent.id, (a) => a.status === 'working');
    assert.equal(snapshot.waitingFor, undefined);
    await sup.span((span) => span.kind === 'tool');
    assert.equal(sup.fleet.get(agent.id)!.usage.input, 1200);

    await sup.adapter.control.message!(agent.id, 'skip the e2e suite');
    await eventNamed('message received', 'skip the e2e suite');
    await assert.rejects(sup.adapter.control.message!(agent.id, ''), FrameEncodeError);

    await sup.adapter.control.pause!(agent.id, 'over budget');
    // Paused, the client's next heartbeat says idle: its turn is over.
    await agentWhen(sup.fleet, agent.id, (a) => a.status === 'idle');
    await sup.adapter.control.resume!(agent.id);
    await agentWhen(sup.fleet, agent.id, (a) => a.status === 'working');

    sup.fleet.apply(agent.id, 'stopRequested', { statusReason: 'Stopped from Flotilla.' });
    await sup.adapter.control.stop(agent.id, 'Stopped from Flotilla.');
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    assert.equal(exitCode, 0, stderr);
    assert.equal(stderr, '', 'the supervisor refused none of its frames');
    await eventNamed('stopping');
    const controls = sup.events.map((e) => e.event.name);
    assert.deepEqual(controls, ['message received', 'stopping'], 'it obeyed the message and the stop');
    snapshot = sup.fleet.get(agent.id)!;
    assert.equal(snapshot.status, 'stopped', 'the user stopped it; its goodbye does not make it disconnected');
    await assert.rejects(sup.adapter.control.resume!(agent.id), RemoteNotConnectedError);
  });

  it('shows disconnected with the reason when its connection drops', async () => {
    const { agent, token } = sup.addAgent('flaky');
    child = spawn(process.execPath, [clientPath], {
      env: { ...process.env, ...envOf(remoteConnectionDetails(sup.bridgeUrl, agent.id, token).env) },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    await agentWhen(sup.fleet, agent.id, (a) => a.status === 'working');
    child.kill('SIGKILL');
    // Killed: no close frame, so unreachable (it may come back) rather than disconnected.
    const gone = await agentWhen(sup.fleet, agent.id, (a) => a.status === 'unreachable');
    assert.match(gone.statusReason ?? '', /connection lost|closed/);
  });
});

describe('remote connection details', () => {
  it('builds the WebSocket URL and the environment lines from the bridge URL', () => {
    const d = remoteConnectionDetails('http://127.0.0.1:43117/', 'a-1', 'tok');
    assert.equal(d.url, 'ws://127.0.0.1:43117/v1/agents');
    assert.equal(d.env, 'FLOTILLA_URL=ws://127.0.0.1:43117/v1/agents\nFLOTILLA_AGENT_ID=a-1\nFLOTILLA_TOKEN=tok');
  });

  it('re-issues the details of a remote agent with a new token; the old one no longer says hello', async () => {
    const sup = await startSupervisor();
    try {
      const { agent, token } = sup.addAgent('lost-its-token');
      const deps = { bridgeUrl: sup.bridgeUrl, agent: (id: string) => sup.fleet.get(id), reissueToken: (id: string) => sup.fleet.reissueToken(id) };
      const details = reissueRemoteConnection(deps, agent.id)!;
      assert.notEqual(details.token, token);
      assert.equal(details.url, sup.url);
      assert.equal(sup.fleet.findByToken(token), undefined, 'the old token is gone');
      assert.equal(sup.fleet.findByToken(details.token)?.id, agent.id);
      const old = await TestAgent.connect(sup.url);
      old.send({ type: 'hello', v: 1, agent_id: agent.id, name: 'x', kind: 'remote', token, capabilities: [] });
      const refused = await old.next<ErrorFrame>((f) => f.type === 'error');
      assert.equal(refused.code, 'unauthorized');
      assert.equal((await old.closed).code, 1008);
      const { agent: fresh } = await TestAgent.hello(sup.url, agent.id, details.token);
      await fresh.close();
    } finally {
      await sup.dispose();
    }
  });

  it('re-issues a token only for a registered remote agent', () => {
    const issued: string[] = [];
    const deps = {
      bridgeUrl: 'http://127.0.0.1:1',
      agent: (id: string) => (id === 'r' ? { id, kind: 'remote' } : id === 'c' ? { id, kind: 'claude-code' } : undefined),
      reissueToken: (id: string) => {
        issued.push(id);
        return `new-${id}`;
      },
    };
    assert.equal(reissueRemoteConnection(deps, 'c'), undefined);
    assert.equal(reissueRemoteConnection(deps, 'nobody'), undefined);
    assert.equal(reissueRemoteConnection(deps, 'r')?.token, 'new-r');
    assert.deepEqual(issued, ['r'], 'no token is replaced for an agent that is not remote');
  });
});

function envOf(lines: string): Record<string, string> {
  return Object.fromEntries(lines.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
