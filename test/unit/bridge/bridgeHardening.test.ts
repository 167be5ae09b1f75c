// Hostile clients against the real bridge (HTTP hooks): wrong Host, any Origin, no token with a big body, slow
// headers, slow bodies, too many connections, a flood of open requests from one agent, absurdly nested payloads.
// Each gets its documented answer, and a legitimate agent's hook is still answered while it happens.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { MAX_BODY_BYTES } from '../../../src/core/bridge/bridgeServer';
import { HOOK_SAMPLES } from '../claudeCode/hookSamples';
import type { HardenedBridge } from './bridgeKit';
import { deepPreToolUse, pendingCount, post, postHeadersOnly, rawConnection, startHardenedBridge } from './bridgeKit';

describe('bridge hardening (HTTP)', () => {
  let b: HardenedBridge;
  afterEach(async () => b?.dispose());

  /** A legitimate agent's observe-only hook, answered at once. */
  const legitHook = async (token: string) => post(b.port, HOOK_SAMPLES.UserPromptSubmit, { token });

  describe('Host and Origin', () => {
    beforeEach(async () => {
      b = await startHardenedBridge();
    });

    it('answers 127.0.0.1:PORT and localhost:PORT', async () => {
      const { token } = b.addAgent();
      assert.equal((await post(b.port, HOOK_SAMPLES.UserPromptSubmit, { token })).status, 200);
      assert.equal((await post(b.port, HOOK_SAMPLES.UserPromptSubmit, { token, headers: { host: `localhost:${b.port}` } })).status, 200);
      assert.equal((await post(b.port, HOOK_SAMPLES.UserPromptSubmit, { token, headers: { host: `LOCALHOST:${b.port}` } })).status, 200);
    });

    for (const host of ['evil.example', 'evil.example:PORT', '127.0.0.1', '127.0.0.1:1', 'localhost.evil.example:PORT', '[::1]:PORT']) {
      it(`refuses Host ${host} with 421, before the token or body`, async () => {
        const { token } = b.addAgent();
        const { reply } = postHeadersOnly(b.port, 1000, { token, headers: { host: host.replace('PORT', String(b.port)) } });
        const answer = await reply;
        assert.equal(answer.status, 421);
        assert.match((answer.body as { error: string }).error, /^Host must be 127\.0\.0\.1:\d+ or localhost:\d+$/);
        assert.equal(answer.closes, true);
        assert.equal(b.approvals.pending().length, 0);
      });
    }

    it('refuses a request without Host (HTTP/1.0) with 421', async () => {
      const raw = await rawConnection(b.port, `POST /hooks/claude-code HTTP/1.0\r\ncontent-length: 2\r\n\r\n{}`);
      assert.match(await raw.closed, /^HTTP\/1\.1 421 /);
    });

    for (const origin of ['https://evil.example', 'http://127.0.0.1:PORT', 'null', 'vscode-webview://x']) {
      it(`refuses Origin ${origin} with 403, even with a valid token`, async () => {
        const { token } = b.addAgent();
        const { reply } = postHeadersOnly(b.port, 1000, { token, headers: { origin: origin.replace('PORT', String(b.port)) } });
        const answer = await reply;
        assert.equal(answer.status, 403);
        assert.equal(answer.closes, true);
        assert.equal(b.approvals.pending().length, 0);
      });
    }

    it('refuses other methods and paths with 404', async () => {
      assert.equal((await post(b.port, {}, { path: '/elsewhere' })).status, 404);
    });
  });

  describe('authentication before the body', () => {
    beforeEach(async () => {
      b = await startHardenedBridge();
    });

    it('answers 401 to a missing or unknown token from the headers alone, and closes the connection', async () => {
      for (const token of [undefined, 'not-a-token']) {
        const { reply, request } = postHeadersOnly(b.port, MAX_BODY_BYTES, { token });
        const answer = await reply;
        assert.equal(answer.status, 401);
        assert.deepEqual(answer.body, { error: token ? 'unknown agent token' : 'missing bearer token' });
        assert.equal(answer.closes, true);
        // The body never had to be sent; the server closes the connection.
        await new Promise<void>((resolve) => (request.socket?.destroyed ? resolve() : request.socket?.once('close', () => resolve())));
      }
    });

    it('200 concurrent strangers each sending 1 MiB get 401, and an agent is answered meanwhile', async () => {
      const { token } = b.addAgent();
      const body = Buffer.alloc(MAX_BODY_BYTES, 0x61);
      const outcomes = new Map<string, number>();
      const strangers = Array.from({ length: 200 }, () =>
        new Promise<void>((resolve) => {
          const req = http.request({ host: '127.0.0.1', port: b.port, path: '/hooks/claude-code', method: 'POST', agent: false, headers: { authorization: 'Bearer nope', 'content-length': body.length } }, (res) => {
            res.resume();
            res.on('end', () => {
              outcomes.set(String(res.statusCode), (outcomes.get(String(res.statusCode)) ?? 0) + 1);
              resolve();
            });
          });
          req.on('error', (err: NodeJS.ErrnoException) => {
            outcomes.set(err.code ?? 'error', (outcomes.get(err.code ?? 'error') ?? 0) + 1);
            resolve();
          });
          req.end(body);
        }),
      );
      const legit = await legitHook(token);
      assert.equal(legit.status, 200);
      await Promise.all(strangers);
      assert.deepEqual(Object.fromEntries(outcomes), { 401: 200 });
      assert.equal(b.fleet.get(b.fleet.list()[0]!.id)?.status, 'working');
    });

    it('refuses a body over the limit with 413 (declared or streamed)', async () => {
      const { token } = b.addAgent();
      const declared = postHeadersOnly(b.port, MAX_BODY_BYTES + 1, { token });
      assert.equal((await declared.reply).status, 413);
      // Chunked: no length announced, the count stops it.
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: b.port, path: '/hooks/claude-code', method: 'POST', agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const write = () => {
          while (!req.destroyed && req.write(chunk));
          if (!req.destroyed) req.once('drain', write);
        };
        write();
      });
      assert.equal(streamed, 413);
    });
  });

  describe('deadlines', () => {
    beforeEach(async () => {
      b = await startHardenedBridge({ bridge: { headersTimeoutMs: 200, bodyTimeoutMs: 200, maxPendingPerAgent: 1 } });
    });

    it('closes a connection that sends no request, or a request line without the end of its headers (408)', async () => {
      const silent = await rawConnection(b.port);
      const slowloris = await rawConnection(b.port, `POST /hooks/claude-code HTTP/1.1\r\nHost: 127.0.0.1:${b.port}\r\nX-Slow: a`);
      assert.match(await silent.closed, /^(HTTP\/1\.1 408 |)/);
      assert.match(await slowloris.closed, /^HTTP\/1\.1 408 /);
    });

    it('answers 408 to a body that does not arrive, and the agent is not held to its open-request cap by it', async () => {
      const { token } = b.addAgent();
      const slow = postHeadersOnly(b.port, 100, { token });
      slow.request.write('{"hook_event_name":');
      const answer = await slow.reply;
      assert.equal(answer.status, 408);
      assert.match((answer.body as { error: string }).error, /^body not received within 0\.2 s$/);
      assert.equal((await legitHook(token)).status, 200);
    });

    it('does not time a request whose body was read: an approval may wait far longer than the body deadline', async () => {
      const { token } = b.addAgent();
      const reply = post(b.port, HOOK_SAMPLES.PreToolUse, { token });
      await pendingCount(b.approvals, 1);
      // Several deadlines pass while the human thinks: a fresh connection times out meanwhile.
      const slowloris = await rawConnection(b.port, 'POST / HTTP/1.1\r\n');
      await slowloris.closed;
      const [request] = b.approvals.pending();
      b.approvals.decide(request!.id, 'allow', 'user');
      const answer = await reply;
      assert.equal(answer.status, 200);
      assert.equal((answer.body as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, 'allow');
    });
  });

  describe('connection cap', () => {
    it('evicts connections without a token to let an agent in', async () => {
      b = await startHardenedBridge({ bridge: { maxConnections: 20 } });
      const { token } = b.addAgent();
      const idle = await Promise.all(Array.from({ length: 20 }, () => rawConnection(b.port)));
      const answer = await legitHook(token);
      assert.equal(answer.status, 200);
      assert.ok(b.bridge.connectionCounts.evicted >= 1, JSON.stringify(b.bridge.connectionCounts));
      // The oldest stranger made room.
      await idle[0]!.closed;
      for (const c of idle) c.socket.destroy();
    });

    it('keeps an agent\'s connections and refuses new ones when every slot is an agent\'s', async () => {
      b = await startHardenedBridge({ bridge: { maxConnections: 3 } });
      const { token } = b.addAgent();
      const replies = [0, 1, 2].map((i) => post(b.port, { ...HOOK_SAMPLES.PreToolUse, tool_use_id: `toolu_${i}` }, { token }));
      await pendingCount(b.approvals, 3);
      const stranger = await rawConnection(b.port, 'GET / HTTP/1.1\r\n');
      assert.equal(await stranger.closed, '');
      assert.equal(b.bridge.connectionCounts.refused, 1);
      for (const r of b.approvals.pending()) b.approvals.decide(r.id, 'deny', 'user', 'no');
      assert.deepEqual((await Promise.all(replies)).map((r) => r.status), [200, 200, 200]);
    });

    it('an agent over its share of connections does not take the slots of others', async () => {
      b = await startHardenedBridge({ bridge: { maxConnections: 4, maxConnectionsPerAgent: 2 } });
      const greedy = b.addAgent('greedy');
      const other = b.addAgent('other');
      // Settled right away: an evicted request fails on the client side, and that failure is expected here.
      const replies = [0, 1, 2, 3].map((i) => post(b.port, { ...HOOK_SAMPLES.PreToolUse, tool_use_id: `toolu_${i}` }, { token: greedy.token }).then(() => 'answered', () => 'failed'));
      await pendingCount(b.approvals, 4);
      // Two of the greedy agent's connections are trusted; the other two are evicted for the other agent.
      assert.equal((await legitHook(other.token)).status, 200);
      assert.ok(b.bridge.connectionCounts.evicted >= 1);
      for (const r of b.approvals.pending()) b.approvals.decide(r.id, 'deny', 'user', 'no');
      assert.ok((await Promise.all(replies)).includes('failed'), 'an evicted request fails on the client side');
    });
  });

  describe('open requests per agent', () => {
    it('answers 429 rate_limited past the cap, without reading the body; other agents are served; a freed slot is reused', async () => {
      b = await startHardenedBridge({ bridge: { maxPendingPerAgent: 4 } });
      const flooder = b.addAgent('flooder');
      const other = b.addAgent('other');
      const held = [0, 1, 2, 3].map((i) => post(b.port, { ...HOOK_SAMPLES.PreToolUse, tool_use_id: `toolu_${i}` }, { token: flooder.token }));
      await pendingCount(b.approvals, 4);
      const over = await postHeadersOnly(b.port, 1000, { token: flooder.token }).reply;
      assert.equal(over.status, 429);
      assert.equal((over.body as { error: string }).error, 'rate_limited');
      assert.match((over.body as { message: string }).message, /more than 4 requests of this agent are open/);
      assert.equal(over.closes, true);
      assert.equal((await legitHook(other.token)).status, 200);

      const [first] = b.approvals.pending();
      b.approvals.decide(first!.id, 'deny', 'user', 'no');
      await Promise.race(held);
      assert.equal((await legitHook(flooder.token)).status, 200);
      for (const r of b.approvals.pending()) b.approvals.decide(r.id, 'deny', 'user', 'no');
      await Promise.all(held);
    });
  });

  describe('payload shape limits', () => {
    beforeEach(async () => {
      b = await startHardenedBridge();
    });

    it('refuses a tool input nested 20 000 levels deep with 400 naming the limit; nothing is queued and the bridge goes on', async () => {
      const { id, token } = b.addAgent();
      const before = b.fleet.get(id)!.status;
      const answer = await post(b.port, deepPreToolUse(20_000), { token });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, { error: 'tool_input: nested deeper than 64 levels', field: 'tool_input' });
      assert.equal(b.approvals.pending().length, 0);
      assert.equal(b.fleet.get(id)!.status, before);
      assert.equal((await legitHook(token)).status, 200);
    });

    it('accepts a tool input within the limits', async () => {
      const { token } = b.addAgent();
      const reply = post(b.port, deepPreToolUse(60), { token });
      await pendingCount(b.approvals, 1);
      b.approvals.decide(b.approvals.pending()[0]!.id, 'deny', 'user', 'no');
      assert.equal((await reply).status, 200);
    });
  });
});
