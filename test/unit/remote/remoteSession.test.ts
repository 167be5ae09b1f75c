// The agent socket on a real bridge with real ws clients: the handshake, refused frames, acks and seq rules,
// control frames, connection replacement and the frame size limit.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { RemoteConnectionChange } from '../../../src/adapters/remote/remoteSessions';
import { FrameEncodeError } from '../../../src/shared/protocol/parse';
import type { AckFrame } from '../../../src/shared/protocol/ack';
import type { ControlFrame } from '../../../src/shared/protocol/control';
import type { ErrorFrame } from '../../../src/shared/protocol/error';
import { MAX_FRAME_BYTES } from '../../../src/shared/protocol/limits';
import { agentWhen, connectionChange, startSupervisor, TestAgent } from './remoteKit';
import type { Supervisor } from './remoteKit';

const isError = (f: { type: string }): boolean => f.type === 'error';

describe('agent socket server', () => {
  let sup: Supervisor;
  const agents: TestAgent[] = [];
  const track = (agent: TestAgent): TestAgent => (agents.push(agent), agent);

  beforeEach(async () => {
    sup = await startSupervisor();
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
    await sup.dispose();
  });

  describe('handshake', () => {
    it('welcomes an agent with its token, marks it idle and connected, and acks the hello', async () => {
      const { agent: remote, token } = sup.addAgent('builder');
      sup.fleet.update(remote.id, { statusReason: 'left over from an earlier run' });
      const changes: RemoteConnectionChange[] = [];
      sup.server.onDidChangeConnection((c) => {
        changes.push(c);
        // Pushing at once must not overtake the welcome (TestAgent.hello checks the first frame is the welcome).
        sup.server.sendControl(c.agentId, 'pause');
      });

      const { agent, welcome } = await TestAgent.hello(sup.url, remote.id, token, { capabilities: ['heartbeats', 'teleport'] });
      track(agent);

      assert.equal(welcome.type, 'welcome');
      assert.equal(welcome.seq, 0);
      assert.ok(welcome.type === 'welcome' && welcome.session_id.startsWith('s_'));
      assert.deepEqual(welcome.type === 'welcome' && welcome.capabilities, ['heartbeats'], 'unknown capabilities are not echoed');
      assert.equal(welcome.type === 'welcome' && welcome.resumed, false);
      assert.equal((await agent.next((f) => f.type === 'control')).seq, 1);
      const ack = await agent.acked(0);
      assert.equal(ack.seq, 2);
      const snapshot = sup.fleet.get(remote.id)!;
      assert.equal(snapshot.status, 'idle');
      assert.equal(snapshot.statusReason, undefined);
      assert.equal(sup.server.isConnected(remote.id), true);
      assert.deepEqual(sup.server.connectedAgentIds(), [remote.id]);
      assert.deepEqual(changes, [{ agentId: remote.id, connected: true }]);
      assert.deepEqual(agent.invalid, []);
    });

    it('refuses a wrong token with unauthorized and closes with a policy violation', async () => {
      const { agent: remote } = sup.addAgent();
      const agent = track(await TestAgent.connect(sup.url));
      agent.send({ type: 'hello', v: 1, agent_id: remote.id, name: 'x', kind: 'remote', token: 'not-the-token', capabilities: [] });

      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'unauthorized');
      assert.equal(error.field, 'hello.token');
      assert.equal(error.ref_seq, 0);
      assert.equal((await agent.closed).code, 1008);
      assert.equal(sup.fleet.get(remote.id)!.status, 'starting', 'the agent is untouched');
      assert.equal(sup.server.isConnected(remote.id), false);
    });

    it("refuses another agent's token", async () => {
      const { agent: victim } = sup.addAgent();
      const { token: otherToken } = sup.addAgent();
      const agent = track(await TestAgent.connect(sup.url));
      agent.send({ type: 'hello', v: 1, agent_id: victim.id, name: 'x', kind: 'remote', token: otherToken, capabilities: [] });

      assert.equal((await agent.next<ErrorFrame>(isError)).code, 'unauthorized');
      assert.equal((await agent.closed).code, 1008);
    });

    it('refuses an unsupported version, listing the supported ones, and closes', async () => {
      const { agent: remote, token } = sup.addAgent();
      const agent = track(await TestAgent.connect(sup.url));
      agent.send({ type: 'hello', v: 2, agent_id: remote.id, name: 'x', kind: 'remote', token, capabilities: [] });

      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'unsupported_version');
      assert.deepEqual(error.supported_versions, [1]);
      assert.equal(error.field, 'hello.v');
      assert.equal((await agent.closed).code, 1002);
      assert.equal(sup.fleet.get(remote.id)!.status, 'starting');
    });

    it('refuses any frame before the hello with not_ready and closes', async () => {
      const agent = track(await TestAgent.connect(sup.url));
      agent.send({ type: 'heartbeat', elapsed_ms: 1 });

      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'not_ready');
      assert.equal(error.ref_seq, 0);
      assert.equal((await agent.closed).code, 1008);
    });

    it('answers a malformed hello with bad_frame and still accepts a corrected one', async () => {
      const { agent: remote, token } = sup.addAgent();
      const agent = track(await TestAgent.connect(sup.url));
      agent.send({ type: 'hello', v: 1, agent_id: remote.id, name: '', kind: 'remote', token, capabilities: [] });
      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'bad_frame');
      assert.equal(error.field, 'hello.name');

      agent.send({ type: 'hello', v: 1, agent_id: remote.id, name: 'fixed', kind: 'remote', token, capabilities: [] });
      const welcome = await agent.next((f) => f.type === 'welcome');
      assert.equal(welcome.seq, 1, 'the error used seq 0');
      await agentWhen(sup.fleet, remote.id, (a) => a.status === 'idle');
    });

    it('closes a connection that never says hello', async () => {
      await sup.dispose();
      sup = await startSupervisor({ helloTimeoutMs: 50 });
      const agent = track(await TestAgent.connect(sup.url));

      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'not_ready');
      assert.match(error.message, /no hello/);
      assert.equal((await agent.closed).code, 1008);
    });

    it('answers other upgrade paths with 404', async () => {
      const ws = new WebSocket(sup.url.replace('/v1/agents', '/v2/agents'));
      const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
      assert.equal(response.statusCode, 404);
      ws.on('error', () => undefined);
      ws.terminate();
    });
  });

  describe('frames', () => {
    let agent: TestAgent;
    let agentId: string;
    let token: string;

    beforeEach(async () => {
      const added = sup.addAgent();
      agentId = added.agent.id;
      token = added.token;
      agent = track((await TestAgent.hello(sup.url, agentId, token)).agent);
    });

    it('names the bad field of a refused frame and keeps the connection usable', async () => {
      const bad = agent.send({ type: 'heartbeat', elapsed_ms: 5, step: { k: 'three' } });
      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.code, 'bad_frame');
      assert.equal(error.field, 'heartbeat.step.k');
      assert.equal(error.ref_seq, bad);
      assert.match(error.message, /^heartbeat\.step\.k: /);

      const notJsonFrame = agent.upcoming<ErrorFrame>(isError);
      agent.sendRaw('{not json');
      const notJson = await notJsonFrame;
      assert.equal(notJson.code, 'bad_frame');
      assert.equal(notJson.ref_seq, undefined);

      const good = agent.send({ type: 'heartbeat', elapsed_ms: 6, step: { k: 3, n: 4, label: 'fixing' }, status: 'working' });
      await agent.acked(good);
      await agentWhen(sup.fleet, agentId, (a) => a.status === 'working');
      assert.equal(agent.ws.readyState, WebSocket.OPEN);
    });

    it('refuses frame types only the supervisor sends, and unknown types, without closing', async () => {
      const seq = agent.send({ type: 'control', action: 'pause' });
      const error = await agent.next<ErrorFrame>((f) => isError(f) && (f as ErrorFrame).ref_seq === seq);
      assert.equal(error.code, 'bad_frame');
      assert.equal(error.field, 'type');

      const unknown = agent.send({ type: 'teleport' });
      const unknownError = await agent.next<ErrorFrame>((f) => isError(f) && (f as ErrorFrame).ref_seq === unknown);
      assert.equal(unknownError.code, 'unknown_frame_type');
      await agent.acked(unknown);
      assert.equal(agent.ws.readyState, WebSocket.OPEN);
    });

    it('acks a repeated seq without processing it again, and reports it out of order', async () => {
      const span = { type: 'span', kind: 'model', name: 'turn', status: 'ok', duration_ms: 1, model: 'm1', tokens_in: 10, cost_usd: 0.01 };
      const seq = agent.send({ ...span, span_id: 'a' });
      await agent.acked(seq);
      const errorFrame = agent.upcoming<ErrorFrame>(isError);
      const ackFrame = agent.upcoming<AckFrame>((f) => f.type === 'ack');
      agent.ws.send(JSON.stringify({ ...span, span_id: 'b', seq }));

      const error = await errorFrame;
      assert.equal(error.code, 'out_of_order');
      assert.equal(error.ref_seq, seq);
      assert.equal((await ackFrame).ack_seq, seq);
      assert.equal(sup.fleet.get(agentId)!.usage.input, 10, 'the repeat was not counted');
      assert.deepEqual(sup.spans.map((s) => s.span.span_id), ['a']);
    });

    it("refuses a frame for an agent that did not say hello on this connection", async () => {
      const seq = agent.send({ type: 'heartbeat', agent_id: 'someone-else', elapsed_ms: 1, status: 'failed' });
      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.field, 'heartbeat.agent_id');
      assert.equal(error.ref_seq, seq);
      await agent.acked(seq);
      assert.equal(sup.fleet.get(agentId)!.status, 'idle');
    });

    it('refuses a second hello; one with an unsupported version is fatal even now', async () => {
      const again = agent.send({ type: 'hello', v: 1, agent_id: agentId, name: 'x', kind: 'remote', token, capabilities: [] });
      const error = await agent.next<ErrorFrame>((f) => isError(f) && (f as ErrorFrame).ref_seq === again);
      assert.equal(error.code, 'bad_frame');
      assert.equal(agent.ws.readyState, WebSocket.OPEN);

      agent.send({ type: 'hello', v: 7, agent_id: agentId, name: 'x', kind: 'remote', token, capabilities: [] });
      assert.equal((await agent.next<ErrorFrame>((f) => isError(f) && (f as ErrorFrame).code === 'unsupported_version')).field, 'hello.v');
      assert.equal((await agent.closed).code, 1002);
    });

    it('closes the connection of an agent removed from the fleet', async () => {
      sup.fleet.remove(agentId);
      const closed = await agent.closed;
      assert.equal(closed.code, 1008);
      assert.equal(closed.reason, 'agent removed from the fleet');
      assert.equal(sup.server.isConnected(agentId), false);
    });

    it('refuses an ack of a seq the supervisor never sent', async () => {
      const seq = agent.send({ type: 'ack', ack_seq: 99 });
      const error = await agent.next<ErrorFrame>(isError);
      assert.equal(error.field, 'ack.ack_seq');
      assert.equal(error.ref_seq, seq);
    });

    it('pushes control frames to a connected agent and reports when it is not connected', async () => {
      assert.equal(sup.server.sendControl(agentId, 'pause'), true);
      assert.equal(sup.server.sendControl(agentId, 'message', 'skip the e2e suite'), true);
      const pause = await agent.next<ControlFrame>((f) => f.type === 'control');
      const message = await agent.next<ControlFrame>((f) => f.type === 'control' && f.action === 'message');
      assert.equal(pause.action, 'pause');
      assert.equal(message.text, 'skip the e2e suite');
      assert.ok(message.seq > pause.seq);
      assert.throws(() => sup.server.sendControl(agentId, 'message'), FrameEncodeError);
      assert.equal(sup.server.sendControl('no-such-agent', 'stop'), false);

      await agent.close(1000, 'stopped');
      await agentWhen(sup.fleet, agentId, (a) => a.status === 'disconnected');
      assert.equal(sup.server.sendControl(agentId, 'resume'), false);
    });

    it('reports a closed connection to the fleet with its reason', async () => {
      await agent.close(1000, 'finished for today');
      const snapshot = await agentWhen(sup.fleet, agentId, (a) => a.status === 'disconnected');
      assert.equal(snapshot.statusReason, 'the agent closed the connection: finished for today');
      assert.equal(sup.server.isConnected(agentId), false);
    });

    it('leaves an agent that reported it is done as done when it disconnects', async () => {
      const seq = agent.send({ type: 'heartbeat', elapsed_ms: 9, status: 'done' });
      await agent.acked(seq);
      assert.equal(sup.fleet.get(agentId)!.status, 'done');
      const gone = connectionChange(sup, agentId, false);
      assert.equal((await agent.close()).code, 1000);
      await gone;
      assert.equal(sup.fleet.get(agentId)!.status, 'done');
    });

    it('lets a newer connection of the same agent replace the older one', async () => {
      const { agent: second } = await TestAgent.hello(sup.url, agentId, token);
      track(second);
      const closed = await agent.closed;
      assert.equal(closed.code, 4000);
      const snapshot = await agentWhen(sup.fleet, agentId, (a) => a.status === 'idle');
      assert.equal(snapshot.statusReason, undefined);
      assert.equal(sup.server.isConnected(agentId), true);
      assert.equal(sup.server.sendControl(agentId, 'pause'), true);
      await second.next((f) => f.type === 'control');
    });

    it('on dispose closes connections as going away and marks their agents disconnected at once', async () => {
      const seq = agent.send({ type: 'approval_request', request_id: 'r', tool: 'Bash', input: { command: 'make' } });
      await agent.acked(seq);
      sup.server.dispose();
      const snapshot = sup.fleet.get(agentId)!;
      assert.equal(snapshot.status, 'disconnected');
      assert.equal(snapshot.statusReason, 'connection closed by Flotilla: Flotilla is shutting down');
      assert.equal(sup.approvals.pending().length, 0, 'its request went stale');
      assert.equal((await agent.closed).code, 1001);
      assert.equal(sup.server.sendControl(agentId, 'stop'), false);
    });

    it('closes the connection on a frame over the size limit and says why', async () => {
      agent.sendRaw(JSON.stringify({ type: 'event', seq: 1, kind: 'log', name: 'big', ts: 1, message: 'x'.repeat(MAX_FRAME_BYTES) }));
      const closed = await agent.closed;
      assert.equal(closed.code, 1009);
      const snapshot = await agentWhen(sup.fleet, agentId, (a) => a.status === 'disconnected');
      assert.match(snapshot.statusReason ?? '', /larger than 262144 bytes/);
    });
  });
});
