// OTLP streaming cost (`npx tsx bench/otlpExport.ts [--spans 20000] [--rate 2000]`): finished spans put into a real
// OtlpExporter at a steady rate, posted to a local node:http OTLP receiver in this process. Prints the cost of put()
// per span, the event-loop lag while streaming against the same loop with the exporter off, delivered spans/s, batch
// count, and, with the receiver answering 503 throughout, how the bounded queue keeps memory flat (dropped counts).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { OtlpExporter } from '../src/core/traces/otlpExporter';
import type { Logger } from '../src/core/log';
import type { TraceSpan } from '../src/shared/webview/traceSpan';
import { numberArg } from './benchKit';

const total = numberArg('spans', 20_000);
const rate = numberArg('rate', 2_000);
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let received = 0;
let status = 200;
const server = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    if (status === 200 && bytes > 0) received++;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
});

const span = (i: number): TraceSpan => ({
  traceId: 'f'.repeat(32),
  spanId: `s${i}`,
  agentId: 'bench',
  kind: i % 3 === 0 ? 'model' : 'tool',
  name: i % 3 === 0 ? 'claude-sonnet-4-5' : 'Bash',
  start: 1_767_225_600_000 + i,
  end: 1_767_225_600_000 + i + 40,
  status: 'ok',
  ...(i % 3 === 0 ? { tokens: { input: 1200, output: 80, cacheRead: 900, cacheWrite: 0 }, costUsd: 0.002, model: 'claude-sonnet-4-5' } : {}),
  attributes: { 'tool.input': `npm test -- --grep case-${i}`, 'tool.use_id': `toolu_${i}` },
});

/** Puts `total` spans in ticks of 10 ms at `rate`/s; returns put() times (ms per tick) and the loop lag histogram. */
async function drive(exporter: OtlpExporter | undefined, offset: number): Promise<{ putMs: number; lagP99: number; lagMax: number; seconds: number }> {
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const perTick = Math.max(1, Math.round(rate / 100));
  let putMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < total; i += perTick) {
    const batch = Array.from({ length: Math.min(perTick, total - i) }, (_, k) => span(offset + i + k));
    const p0 = performance.now();
    exporter?.put(batch);
    putMs += performance.now() - p0;
    await new Promise((r) => setTimeout(r, 10));
  }
  if (exporter) await exporter.idle();
  const seconds = (performance.now() - t0) / 1000;
  lag.disable();
  return { putMs, lagP99: lag.percentile(99) / 1e6, lagMax: lag.max / 1e6, seconds };
}

async function main(): Promise<void> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  const idle = await drive(undefined, 0);
  const exporter = new OtlpExporter({ settings: { endpoint: url, headers: {} }, log: quiet, batchDelayMs: 200 });
  const on = await drive(exporter, 0);
  console.log(`spans ${total} at ${rate}/s, batches of up to 256 every 200 ms`);
  console.log(`put(): ${((on.putMs / total) * 1000).toFixed(2)} µs per span (${on.putMs.toFixed(1)} ms in all)`);
  console.log(`event-loop lag p99: ${on.lagP99.toFixed(2)} ms streaming vs ${idle.lagP99.toFixed(2)} ms off (max ${on.lagMax.toFixed(1)} vs ${idle.lagMax.toFixed(1)} ms); ratio ${(on.lagP99 / idle.lagP99).toFixed(2)}`);
  console.log(`delivered: ${exporter.stats.sent} spans in ${exporter.stats.batches} batches (${received} requests), ${(exporter.stats.sent / on.seconds).toFixed(0)} spans/s`);
  exporter.dispose();

  // The endpoint is down (503 forever): the queue stays bounded, the oldest spans go.
  status = 503;
  const down = new OtlpExporter({ settings: { endpoint: url, headers: {} }, log: quiet, batchDelayMs: 200, backoffMs: 50, maxBackoffMs: 200, maxAttempts: 1_000_000 });
  const heap0 = process.memoryUsage().heapUsed;
  const downRun = drive(down, total);
  await Promise.race([downRun, new Promise((r) => setTimeout(r, (total / rate) * 1000 + 500))]);
  console.log(`endpoint down: ${down.pending} spans held (bound 2048 + a batch of 256), ${down.stats.dropped} dropped, ${down.stats.retries} retries; heap +${((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1)} MB`);
  down.dispose();
  server.close();
}

void main();
