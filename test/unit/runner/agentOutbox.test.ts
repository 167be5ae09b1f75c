// The runner's outbox against the real remote adapter over real sockets (the supervisor dials, the outbox speaks as
// the agent): a backlog made while nobody was connected arrives in order; connections killed mid-stream lose
// nothing (at-least-once: only frames sent but not yet acked come twice); the default pace stays under the
// supervisor's flood limit; the bound drops the oldest frames, never an approval request.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { AgentOutbox } from '../../../src/runner/agentOutbox';
import type { Supervisor } from '../remote/remoteKit';
import { startSupervisor } from '../remote/remoteKit';
import { eventually } from './runnerKit';

interface Rig {
  readonly sup: Supervisor;
  readonly outbox: AgentOutbox;
  readonly agentId: string;
  /** The supervisor dials the outbox's server; resolves when the session is connected. */
  connect(): Promise<WebSocket>;
  names(): string[];
  dispose(): Promise<void>;
}

async function rig(options: { fast: boolean; maxFrames?: number }): Promise<Rig> {
  const sup = await startSupervisor(options.fast ? { frameRate: { burst: 1_000_000, perSecond: 1_000_000, maxRefused: 1000 } } : {});
  const { agent } = sup.addAgent('outbox');
  const outbox = new AgentOutbox({
    identity: { name: 'outbox', host: 'test' },
    maxFrames: options.maxFrames ?? 100_000,
    log: () => undefined,
    onControl: () => undefined,
    ...(options.fast ? { pace: { burst: 1_000_000, perSecond: 1_000_000 } } : {}),
  });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => outbox.attach(ws, agent.id));
  const port = (wss.address() as AddressInfo).port;
  return {
    sup,
    outbox,
    agentId: agent.id,
    connect: async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      // Synchronously on open, as RunnerConnection does: the runner's hello may come in the same packet.
      await new Promise<void>((r) => ws.once('open', () => (assert.equal(sup.adapter.acceptDialed(ws, 'test', agent.id), true), r())));
      await eventually('connected', () => (sup.adapter.isConnected(agent.id) && outbox.connected ? true : undefined));
      return ws;
    },
    names: () => sup.events.filter((e) => e.agentId === agent.id && e.event.name.startsWith('n')).map((e) => e.event.name),
    dispose: async () => {
      outbox.close();
      wss.close();
      await sup.dispose();
    },
  };
}

const KILLS = 50;
const event = (i: number) => ({ type: 'event' as const, kind: 'log' as const, name: `n${i}`, ts: Date.now() });

describe('runner outbox (real sockets, real remote adapter)', function () {
  this.timeout(60_000);
  const rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.dispose();
  });

  it('a stream of 10 000 frames with the connection killed 50 times along the way: every frame arrives, in order', async () => {
    const r = await rig({ fast: true });
    rigs.push(r);
    const started = Date.now();
    let ws = await r.connect();
    let next = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // 200 frames, some of them in flight (sent, not yet acked) when the connection dies.
      for (let i = 0; i < 200; i++) r.outbox.push(event(next++));
      await new Promise((resolve) => setImmediate(resolve));
      ws.terminate();
      await eventually('the outbox saw the drop', () => (r.outbox.connected ? undefined : true));
      ws = await r.connect();
    }
    await eventually('everything acked', () => (r.outbox.backlog === 0 ? true : undefined), 30_000);
    const names = r.names();
    const firsts = new Set<string>();
    const order: number[] = [];
    for (const n of names) {
      if (firsts.has(n)) continue;
      firsts.add(n);
      order.push(Number(n.slice(1)));
    }
    assert.equal(firsts.size, 10_000, 'nothing lost');
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'first arrivals in order');
    const duplicates = names.length - firsts.size;
    console.log(`      ${names.length} frames received for 10 000 sent in ${Date.now() - started} ms; ${duplicates} resent after a kill (sent, not yet acked)`);
  });

  it('at the default pace a backlog larger than the flood burst is accepted without a single refusal', async () => {
    const r = await rig({ fast: false });
    rigs.push(r);
    for (let i = 0; i < 1100; i++) r.outbox.push(event(i));
    const started = Date.now();
    await r.connect();
    await eventually('everything acked', () => (r.outbox.backlog === 0 ? true : undefined), 30_000);
    assert.equal(new Set(r.names()).size, 1100);
    assert.equal(r.names().length, 1100, 'no duplicates without a drop');
    assert.equal(
      r.sup.log.lines.some((l) => /rate_limited/.test(l)),
      false,
    );
    console.log(`      1100-frame backlog delivered in ${Date.now() - started} ms`);
  });

  it('past its bound it drops the oldest frames but keeps an approval request, which is answered after the connect', async () => {
    const r = await rig({ fast: true, maxFrames: 100 });
    rigs.push(r);
    const abort = new AbortController();
    const decision = r.outbox.ask({ tool: 'Bash', input: { command: 'make deploy' }, summary: 'Bash: make deploy' }, abort.signal);
    for (let i = 0; i < 500; i++) r.outbox.push(event(i));
    assert.equal(r.outbox.backlog, 100);
    assert.equal(r.outbox.dropped, 401);
    await r.connect();
    const pending = await eventually('the approval in Flotilla', () => r.sup.approvals.pending().find((p) => p.agentId === r.agentId));
    assert.equal(r.sup.approvals.decide(pending.id, 'deny', 'user', 'not today').ok, true);
    const answer = await decision;
    assert.equal(answer?.decision, 'deny');
    assert.equal(answer?.reason, 'not today');
    await eventually('everything acked', () => (r.outbox.backlog === 0 ? true : undefined));
    assert.deepEqual(r.names(), Array.from({ length: 99 }, (_, i) => `n${401 + i}`));
  });

  it('a usage span sent again on a later connection (a resend) is counted once', async () => {
    const r = await rig({ fast: true });
    rigs.push(r);
    const span = { type: 'span' as const, span_id: 'req_1', kind: 'model' as const, name: 'model request', status: 'ok' as const, started_at: Date.now(), duration_ms: 0, model: 'claude-sonnet-4-5', tokens_in: 100, tokens_out: 10 };
    let ws = await r.connect();
    r.outbox.push(span);
    await eventually('acked', () => (r.outbox.backlog === 0 ? true : undefined));
    await eventually('counted', () => (r.sup.fleet.get(r.agentId)!.usage.input === 100 ? true : undefined));
    ws.terminate();
    await eventually('the outbox saw the drop', () => (r.outbox.connected ? undefined : true));
    ws = await r.connect();
    r.outbox.push(span);
    r.outbox.push(event(1));
    await eventually('acked again', () => (r.outbox.backlog === 0 && r.names().length === 1 ? true : undefined));
    assert.deepEqual(r.sup.fleet.get(r.agentId)!.usage, { input: 100, output: 10, cacheRead: 0, cacheWrite: 0 });
  });
});
