// The host end of the Approvals panel against a real ApprovalQueue: nothing is sent before `ready`, a burst of
// requests becomes one `state`, `decide` settles the waiting requests and is answered per id, bad input is logged.
import assert from 'node:assert/strict';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import type { Resolution } from '../../../src/core/approvals/approvalQueue';
import { deeperThan } from '../../../src/shared/jsonText';
import { ApprovalsHostEndpoint } from '../../../src/shared/webview/approvalsHost';
import type { ApprovalsHostOptions } from '../../../src/shared/webview/approvalsHost';
import { parseHostMessage } from '../../../src/shared/webview/approvalsProtocol';
import type { ApprovalsHostMessage, DecideResult, StateMessage } from '../../../src/shared/webview/approvalsProtocol';
import { boundedCopy, WIRE_LIMITS } from '../../../src/shared/webview/wireInput';
import { newApproval } from './fixtures';

class Harness {
  readonly queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }));
  readonly posted: ApprovalsHostMessage[] = [];
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  readonly opened: string[] = [];
  private waiters: { match: (m: ApprovalsHostMessage) => boolean; resolve: (m: ApprovalsHostMessage) => void }[] = [];
  readonly endpoint: ApprovalsHostEndpoint;

  /** Characters of the last message as VS Code's postMessage would serialize it (with `serialize`). */
  serializedChars = 0;

  /** `serialize`: post as VS Code does (JSON text), and read it back as the page does (the shared zod schemas). */
  constructor(openAgent: (id: string) => unknown = (id) => this.opened.push(id), alwaysAllow?: ApprovalsHostOptions['alwaysAllow'], serialize = false) {
    this.endpoint = new ApprovalsHostEndpoint({
      alwaysAllow,
      source: this.queue,
      post: (sent) => {
        let message = sent;
        if (serialize) {
          const text = JSON.stringify(sent);
          this.serializedChars = text.length;
          const parsed = parseHostMessage(JSON.parse(text));
          if (!parsed.ok) throw new Error(parsed.error.message);
          message = parsed.message;
        }
        this.posted.push(message);
        for (const w of this.waiters.filter((w) => w.match(message))) w.resolve(message);
        this.waiters = this.waiters.filter((w) => !w.match(message));
        return Promise.resolve(true);
      },
      log: { warn: (m) => this.warnings.push(m), error: (m) => this.errors.push(String(m)) },
      openAgent,
    });
  }

  /** The next posted message satisfying `match` (already posted ones do not count). */
  next<M extends ApprovalsHostMessage>(match: (m: ApprovalsHostMessage) => boolean): Promise<M> {
    return new Promise((resolve) => this.waiters.push({ match, resolve: (m) => resolve(m as M) }));
  }

  states(): StateMessage[] {
    return this.posted.filter((m): m is StateMessage => m.type === 'state');
  }

  dispose(): void {
    this.endpoint.dispose();
    this.queue.dispose();
  }
}

describe('ApprovalsHostEndpoint', () => {
  let h: Harness;
  afterEach(() => h.dispose());

  it('sends nothing before ready, then the pending list at once', () => {
    h = new Harness();
    void h.queue.request(newApproval(1, 0));
    assert.deepEqual(h.posted, []);
    h.endpoint.receive({ type: 'ready' });
    assert.equal(h.posted.length, 1);
    const state = h.states()[0]!;
    assert.equal(state.pending.length, 1);
    assert.equal(state.pending[0]!.agentId, 'agent-1');
  });

  it('turns a burst of 1000 new requests into one state message', async () => {
    h = new Harness();
    h.endpoint.receive({ type: 'ready' });
    const full = h.next<StateMessage>((m) => m.type === 'state' && m.pending.length === 1000);
    for (let i = 0; i < 1000; i++) void h.queue.request(newApproval(i % 100, i));
    const state = await full;
    assert.equal(h.states().length, 2, 'the ready answer and one coalesced update');
    assert.deepEqual(state.pending.map((r) => r.id), h.queue.pending().map((r) => r.id));
  });

  it('decides every id for the user, answers per id in order, and refuses stale ids with the reason', async () => {
    h = new Harness();
    const waits: Promise<Resolution>[] = [0, 1, 2].map((n) => h.queue.request(newApproval(n, n)));
    h.endpoint.receive({ type: 'ready' });
    const [a, b, c] = h.queue.pending().map((r) => r.id);
    const answer = h.next<DecideResult>((m) => m.type === 'decideResult');
    h.endpoint.receive({ type: 'decide', requestId: 'r-1', ids: [a, 'gone', b], decision: 'deny', message: '  use staging  ' });
    const result = await answer;
    assert.equal(result.requestId, 'r-1');
    assert.deepEqual(result.results.map((r) => [r.id, r.ok]), [[a, true], ['gone', false], [b, true]]);
    assert.match(result.results[1]!.reason ?? '', /no longer pending/);
    assert.deepEqual(await waits[0], { kind: 'decided', decision: 'deny', decidedBy: 'user', reason: 'use staging' });
    assert.deepEqual(await waits[1], { kind: 'decided', decision: 'deny', decidedBy: 'user', reason: 'use staging' });
    assert.deepEqual(h.queue.pending().map((r) => r.id), [c]);
    const update = await h.next<StateMessage>((m) => m.type === 'state');
    assert.deepEqual(update.pending.map((r) => r.id), [c]);
  });

  it('answers a decide for an id decided a moment ago as stale (a double click never decides twice)', () => {
    h = new Harness();
    void h.queue.request(newApproval(1, 0));
    h.endpoint.receive({ type: 'ready' });
    const id = h.queue.pending()[0]!.id;
    h.endpoint.receive({ type: 'decide', requestId: 'r-1', ids: [id], decision: 'allow' });
    h.endpoint.receive({ type: 'decide', requestId: 'r-2', ids: [id], decision: 'deny' });
    const answers = h.posted.filter((m): m is DecideResult => m.type === 'decideResult');
    assert.deepEqual(answers.map((m) => m.results[0]!.ok), [true, false]);
  });

  it('logs a bad message with its field and ignores it', () => {
    h = new Harness();
    void h.queue.request(newApproval(1, 0));
    h.endpoint.receive({ type: 'ready' });
    const before = h.posted.length;
    assert.doesNotThrow(() => h.endpoint.receive({ type: 'decide', requestId: 'r', ids: [h.queue.pending()[0]!.id], decision: 'yes' }));
    assert.doesNotThrow(() => h.endpoint.receive(undefined));
    assert.equal(h.posted.length, before);
    assert.equal(h.queue.pending().length, 1);
    assert.equal(h.warnings.length, 2);
    assert.match(h.warnings[0]!, /decide\.decision: expected one of 'allow', 'deny', received "yes"/);
  });

  it('forwards openAgent, and logs (does not throw) when opening fails', async () => {
    h = new Harness();
    h.endpoint.receive({ type: 'openAgent', agentId: 'agent-7' });
    assert.deepEqual(h.opened, ['agent-7']);
    h.dispose();
    h = new Harness(() => Promise.reject(new Error('no terminal')));
    h.endpoint.receive({ type: 'openAgent', agentId: 'agent-7' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(h.errors, ['Approvals panel: could not open the agent: no terminal']);
  });

  it('alwaysAllow: hands the id and scope over and answers with a decideResult for that id, with its message', () => {
    const calls: [string, string][] = [];
    h = new Harness(undefined, (id, scope) => {
      calls.push([id, scope]);
      if (scope === 'session') return { ok: false, reason: 'cannot pin it down' };
      // What the real handler does: the rule is stored, then the request is allowed.
      h.queue.decide(id, 'allow', 'user', 'Allowed always for this agent: allow.agent.x');
      return { ok: true, message: 'Added to .flotilla/policy.json: Always allow agent "a" to run `make`' };
    });
    const wait = h.queue.request(newApproval(1, 0));
    h.endpoint.receive({ type: 'ready' });
    const id = h.queue.pending()[0]!.id;
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-1', id, scope: 'session' });
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-2', id, scope: 'agent' });
    assert.deepEqual(calls, [[id, 'session'], [id, 'agent']]);
    const answers = h.posted.filter((m): m is DecideResult => m.type === 'decideResult');
    assert.deepEqual(answers, [
      { type: 'decideResult', requestId: 'r-1', results: [{ id, ok: false, reason: 'cannot pin it down' }] },
      { type: 'decideResult', requestId: 'r-2', results: [{ id, ok: true, message: 'Added to .flotilla/policy.json: Always allow agent "a" to run `make`' }] },
    ]);
    return wait.then((r) => assert.equal(r.kind, 'decided'));
  });

  it('alwaysAllow: waits for a promise; a throw or a rejection is logged and answered as not allowed', async () => {
    let mode: 'resolve' | 'reject' | 'throw' = 'resolve';
    h = new Harness(undefined, () => {
      if (mode === 'throw') throw new Error('disk full');
      return mode === 'reject' ? Promise.reject(new Error('policy file locked')) : Promise.resolve({ ok: true });
    });
    h.endpoint.receive({ type: 'ready' });
    const resolved = h.next<DecideResult>((m) => m.type === 'decideResult');
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-1', id: 'q-1', scope: 'agent' });
    assert.deepEqual((await resolved).results, [{ id: 'q-1', ok: true }]);
    mode = 'reject';
    const rejected = h.next<DecideResult>((m) => m.type === 'decideResult');
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-2', id: 'q-2', scope: 'agent' });
    assert.deepEqual((await rejected).results, [{ id: 'q-2', ok: false, reason: 'no rule was added: policy file locked' }]);
    mode = 'throw';
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-3', id: 'q-3', scope: 'session' });
    assert.deepEqual((h.posted.at(-1) as DecideResult).results, [{ id: 'q-3', ok: false, reason: 'no rule was added: disk full' }]);
    assert.deepEqual(h.errors, ['Approvals panel: always allow failed: policy file locked', 'Approvals panel: always allow failed: disk full']);
  });

  it('alwaysAllow without a handler is answered as not available, and a bad scope is refused', () => {
    h = new Harness();
    h.endpoint.receive({ type: 'ready' });
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-1', id: 'q-1', scope: 'agent' });
    assert.deepEqual((h.posted.at(-1) as DecideResult).results, [{ id: 'q-1', ok: false, reason: 'always allow is not available here' }]);
    const before = h.posted.length;
    h.endpoint.receive({ type: 'alwaysAllow', requestId: 'r-2', id: 'q-1', scope: 'forever' });
    assert.equal(h.posted.length, before);
    assert.match(h.warnings.at(-1)!, /alwaysAllow\.scope: expected one of 'agent', 'session', received "forever"/);
  });

  it('after detach sends nothing until the reloaded page says ready again', () => {
    h = new Harness();
    h.endpoint.receive({ type: 'ready' });
    h.endpoint.detach();
    void h.queue.request(newApproval(1, 0));
    h.endpoint.receive({ type: 'decide', requestId: 'r', ids: [h.queue.pending()[0]!.id], decision: 'allow' });
    assert.equal(h.posted.length, 1, 'only the first state');
    void h.queue.request(newApproval(2, 1));
    h.endpoint.receive({ type: 'ready' });
    assert.equal(h.states().at(-1)!.pending.length, 1);
  });

  it('cuts very long strings in inputs before they cross to the webview', () => {
    const limits = { ...WIRE_LIMITS, maxString: 10 };
    const { value, truncated } = boundedCopy({ command: 'x'.repeat(30), nested: [{ s: 'short' }], n: 3, b: true, z: null }, limits);
    const clipped = value as Record<string, unknown>;
    assert.equal(truncated, true);
    assert.equal(clipped.command, `${'x'.repeat(10)}… (20 more characters)`);
    assert.deepEqual(clipped.nested, [{ s: 'short' }]);
    assert.deepEqual([clipped.n, clipped.b, clipped.z], [3, true, null]);
  });

  it('pushes the state with an input nested 20,000 levels deep, clipped and marked, and the other requests whole', () => {
    h = new Harness(undefined, undefined, true);
    void h.queue.request(newApproval(1, 0));
    void h.queue.request({ ...newApproval(2, 1), tool: 'mcp__evil__deep', summary: 'mcp__evil__deep', input: nested(20_000) });
    void h.queue.request(newApproval(3, 2));
    h.endpoint.receive({ type: 'ready' });
    assert.deepEqual(h.errors, []);
    const state = h.states()[0]!;
    assert.deepEqual(state.pending.map((r) => r.agentId), ['agent-1', 'agent-2', 'agent-3']);
    assert.deepEqual(state.pending[0]!.input, newApproval(1, 0).input);
    // Walk down the clipped input: exactly WIRE_LIMITS.maxDepth containers, then the marker.
    let v = state.pending[1]!.input;
    let depth = 0;
    while (v !== null && typeof v === 'object') {
      v = Array.isArray(v) ? v[0] : (v as { a: unknown }).a;
      depth++;
    }
    assert.equal(depth, WIRE_LIMITS.maxDepth);
    assert.equal(v, deeperThan(WIRE_LIMITS.maxDepth));
  });

  it('pushes the state with a 5 MB input within the wire budget', () => {
    h = new Harness(undefined, undefined, true);
    const huge = { content: 'a'.repeat(5 * 1024 * 1024), lines: Array.from({ length: 100_000 }, (_, i) => `line ${i}`), file_path: '/w/big.txt' };
    void h.queue.request({ ...newApproval(1, 2), input: huge });
    void h.queue.request(newApproval(2, 0));
    h.endpoint.receive({ type: 'ready' });
    assert.deepEqual(h.errors, []);
    const [big, small] = h.states()[0]!.pending;
    const input = big!.input as { content: string; lines: string[]; file_path: string };
    assert.equal(input.file_path, '/w/big.txt');
    assert.match(input.content, /^a+… \(5142880 more characters\)$/);
    assert.ok(input.lines.length < WIRE_LIMITS.maxValues + 1);
    assert.match(input.lines.at(-1)!, /^… \(\d+ more items\)$/);
    assert.ok(h.serializedChars < 1_000_000, `the state message is ${h.serializedChars} characters`);
    assert.deepEqual(small!.input, newApproval(2, 0).input);
  });

  it('keeps a __proto__ key as data, not as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "command": "ls"}') as unknown;
    const { value } = boundedCopy(parsed);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(JSON.stringify(value), '{"__proto__":{"polluted":true},"command":"ls"}');
  });
});

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}
