// A remote agent in the real workbench: registered with Connect Remote Agent but never connected, its row says it
// waits for its connection (the row's short word, "waiting for connection" in its tooltip); the example client of
// docs/protocol.md connects with the details from the clipboard and the row follows its frames; Stop from the row's
// context menu reaches the client as a `control: stop` frame.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { e2eSession } from '../harness/e2eSession';
import { agentRow, stopFromTree } from './agentSteps';
import { connectRemoteAgent } from './remoteSteps';
import { rowWord } from './rowWords';

const root = resolve(__dirname, '..', '..');
const CLIENT = resolve(root, 'docs', 'protocol', 'exampleClient.mjs');
const RECORDER = resolve(__dirname, 'recordFrames.cjs');

interface SupervisorFrame {
  type: string;
  action?: string;
}

describe('A remote agent in the Agents view', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    child = undefined;
  });

  it('waits for its connection, follows the example client once it connects, and Stop sends it control: stop', async () => {
    const { workbench } = e2eSession();
    await workbench.openViewContainer('Flotilla');
    const details = await connectRemoteAgent(workbench.page, 'far-away');
    // The row's own words ("not connected yet"; the tooltip's "waiting for connection" needs a hover, which other
    // notifications and hovers of a shared workbench can take away).
    await agentRow('far-away', rowWord('awaiting-connection')).waitFor({ state: 'visible' });
    await workbench.screenshot('remote-waiting.png');

    // The documented client, as a runner would start it, with the details the user was given.
    child = spawn(process.execPath, ['--require', RECORDER, CLIENT], {
      cwd: root,
      env: { ...process.env, ...details.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const frames: SupervisorFrame[] = [];
    let stderr = '';
    let pending = '';
    let onFrame = (): void => undefined;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith('frame ')) frames.push(JSON.parse(line.slice('frame '.length)) as SupervisorFrame);
      onFrame();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const stopFrame = new Promise<SupervisorFrame>((done) => {
      onFrame = () => {
        const stop = frames.find((f) => f.type === 'control' && f.action === 'stop');
        if (stop) done(stop);
      };
    });

    // Its heartbeat says working, then it asks to run `npm test` (the policy may let it through): the protocol's states.
    await agentRow('far-away', new RegExp(`${rowWord('working')}|${rowWord('needs-approval')}`)).waitFor({ state: 'visible' });
    assert.ok(frames.some((f) => f.type === 'welcome'), `the client was welcomed: ${JSON.stringify(frames)}`);
    assert.equal(await agentRow('far-away', rowWord('awaiting-connection')).count(), 0, 'the row no longer waits for its connection');
    await workbench.screenshot('remote-connected.png');

    await stopFromTree('far-away');
    assert.deepEqual(await stopFrame, { ...(await stopFrame), type: 'control', action: 'stop' });
    const [code, signal] = await exited;
    assert.equal(code, 0, `the example client exited cleanly after control: stop (signal ${signal}): ${stderr}`);
  });
});
