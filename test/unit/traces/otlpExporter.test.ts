// Streaming spans to a real local OTLP/HTTP receiver (a node:http server in the test accepting POST /v1/traces):
// every finished span arrives exactly once and in order through 429/503 answers, Retry-After is honoured, a 400 is
// not retried, the queue bound drops the oldest spans (counted, logged), a dead port and a silent server are retried,
// and the setting turns the stream on from the TraceService's writes. Every posted body passes the OTLP JSON schema.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { OtlpExporter, retryAfterMs } from '../../../src/core/traces/otlpExporter';
import type { OtlpExporterOptions } from '../../../src/core/traces/otlpExporter';
import { OtlpStream } from '../../../src/core/traces/otlpStream';
import { OtlpRequestSchema } from './otlpSchema';
import { bash, quietLog, TraceHarness, usage } from './traceKit';

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the client's timeout must end the request). */
  hang?: boolean;
}

/** A real OTLP/HTTP JSON receiver: answers from a script (then 200), records every request and the spans it carried. */
class Receiver {
  readonly requests: { path: string; contentType: string | undefined; auth: string | undefined; spanNames: string[]; status: number }[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly hanging: http.ServerResponse[] = [];
  private held: ((answer: Answer) => void) | undefined;
  private onHeld: (() => void) | undefined;
  holdNext = false;
  script: Answer[] = [];
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
    return this;
  }

  /** Spans accepted (answered 2xx), in arrival order. */
  get accepted(): string[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.spanNames);
  }

  /** Holds the next request unanswered; resolves once it arrived. */
  holdNextRequest(): Promise<void> {
    this.holdNext = true;
    return new Promise((resolve) => (this.onHeld = resolve));
  }

  release(answer: Answer = { status: 200 }): void {
    this.held?.(answer);
    this.held = undefined;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      assert.equal(req.method, 'POST');
      const body = OtlpRequestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const spanNames = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name)));
      const answer = (a: Answer): void => {
        this.requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], auth: req.headers.authorization, spanNames, status: a.hang ? 0 : a.status });
        if (a.hang) {
          this.hanging.push(res);
          return;
        }
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(a.body ?? '{}');
      };
      if (this.holdNext) {
        this.holdNext = false;
        this.held = answer;
        this.onHeld?.();
        return;
      }
      answer(this.script.shift() ?? { status: 200 });
    });
  }
}

let clockMs = 5_000_000;
function span(name: string, status: TraceSpan['status'] = 'ok'): TraceSpan {
  const start = (clockMs += 10);
  return { traceId: 'a'.repeat(32), spanId: `s-${name}`, agentId: 'a1', kind: 'tool', name, start, end: start + 5, status, attributes: { 'tool.input': name } };
}
const names = (from: number, to: number, prefix = 'n'): string[] => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

describe('OTLP/HTTP streaming to a local receiver', () => {
  let receiver: Receiver;
  const exporters: OtlpExporter[] = [];
  const exporter = (options: Partial<OtlpExporterOptions> = {}, url = receiver.url): OtlpExporter => {
    const e = new OtlpExporter({ settings: { endpoint: url, headers: { authorization: 'Bearer test-token' } }, log: quietLog(), batchDelayMs: 5, backoffMs: 5, maxBackoffMs: 2_000, timeoutMs: 5_000, ...options });
    exporters.push(e);
    return e;
  };

  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    for (const e of exporters.splice(0)) e.dispose();
    await receiver.stop();
  });

  it('delivers every finished span exactly once and in order through 429 (Retry-After) and 503 answers', async () => {
    const log = quietLog();
    receiver.script = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }, { status: 503 }, { status: 502, body: 'bad gateway' }];
    const e = exporter({ log, maxBatch: 10 });
    e.put(names(0, 12).map((n) => span(n)));
    // Running spans are not sent; they go once they end.
    e.put([span('still-running', 'running')]);
    e.put(names(12, 25).map((n) => span(n)));
    await e.idle();
    // A span written again after it was sent (its task's end moved) is not sent twice.
    e.put([span('n3'), { ...span('late'), spanId: 's-n3' }]);
    e.put(names(25, 31).map((n) => span(n)));
    await e.idle();
    assert.deepEqual(receiver.accepted, names(0, 31));
    assert.equal(new Set(receiver.accepted).size, 31);
    assert.deepEqual(receiver.requests.slice(0, 5).map((r) => r.status), [429, 503, 503, 502, 200]);
    // The first batch was posted five times, the same ten spans each time.
    for (const r of receiver.requests.slice(0, 5)) assert.deepEqual(r.spanNames, names(0, 10));
    assert.ok(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json' && r.auth === 'Bearer test-token'));
    assert.deepEqual({ ...e.stats }, { sent: 31, batches: receiver.requests.length - 4, dropped: 0, rejected: 0, failed: 0, retries: 4 });
    // Retry-After: 1 was honoured (the wait is the server's, not the 5 ms backoff).
    assert.match(log.lines.find((l) => l.includes('HTTP 429'))!, /retry 1 in 1000 ms/);
    assert.ok(log.lines.some((l) => l.includes('HTTP 502: bad gateway')));
  });

  it('does not retry a 400 and carries on with the next batch', async () => {
    const log = quietLog();
    receiver.script = [{ status: 400, body: '{"message":"bad span"}' }];
    const e = exporter({ log });
    e.put(names(0, 3).map((n) => span(n)));
    await e.idle();
    e.put(names(3, 5).map((n) => span(n)));
    await e.idle();
    assert.deepEqual(receiver.requests.map((r) => r.status), [400, 200]);
    assert.deepEqual(receiver.accepted, names(3, 5));
    assert.equal(e.stats.rejected, 3);
    assert.equal(e.stats.retries, 0);
    assert.ok(log.lines.some((l) => /refused 3 spans \(HTTP 400: \{"message":"bad span"\}\); not retried/.test(l)));
  });

  it('keeps at most maxQueue spans waiting, dropping the oldest with a counted warning', async () => {
    const log = quietLog();
    const e = exporter({ log, maxQueue: 5, maxBatch: 100 });
    const held = receiver.holdNextRequest();
    e.put([span('first')]);
    await held;
    e.put(names(0, 8).map((n) => span(n)));
    assert.equal(e.pending, 1 + 5);
    assert.equal(e.stats.dropped, 3);
    assert.ok(log.lines.some((l) => l.includes('OTLP queue full (5 spans): dropped the 3 oldest (3 so far)')));
    receiver.release();
    await e.idle();
    assert.deepEqual(receiver.accepted, ['first', ...names(3, 8)]);
  });

  it('retries a dead port and a silent server, and gives up after maxAttempts', async () => {
    // A port nobody listens on: connection refused, retried, then given up.
    const dead = new Receiver();
    await dead.start();
    const deadUrl = dead.url;
    await dead.stop();
    const log = quietLog();
    const e1 = exporter({ log, maxAttempts: 3 }, deadUrl);
    e1.put([span('lost')]);
    await e1.idle();
    assert.deepEqual({ failed: e1.stats.failed, retries: e1.stats.retries, sent: e1.stats.sent }, { failed: 1, retries: 2, sent: 0 });
    assert.ok(log.lines.some((l) => l.includes('gave up sending 1 spans to the OTLP endpoint after 3 attempts')));

    // A server that never answers: the request times out and the retry gets through.
    const log2 = quietLog();
    receiver.script = [{ status: 0, hang: true }];
    const e2 = exporter({ log: log2, timeoutMs: 200 });
    e2.put([span('patient')]);
    await e2.idle();
    assert.deepEqual(receiver.accepted, ['patient']);
    assert.ok(log2.lines.some((l) => l.includes('no answer within 200 ms')));
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('3', 0), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('soon', 0), undefined);
    assert.equal(retryAfterMs(null, 0), undefined);
  });

  it('the setting turns streaming on from the trace store writes, and a bad URL is logged naming the field', async () => {
    const h = new TraceHarness();
    const settings: { endpoint?: unknown; headers?: unknown } = {};
    const stream = new OtlpStream({ writes: h.service.onDidWrite, settings: () => settings, log: h.log, batchDelayMs: 5 });
    try {
      assert.equal(stream.current, undefined);
      settings.endpoint = 'ftp://example.com/v1/traces';
      stream.reconfigure();
      assert.equal(stream.current, undefined);
      assert.ok(h.log.lines.some((l) => l.includes('OTLP streaming is off: otlpEndpoint: expected an http:// or https:// URL')));
      settings.endpoint = receiver.url;
      settings.headers = { 'x-team': 'flotilla' };
      stream.reconfigure();
      h.fact('a1', { type: 'turn', phase: 'started' });
      h.fact('a1', { type: 'usage', model: 'claude-x', delta: usage(100, 20), requestId: 'r1' }, 100);
      h.fact('a1', { type: 'tool', phase: 'started', action: bash('ls', 'toolu_1') }, 1);
      h.service.writer.flush();
      h.fact('a1', { type: 'tool', phase: 'ended', action: bash('ls', 'toolu_1') }, 2);
      h.fact('a1', { type: 'turn', phase: 'ended' }, 3);
      h.service.writer.flush();
      await stream.current!.idle();
      // Model, tool and task, each once (the tool was written running first, then ended).
      assert.deepEqual([...receiver.accepted].sort(), ['Bash', 'claude-x', 'task']);
    } finally {
      stream.dispose();
      h.dispose();
    }
  });
});
