// A resumed session, both ways (docs/protocol.md, Reconnecting), with the real runner outbox, real sockets and a real
// SQLite journal: an approval the runner asks again after a reconnect is journaled once; a decision or a control frame
// the supervisor sent while the connection died is sent again after the resume, and the approval is not asked of a
// human twice. Between the two sits a relay that can swallow the supervisor's frames, the way a dying link does.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { PendingApproval } from '../../../src/shared/approval';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { AgentOutbox } from '../../../src/runner/agentOutbox';
import { newFleet } from '../core/fleetKit';
import { eventually } from '../runner/runnerKit';
import { startRemoteCore } from './remoteKit';
import type { RemoteCore } from './remoteKit';

/** Runner-side server; each supervisor connection is relayed to it, and `swallow` drops what the supervisor sends. */
class Relay {
  swallow = false;
  private readonly links = new Set<{ a: WebSocket; b: WebSocket }>();
  private constructor(
    readonly runner: WebSocketServer,
    readonly front: WebSocketServer,
  ) {}

  static async start(attach: (ws: WebSocket) => void): Promise<Relay> {
    const runner = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const front = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await Promise.all([new Promise((r) => runner.once('listening', r)), new Promise((r) => front.once('listening', r))]);
    runner.on('connection', attach);
    const relay = new Relay(runner, front);
    front.on('connection', (fromSupervisor) => {
      const toRunner = new WebSocket(`ws://127.0.0.1:${(runner.address() as AddressInfo).port}`);
      const link = { a: fromSupervisor, b: toRunner };
      relay.links.add(link);
      const early: Buffer[] = [];
      toRunner.on('open', () => early.splice(0).forEach((m) => toRunner.send(m)));
      fromSupervisor.on('message', (m: Buffer) => {
        if (relay.swallow) return;
        if (toRunner.readyState === WebSocket.OPEN) toRunner.send(m);
        else early.push(m);
      });
      toRunner.on('message', (m: Buffer) => fromSupervisor.readyState === WebSocket.OPEN && fromSupervisor.send(m));
      const cut = (): void => (fromSupervisor.terminate(), toRunner.terminate(), void relay.links.delete(link));
      fromSupervisor.on('close', cut);
      toRunner.on('close', cut);
    });
    return relay;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.front.address() as AddressInfo).port}`;
  }

  /** The link dies without a close frame, both ways. */
  cut(): void {
    for (const { a, b } of this.links) {
      a.terminate();
      b.terminate();
    }
    this.links.clear();
  }

  close(): void {
    this.cut();
    this.runner.close();
    this.front.close();
  }
}

describe('remote: a resumed session, both ways', () => {
  let dir: string;
  let store: FleetStore;
  let approvals: ApprovalQueue;
  let core: RemoteCore;
  let outbox: AgentOutbox;
  let relay: Relay;
  let agentId: string;
  let fleetDispose: () => void;
  let restart: () => void;
  const controls: string[] = [];
  const asked: PendingApproval[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-resume-'));
    store = openStore(join(dir, 'flotilla.db')).store;
    const { fleet, log } = newFleet();
    fleetDispose = () => fleet.dispose();
    approvals = new ApprovalQueue(() => ({ escalateAfterMs: 60_000, timeoutMs: 60_000 }));
    approvals.onDidAdd((a) => asked.push(a));
    core = startRemoteCore(http.createServer(), { fleet, approvals, log, journal: store.remoteFrames });
    // A new supervisor on the same store: what it knows of the session comes from the journal alone.
    restart = () => {
      core.dispose();
      core = startRemoteCore(http.createServer(), { fleet, approvals, log, journal: store.remoteFrames });
    };
    agentId = fleet.create({ name: 'resumer', kind: 'remote', cwd: '/remote/work' }).agent.id;
    controls.length = 0;
    asked.length = 0;
    outbox = new AgentOutbox({ identity: { name: 'resumer', host: 'test' }, maxFrames: 1000, log: () => undefined, onControl: (action) => controls.push(action) });
    relay = await Relay.start((ws) => outbox.attach(ws, agentId));
  });

  afterEach(() => {
    outbox.close();
    relay.close();
    core.dispose();
    approvals.dispose();
    fleetDispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dial(): Promise<void> {
    const ws = new WebSocket(relay.url);
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    assert.equal(core.adapter.acceptDialed(ws, 'test', agentId), true);
    await eventually('connected', () => (core.adapter.isConnected(agentId) ? true : undefined));
  }

  const requestRows = (): number => store.remoteFrames.list(agentId, { limit: 10_000 }).filter((r) => r.type === 'approval_request').length;

  it('an approval asked again after a reconnect is journaled once, and can still be decided', async () => {
    await dial();
    const verdict = outbox.ask({ tool: 'Bash', input: { command: 'make' } }, new AbortController().signal);
    await eventually('asked', () => (approvals.pending().length === 1 ? true : undefined));
    assert.equal(requestRows(), 1);
    relay.cut();
    await eventually('gone', () => (approvals.pending().length === 0 ? true : undefined));
    await dial();
    const again = await eventually('asked again', () => approvals.pending()[0]);
    assert.equal(asked.length, 2, 'the first question went stale with its connection, so it is asked again');
    assert.equal(approvals.decide(again.id, 'allow', 'user').ok, true);
    assert.equal((await verdict)?.decision, 'allow');
    assert.equal(requestRows(), 1, 'stored once although it came twice');
  });

  it('after a restart of the supervisor, an approval asked again is still journaled once (read from the journal)', async () => {
    await dial();
    const verdict = outbox.ask({ tool: 'Bash', input: { command: 'make' } }, new AbortController().signal);
    await eventually('asked', () => (approvals.pending().length === 1 ? true : undefined));
    relay.cut();
    restart();
    await eventually('gone', () => (approvals.pending().length === 0 ? true : undefined));
    await dial();
    const again = await eventually('asked again', () => approvals.pending()[0]);
    assert.equal(approvals.decide(again.id, 'allow', 'user').ok, true);
    assert.equal((await verdict)?.decision, 'allow');
    assert.equal(requestRows(), 1);
  });

  it('a decision lost with the connection is sent again after the resume, and not asked of a human again', async () => {
    await dial();
    const verdict = outbox.ask({ tool: 'Bash', input: { command: 'make test' } }, new AbortController().signal);
    const pending = await eventually('asked', () => approvals.pending()[0]);
    relay.swallow = true;
    // Sent after this line, so the relay swallows it.
    assert.equal(approvals.decide(pending.id, 'deny', 'user', 'not now').ok, true);
    relay.cut();
    relay.swallow = false;
    await dial();
    const decision = await verdict;
    assert.equal(decision?.decision, 'deny');
    assert.equal(decision?.reason, 'not now');
    await eventually('acked', () => (outbox.backlog === 0 ? true : undefined));
    assert.equal(asked.length, 1, 'one question to a human');
    assert.equal(approvals.pending().length, 0);
  });

  it('a control frame lost with the connection is sent again after the resume, once', async () => {
    await dial();
    relay.swallow = true;
    assert.equal(core.adapter.sendControl(agentId, 'pause'), true);
    relay.cut();
    relay.swallow = false;
    await dial();
    await eventually('paused', () => (controls.length > 0 ? true : undefined));
    assert.equal(core.adapter.sendControl(agentId, 'resume'), true);
    await eventually('resumed', () => (controls.length > 1 ? true : undefined));
    assert.deepEqual(controls, ['pause', 'resume']);
  });
});
