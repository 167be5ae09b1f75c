// Hostile clients against the real bridge (BridgeServer, the agent socket transport, the remote adapter writing to a
// real SQLite journal): a wrong token, no hello, an oversized frame, malformed JSON, an unknown frame type, a browser
// Origin, and then 10 000 such connection attempts. Each gets a clear error or a close, nothing of theirs is stored,
// the bridge keeps serving a legitimate agent, and its connections return to that one agent (RSS is printed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import type { ErrorFrame } from '../../../src/shared/protocol/error';
import { MAX_FRAME_BYTES } from '../../../src/shared/protocol/limits';
import { TestAgent } from '../remote/remoteKit';
import type { HardenedBridge } from './bridgeKit';
import { startHardenedBridge } from './bridgeKit';

type Outcome = { readonly kind: 'http'; readonly status: number } | { readonly kind: 'closed'; readonly code: number; readonly error?: string };

const MISBEHAVIOURS = ['wrong token', 'no hello', 'oversize frame', 'malformed JSON', 'unknown type', 'browser Origin'] as const;
type Misbehaviour = (typeof MISBEHAVIOURS)[number];

/**
 * One hostile connection: what it does, and what the bridge answered (an HTTP status for a refused upgrade, else the
 * first error frame's code and the close code). A client that gets an error and is left open closes itself.
 */
function attempt(url: string, what: Misbehaviour, agentId: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, what === 'browser Origin' ? { headers: { origin: 'https://evil.example' } } : {});
    let error: string | undefined;
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in 15 s`)), 15_000);
    const done = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      done({ kind: 'http', status: res.statusCode ?? 0 });
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; code?: string };
      if (frame.type !== 'error' || error !== undefined) return;
      error = frame.code;
      // Non-fatal refusals leave the connection open: this client gives up now.
      if (what === 'malformed JSON' || what === 'unknown type') ws.close(1000, 'giving up');
    });
    ws.on('close', (code) => done({ kind: 'closed', code, ...(error === undefined ? {} : { error }) }));
    ws.on('open', () => {
      switch (what) {
        case 'wrong token':
          ws.send(JSON.stringify({ type: 'hello', seq: 0, v: 1, agent_id: agentId, name: 'intruder', kind: 'remote', token: 'flt_guessed', capabilities: [] }));
          return;
        case 'no hello':
          ws.send(JSON.stringify({ type: 'heartbeat', seq: 0, elapsed_ms: 1 }));
          return;
        case 'oversize frame':
          ws.send(JSON.stringify({ type: 'event', seq: 0, kind: 'log', name: 'big', ts: 1, message: 'x'.repeat(MAX_FRAME_BYTES) }));
          return;
        case 'malformed JSON':
          ws.send('{"type": "hello", "seq": 0,');
          return;
        case 'unknown type':
          ws.send(JSON.stringify({ type: 'take_over', seq: 0 }));
          return;
        case 'browser Origin':
          return;
      }
    });
  });
}

/** What each misbehaviour must get: the documented refusal. */
function assertAnswered(what: Misbehaviour, outcome: Outcome): void {
  const text = JSON.stringify(outcome);
  switch (what) {
    case 'wrong token':
      assert.deepEqual(outcome, { kind: 'closed', code: 1008, error: 'unauthorized' }, text);
      return;
    case 'no hello':
      assert.deepEqual(outcome, { kind: 'closed', code: 1008, error: 'not_ready' }, text);
      return;
    case 'oversize frame':
      assert.deepEqual(outcome, { kind: 'closed', code: 1009 }, text);
      return;
    case 'malformed JSON':
      assert.deepEqual(outcome, { kind: 'closed', code: 1000, error: 'bad_frame' }, text);
      return;
    case 'unknown type':
      assert.ok(outcome.kind === 'closed' && (outcome.error === 'unknown_frame_type' || outcome.error === 'not_ready'), text);
      return;
    case 'browser Origin':
      assert.deepEqual(outcome, { kind: 'http', status: 403 }, text);
      return;
  }
}

function openConnections(b: HardenedBridge): Promise<number> {
  return new Promise((resolve, reject) => b.bridge.httpServer.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('hostile clients against the real bridge (real sockets, real SQLite journal)', function () {
  this.timeout(180_000);
  let dir: string;
  let store: FleetStore;
  let b: HardenedBridge;
  let legit: TestAgent;
  let legitId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-hostile-'));
    store = openStore(join(dir, 'flotilla.db')).store;
    b = await startHardenedBridge({ socket: { journal: store.remoteFrames } });
    const { agent, token } = b.fleet.create({ name: 'legit', kind: 'remote', cwd: '/remote/work' });
    legitId = agent.id;
    legit = (await TestAgent.hello(b.wsUrl, agent.id, token)).agent;
  });
  afterEach(async () => {
    legit.ws.terminate();
    await b.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The legitimate agent is still served: an event is stored and acked. */
  async function legitStillServed(name: string): Promise<void> {
    const seq = legit.send({ type: 'event', kind: 'log', name, ts: Date.now() });
    await legit.acked(seq);
    assert.ok(store.remoteFrames.list(legitId, { limit: 100_000 }).some((row) => (JSON.parse(row.body) as { name: string }).name === name));
  }

  for (const what of MISBEHAVIOURS) {
    it(`${what}: a clear refusal, nothing stored, the legitimate agent goes on`, async () => {
      assertAnswered(what, await attempt(b.wsUrl, what, legitId));
      await legitStillServed(`after ${what}`);
      assert.equal(store.remoteFrames.count(), 1, 'only the legitimate event is in the journal');
      assert.deepEqual(legit.invalid, []);
    });
  }

  it('an unknown type and malformed JSON after the welcome are refused by name and the connection goes on', async () => {
    legit.sendRaw('{"type": "event", "seq": ');
    const badJson = await legit.next<ErrorFrame>((f) => f.type === 'error');
    assert.equal(badJson.code, 'bad_frame');
    legit.send({ type: 'take_over' });
    const unknown = await legit.next<ErrorFrame>((f) => f.type === 'error' && f.seq > badJson.seq);
    assert.equal(unknown.code, 'unknown_frame_type');
    assert.match(unknown.message, /take_over/);
    await legitStillServed('still here');
  });

  it('10 000 hostile connection attempts: every one answered, no crash, connections back to the one agent, memory printed', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    const outcomes = new Map<string, number>();
    let peakRss = before.rss;
    const TOTAL = 10_000;
    const CONCURRENCY = 64;
    let next = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const i = next++;
        const what = MISBEHAVIOURS[i % MISBEHAVIOURS.length]!;
        const outcome = await attempt(b.wsUrl, what, legitId);
        const key = `${what} -> ${outcome.kind === 'http' ? `HTTP ${outcome.status}` : `${outcome.error ?? 'no error frame'}, close ${outcome.code}`}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (i % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    await legitStillServed('after the barrage');
    // Every hostile connection is gone; only the legitimate agent's remains.
    for (let tries = 0; (await openConnections(b)) > 1 && tries < 100; tries++) await new Promise((r) => setImmediate(r));
    assert.equal(await openConnections(b), 1);
    assert.equal(store.remoteFrames.count(), 1, 'nothing a hostile client sent was stored');
    global.gc?.();
    const after = process.memoryUsage();
    const answered = [...outcomes.values()].reduce((a, n) => a + n, 0);
    assert.equal(answered, TOTAL);
    for (const key of outcomes.keys()) assert.doesNotMatch(key, /no error frame, close 1006/, 'an answer, not a dropped connection');
    console.log(`      ${TOTAL} attempts in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds)}/s, ${CONCURRENCY} at once); RSS before ${mb(before.rss)}, peak ${mb(peakRss)}, after ${mb(after.rss)}; heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}`);
    for (const [key, n] of [...outcomes].sort()) console.log(`        ${key}: ${n}`);
  });
});
