// Exactly-once into the store (docs/protocol.md): real sockets, a real SQLite file, and for the restart a supervisor
// that is its own process. The runner's connection killed 100 times in a stream of 10 000 events, then the
// supervisor SIGKILLed mid-stream and started again: the journal holds every event once, in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { AgentOutbox } from '../../../src/runner/agentOutbox';
import { newFleet } from '../core/fleetKit';
import { startRemoteCore } from '../remote/remoteKit';
import { startRunnerEndpoint } from './runnerEndpoint';
import { eventually } from './runnerKit';

const TOTAL = 10_000;
const event = (i: number) => ({ type: 'event' as const, kind: 'log' as const, name: `n${i}`, ts: Date.now() });
const FAST = { burst: 1_000_000, perSecond: 1_000_000, maxRefused: 1000 };

/** The event numbers in the journal, in the order they were stored, and the agents they were stored for. */
function journal(store: FleetStore): { numbers: number[]; agents: Set<string> } {
  const numbers: number[] = [];
  const agents = new Set<string>();
  for (const row of store.remoteFrames.listAll()) {
    agents.add(row.agentId);
    const name = (JSON.parse(row.body) as { name: string }).name;
    if (name.startsWith('n')) numbers.push(Number(name.slice(1)));
  }
  return { numbers, agents };
}

function assertExactlyOnce(numbers: number[]): void {
  assert.equal(new Set(numbers).size, numbers.length, 'no event stored twice');
  assert.equal(numbers.length, TOTAL, 'every event stored');
  assert.deepEqual(numbers, Array.from({ length: TOTAL }, (_, i) => i), 'in the order they were sent');
}

describe('remote frames exactly-once into the store (real sockets, real SQLite)', function () {
  this.timeout(120_000);
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-exactly-once-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('the runner connection killed 100 times during 10 000 events: the store holds each once, in order', async () => {
    const { store } = openStore(join(tempDir(), 'flotilla.db'));
    cleanups.push(() => store.close());
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ escalateAfterMs: 60_000, timeoutMs: 60_000 }));
    const core = startRemoteCore(http.createServer(), { fleet, approvals, log, journal: store.remoteFrames, frameRate: FAST });
    cleanups.push(() => (core.dispose(), approvals.dispose(), fleet.dispose()));
    const { agent } = fleet.create({ name: 'streamer', kind: 'remote', cwd: '/remote/work' });
    const outbox = new AgentOutbox({ identity: { name: 'streamer', host: 'test' }, maxFrames: 100_000, log: () => undefined, onControl: () => undefined, pace: { burst: 1_000_000, perSecond: 1_000_000 } });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => (outbox.close(), wss.close()));
    await new Promise((r) => wss.once('listening', r));
    let runnerSide: WebSocket | undefined;
    wss.on('connection', (ws) => ((runnerSide = ws), outbox.attach(ws, agent.id)));
    const port = (wss.address() as AddressInfo).port;
    const connect = async (): Promise<void> => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      await new Promise<void>((r) => ws.once('open', () => (assert.equal(core.adapter.acceptDialed(ws, 'test', agent.id), true), r())));
      await eventually('connected', () => (core.adapter.isConnected(agent.id) && outbox.connected ? true : undefined));
    };
    const started = Date.now();
    await connect();
    let next = 0;
    for (let kill = 0; kill < 100; kill++) {
      for (let i = 0; i < TOTAL / 100; i++) outbox.push(event(next++));
      // Killed at different points: frames still unsent, in flight, stored but not acked, or acked.
      if (kill % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
      else await new Promise((resolve) => setTimeout(resolve, kill % 3 === 1 ? 0 : 3));
      runnerSide!.terminate();
      await eventually('the outbox saw the drop', () => (outbox.connected ? undefined : true));
      await connect();
    }
    await eventually('everything acked', () => (outbox.backlog === 0 ? true : undefined), 60_000);
    const { numbers, agents } = journal(store);
    assertExactlyOnce(numbers);
    assert.deepEqual([...agents], [agent.id]);
    console.log(`      ${TOTAL} events, 100 kills, ${Date.now() - started} ms; ${outbox.storedUnacked} were stored but their ack was lost (not resent)`);
  });

  it('past its memory bound the runner spills to a disk journal: 20 000 events made while disconnected, 1 000 in memory, each stored once, in order', async () => {
    const dir = tempDir();
    const { store } = openStore(join(dir, 'flotilla.db'));
    cleanups.push(() => store.close());
    const { fleet, log } = newFleet();
    const approvals = new ApprovalQueue(() => ({ escalateAfterMs: 60_000, timeoutMs: 60_000 }));
    const core = startRemoteCore(http.createServer(), { fleet, approvals, log, journal: store.remoteFrames, frameRate: FAST });
    cleanups.push(() => (core.dispose(), approvals.dispose(), fleet.dispose()));
    const { agent } = fleet.create({ name: 'spiller', kind: 'remote', cwd: '/remote/work' });
    const spillFile = join(dir, 'runner', 'outbox.jsonl');
    const outbox = new AgentOutbox({
      identity: { name: 'spiller', host: 'test' },
      maxFrames: 1000,
      spill: { file: spillFile, maxBytes: 64 * 1024 * 1024 },
      log: () => undefined,
      onControl: () => undefined,
      pace: { burst: 1_000_000, perSecond: 1_000_000 },
    });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => (outbox.close(), wss.close()));
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => outbox.attach(ws, agent.id));
    for (let i = 0; i < 2 * TOTAL; i++) outbox.push(event(i));
    assert.equal(outbox.backlog, 2 * TOTAL);
    assert.equal(outbox.spilledFrames, 2 * TOTAL - 1000);
    assert.equal(outbox.dropped, 0);
    assert.equal(statSync(spillFile).mode & 0o777, 0o600);
    const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    await new Promise<void>((r) => ws.once('open', () => (assert.equal(core.adapter.acceptDialed(ws, 'test', agent.id), true), r())));
    await eventually('everything acked', () => (outbox.backlog === 0 ? true : undefined), 60_000);
    const { numbers } = journal(store);
    assert.deepEqual(numbers, Array.from({ length: 2 * TOTAL }, (_, i) => i), 'each once, in order');
    assert.equal(statSync(spillFile).size, 0, 'the journal emptied once read back');
  });

  it('the supervisor process SIGKILLed mid-stream and started again: nothing acked is lost, the rest is resent, nothing twice', async () => {
    const dbPath = join(tempDir(), 'flotilla.db');
    const endpoint = await startRunnerEndpoint(['streamer'], { fast: true });
    cleanups.push(() => endpoint.dispose());
    const outbox = endpoint.outbox('streamer');
    const children: ChildProcess[] = [];
    cleanups.push(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
    const startSupervisor = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/unit/runner/supervisorProcess.ts', dbPath, endpoint.url, endpoint.tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      await eventually(`the supervisor connected the agent:\n${out}`, () => (/agent \S+ connected/.test(out) && outbox.connected ? true : undefined), 30_000);
      return child;
    };
    let supervisor = await startSupervisor();
    let next = 0;
    let killed!: () => void;
    const afterKill = new Promise<void>((r) => (killed = r));
    // Half the stream before the kill, the rest while the supervisor is down and after its restart.
    const producer = (async () => {
      while (next < TOTAL) {
        if (next >= TOTAL / 2) await afterKill;
        for (let i = 0; i < 50; i++) outbox.push(event(next++));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await eventually('3 000 events acked', () => (next - outbox.backlog >= 3000 ? true : undefined));
    // A burst right before the kill (same tick): whatever the pace, some frames are in flight or not yet sent.
    for (let i = 0; i < 500 && next < TOTAL; i++) outbox.push(event(next++));
    supervisor.kill('SIGKILL');
    const killedAt = { acked: next - outbox.backlog, sent: next };
    killed();
    await new Promise((r) => supervisor.once('exit', r));
    await eventually('the runner saw the supervisor go', () => (outbox.connected ? undefined : true));
    supervisor = await startSupervisor();
    await producer;
    await eventually('everything acked', () => (outbox.backlog === 0 ? true : undefined), 60_000);
    const { store } = openStore(dbPath);
    cleanups.push(() => store.close());
    const { numbers, agents } = journal(store);
    assertExactlyOnce(numbers);
    assert.equal(agents.size, 1, 'the restarted supervisor found its agent again (one fleet agent)');
    assert.ok(killedAt.acked < killedAt.sent && killedAt.sent < TOTAL, 'killed mid-stream');
    console.log(`      killed after ${killedAt.acked} of ${killedAt.sent} events acked; ${outbox.storedUnacked} stored but unacked at the kill (not resent)`);
    supervisor.kill('SIGTERM');
    await new Promise((r) => supervisor.once('exit', r));
  });
});
