// Hostile clients against the agent socket (WebSocket on the bridge): upgrades with an Origin or a foreign Host,
// connections that never say hello filling the connection cap, a flooding agent, too many open approval requests,
// and absurdly nested frames. Each gets its documented answer; a legitimate agent goes on being served.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { ErrorFrame } from '../../../src/shared/protocol/error';
import { FRAME_EXAMPLES } from '../../../src/shared/protocol/examples';
import { MAX_JSON_DEPTH } from '../../../src/shared/protocol/limits';
import { HOOK_SAMPLES } from '../claudeCode/hookSamples';
import { TestAgent } from '../remote/remoteKit';
import type { HardenedBridge } from './bridgeKit';
import { post, rawConnection, startHardenedBridge } from './bridgeKit';

/** The HTTP status of a refused upgrade. */
function refusedUpgrade(url: string, options: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

const heartbeat = { type: 'heartbeat', elapsed_ms: 1 } as const;
const isError = (code: string) => (f: { type: string }) => f.type === 'error' && (f as ErrorFrame).code === code;

describe('bridge hardening (agent socket)', () => {
  let b: HardenedBridge;
  const agents: TestAgent[] = [];
  afterEach(async () => {
    for (const a of agents.splice(0)) a.ws.terminate();
    await b?.dispose();
  });

  const remoteAgent = () => b.fleet.create({ name: `remote-${agents.length}`, kind: 'remote', cwd: '/remote/work' });
  const hello = async () => {
    const { agent, token } = remoteAgent();
    const connected = await TestAgent.hello(b.wsUrl, agent.id, token);
    agents.push(connected.agent);
    return { agent: connected.agent, id: agent.id };
  };

  describe('upgrade', () => {
    beforeEach(async () => {
      b = await startHardenedBridge();
    });

    it('refuses an upgrade with any Origin (403)', async () => {
      assert.equal(await refusedUpgrade(b.wsUrl, { origin: 'https://evil.example' }), 403);
      assert.equal(await refusedUpgrade(b.wsUrl, { origin: `http://127.0.0.1:${b.port}` }), 403);
    });

    it('refuses an upgrade addressed to another Host (421)', async () => {
      assert.equal(await refusedUpgrade(b.wsUrl, { headers: { host: `evil.example:${b.port}` } }), 421);
    });

    it('accepts localhost:PORT and completes the handshake', async () => {
      const { agent, token } = remoteAgent();
      const connected = await TestAgent.hello(`ws://localhost:${b.port}/v1/agents`, agent.id, token);
      agents.push(connected.agent);
      assert.equal(connected.welcome.type, 'welcome');
    });
  });

  describe('connection cap', () => {
    it('evicts connections that never said hello, never an agent that did', async () => {
      b = await startHardenedBridge({ bridge: { maxConnections: 8 } });
      const { agent: remote } = await hello();
      const { token } = b.addAgent();
      const strangers = await Promise.all(Array.from({ length: 12 }, () => TestAgent.connect(b.wsUrl)));
      agents.push(...strangers);
      const raw = await Promise.all(Array.from({ length: 8 }, () => rawConnection(b.port)));
      // The hook of a Claude Code agent still gets a slot; the remote agent is still connected and served.
      assert.equal((await post(b.port, HOOK_SAMPLES.UserPromptSubmit, { token })).status, 200);
      const seq = remote.send(heartbeat);
      await remote.acked(seq);
      assert.equal(remote.ws.readyState, WebSocket.OPEN);
      assert.ok(b.bridge.connectionCounts.evicted >= 13, JSON.stringify(b.bridge.connectionCounts));
      await strangers[0]!.closed;
      for (const r of raw) r.socket.destroy();
    });
  });

  describe('flood control', () => {
    it('answers rate_limited to frames over the burst, naming them, and closes after too many in a row', async () => {
      b = await startHardenedBridge({ socket: { frameRate: { perSecond: 0.001, burst: 4, maxRefused: 3 } } });
      const { agent } = await hello();
      // The hello took one token of the burst; three heartbeats take the rest.
      const ok = [agent.send(heartbeat), agent.send(heartbeat), agent.send(heartbeat)];
      await agent.acked(ok[2]!);
      const over = agent.send(heartbeat);
      const refused = await agent.next<ErrorFrame>((f) => isError('rate_limited')(f) && (f as ErrorFrame).ref_seq === over);
      assert.match(refused.message, /^frame: over the rate limit \(4 frames at once, then 0\.001 per second\); not processed, send it again later$/);
      assert.equal(agent.ws.readyState, WebSocket.OPEN);
      agent.send(heartbeat);
      agent.send(heartbeat);
      const closed = await agent.closed;
      assert.deepEqual(closed, { code: 1008, reason: 'rate_limited' });
      assert.equal(agent.invalid.length, 0);
    });

    it('refuses an approval request past the open-request cap with rate_limited', async () => {
      b = await startHardenedBridge({ socket: { maxPendingApprovals: 2 } });
      const { agent } = await hello();
      const ask = (id: string) => agent.send({ ...FRAME_EXAMPLES.approval_request, request_id: id, seq: undefined } as never);
      ask('r1');
      ask('r2');
      const third = ask('r3');
      const refused = await agent.next<ErrorFrame>(isError('rate_limited'));
      assert.equal(refused.ref_seq, third);
      assert.equal(refused.field, 'approval_request');
      assert.match(refused.message, /^approval_request: 2 requests are already waiting for a decision/);
      assert.equal(b.approvals.pending().length, 2);
      // Once one is decided, the agent may ask again.
      b.approvals.decide(b.approvals.pending()[0]!.id, 'deny', 'user', 'no');
      await agent.next((f) => f.type === 'approval_decision');
      ask('r4');
      await new Promise<void>((resolve) => {
        const listener = b.approvals.onDidAdd(() => {
          listener.dispose();
          resolve();
        });
      });
      assert.equal(b.approvals.pending().length, 2);
    });
  });

  describe('frame shape limits', () => {
    it('refuses an approval input nested 20 000 levels deep with bad_frame naming the limit, and goes on', async () => {
      b = await startHardenedBridge();
      const { agent } = await hello();
      const seq = agent.nextSeq;
      const text = JSON.stringify({ ...FRAME_EXAMPLES.approval_request, seq, input: '@' }).replace('"@"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
      agent.sendRaw(text);
      const refused = await agent.next<ErrorFrame>(isError('bad_frame'));
      assert.equal(refused.message, `approval_request.input: nested deeper than ${MAX_JSON_DEPTH} levels`);
      assert.equal(refused.field, 'approval_request.input');
      assert.equal(b.approvals.pending().length, 0);
      const next = agent.send(heartbeat);
      await agent.acked(next);
    });
  });
});
