// The example client of docs/protocol.md, run for real against a WebSocket server on 127.0.0.1 that plays the
// supervisor: every frame it sends must pass parseFrameText, and it must follow the documented lifecycle.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Frame, FrameDraft, SupervisorFrame } from '../../../src/shared/protocol/frames';
import { encodeFrame, parseFrameText } from '../../../src/shared/protocol/parse';

const clientPath = resolve(__dirname, '..', '..', '..', 'docs', 'protocol', 'exampleClient.mjs');

describe('protocol example client (docs/protocol/exampleClient.mjs)', () => {
  let server: WebSocketServer | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    if (server) await new Promise<void>((done) => server!.close(() => done()));
  });

  it('speaks valid frames through hello, welcome, approval, control and stop', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1/agents' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const received: Frame[] = [];
    const refused: string[] = [];
    const session = new Promise<number>((done) => {
      server!.on('connection', (socket) => {
        let seq = 0;
        const send = (frame: FrameDraft<SupervisorFrame>) => socket.send(encodeFrame({ ...frame, seq: seq++ } as Frame));
        socket.on('message', (data: Buffer) => {
          const result = parseFrameText(new Uint8Array(data), { from: 'agent' });
          if (!result.ok) {
            refused.push(result.error.message);
            return;
          }
          const frame = result.frame;
          received.push(frame);
          if (frame.type === 'hello') {
            send({
              type: 'welcome',
              v: 1,
              session_id: 'test-session',
              server_time: Date.now(),
              heartbeat_interval_ms: 60_000,
              capabilities: frame.capabilities,
              resumed: false,
            });
          }
          if (frame.type === 'approval_request') {
            send({ type: 'approval_decision', request_id: frame.request_id, decision: 'allow', decided_by: 'user' });
          }
          if (frame.type === 'span' && frame.kind === 'tool') {
            send({ type: 'control', action: 'message', text: 'good job' });
            send({ type: 'control', action: 'stop' });
          }
        });
        socket.on('close', (code) => done(code));
      });
    });

    child = spawn(process.execPath, [clientPath], {
      env: { ...process.env, FLOTILLA_URL: `ws://127.0.0.1:${port}/v1/agents`, FLOTILLA_TOKEN: 'secret', FLOTILLA_AGENT_ID: 'doc-agent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    assert.equal(exitCode, 0, stderr);
    const closeCode = await session;

    assert.deepEqual(refused, [], 'every frame the example sends is valid');
    assert.equal(closeCode, 1000);
    assert.deepEqual(
      received.map((f) => f.seq),
      received.map((_, i) => i),
      'seq starts at 0 and grows by 1',
    );
    const hello = received[0];
    assert.equal(hello?.type, 'hello');
    assert.equal(hello.type === 'hello' && hello.token, 'secret');
    assert.equal(hello.type === 'hello' && hello.agent_id, 'doc-agent');
    const types = received.map((f) => f.type);
    for (const type of ['heartbeat', 'span', 'approval_request', 'event', 'ack'] as const) assert.ok(types.includes(type), `sent a ${type}`);
    const acked = received.flatMap((f) => (f.type === 'ack' ? [f.ack_seq] : []));
    assert.deepEqual(acked, [0, 1, 2, 3], 'acked welcome, the decision and both controls');
    const message = received.find((f) => f.type === 'event' && f.name === 'message received');
    assert.equal(message?.type === 'event' && message.message, 'good job');
    const tool = received.find((f) => f.type === 'span' && f.kind === 'tool');
    assert.equal(tool?.type === 'span' && tool.status, 'ok');
  });
});
