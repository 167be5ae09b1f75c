// The documented example agent (docs/protocol/exampleClient.mjs), run as a real process against the real
// supervisor endpoint: what the docs promise must work end to end.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { agentWhen, startSupervisor } from './remoteKit';
import type { Supervisor } from './remoteKit';

const clientPath = resolve(__dirname, '..', '..', '..', 'docs', 'protocol', 'exampleClient.mjs');

describe('agent socket with the documented example client', () => {
  let sup: Supervisor;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    await sup.dispose();
  });

  it('connects, reports usage, gets its approval, obeys message and stop', async () => {
    sup = await startSupervisor();
    const { agent, token } = sup.addAgent('example');
    sup.approvals.onDidAdd((request) => sup.approvals.decide(request.id, 'allow', 'user'));
    // Pushed the moment the agent counts as connected: it must still reach the agent after the welcome.
    sup.server.onDidChangeConnection((change) => {
      if (change.connected) sup.server.sendControl(agent.id, 'message', 'hello from the test');
    });

    child = spawn(process.execPath, [clientPath], {
      env: { ...process.env, FLOTILLA_URL: sup.url, FLOTILLA_TOKEN: token, FLOTILLA_AGENT_ID: agent.id },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The example sends a tool span once its approval is answered: then it is time to stop it.
    const tool = await sup.span((span) => span.kind === 'tool');
    assert.equal(tool.status, 'ok', 'the approval reached the agent as allow');
    assert.equal(sup.server.sendControl(agent.id, 'stop'), true);
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    assert.equal(exitCode, 0, stderr);
    assert.equal(stderr, '', 'the supervisor refused none of its frames');

    const snapshot = await agentWhen(sup.fleet, agent.id, (a) => a.status === 'disconnected');
    assert.equal(snapshot.statusReason, 'the agent closed the connection: stopped');
    assert.deepEqual(snapshot.usage, { input: 1200, output: 80, cacheRead: 0, cacheWrite: 0 });
    assert.equal(snapshot.costUsd, 0.002);
    const names = sup.events.map((e) => [e.event.name, e.event.message]);
    assert.deepEqual(names, [['message received', 'hello from the test'], ['stopping', undefined]]);
  });
});
