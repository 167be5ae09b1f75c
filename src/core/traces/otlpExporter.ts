// Streams finished spans to an OTLP/HTTP endpoint the user runs (their collector), as OTLP JSON (otlpJson.ts's
// mapping): each finished span once, in batches, from a bounded queue (full: the oldest spans go, counted and logged),
// retried with backoff on 5xx, 429 and network errors (Retry-After honoured), never on another 4xx, with a timeout per
// request. Everything runs on timers and promises: putting a span costs an array push, so the extension never waits.
import { z } from 'zod';
import type { TraceSpan } from '../../shared/webview/traceSpan';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import { toOtlpJson } from './otlpJson';

/** `flotilla.traces.otlpEndpoint` / `otlpHeaders`, checked: an http(s) URL, string headers. */
export const OtlpSettingsSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: 'otlpEndpoint: expected an http:// or https:// URL' }),
  headers: z.record(z.string().min(1), z.string(), { error: 'otlpHeaders: expected an object of header names to text' }).default({}),
});
export type OtlpSettings = z.infer<typeof OtlpSettingsSchema>;

export interface OtlpExporterOptions {
  readonly settings: OtlpSettings;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Spans waiting to be sent; past it the oldest are dropped. */
  readonly maxQueue?: number;
  readonly maxBatch?: number;
  /** How long a first span waits for others before its batch goes. */
  readonly batchDelayMs?: number;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Sends of one batch before it is given up (and counted as failed). */
  readonly maxAttempts?: number;
  /** Finished spans remembered so an update of a sent span is not sent again. */
  readonly maxRemembered?: number;
  readonly version?: string;
}

/** What the exporter did so far (figures for tests, the log and a status line). */
export interface OtlpExporterStats {
  sent: number;
  batches: number;
  dropped: number;
  rejected: number;
  failed: number;
  retries: number;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type Outcome = { kind: 'ok' } | { kind: 'retry'; why: string; afterMs?: number } | { kind: 'reject'; why: string };

export class OtlpExporter implements Disposable {
  readonly stats: OtlpExporterStats = { sent: 0, batches: 0, dropped: 0, rejected: 0, failed: 0, retries: 0 };
  private queue: TraceSpan[] = [];
  private inflight: TraceSpan[] | undefined;
  private attempts = 0;
  private timer: unknown;
  private readonly remembered = new Set<string>();
  private droppedUnlogged = 0;
  private readonly abort = new AbortController();
  /** Ends a backoff wait early (dispose). */
  private wake: (() => void) | undefined;
  private disposed = false;
  private readonly clock: Clock;
  private readonly o: Required<Omit<OtlpExporterOptions, 'settings' | 'log' | 'clock' | 'fetch'>>;
  /** Settles when the exporter has nothing to send (for tests and shutdown). */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: OtlpExporterOptions) {
    this.clock = options.clock ?? systemClock;
    this.o = {
      maxQueue: options.maxQueue ?? 2048,
      maxBatch: options.maxBatch ?? 256,
      batchDelayMs: options.batchDelayMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 10_000,
      backoffMs: options.backoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 8,
      maxRemembered: options.maxRemembered ?? 50_000,
      version: options.version ?? '0.0.0',
    };
  }

  /** Spans as the store wrote them: the finished ones not sent before are queued. */
  put(spans: readonly TraceSpan[]): void {
    if (this.disposed) return;
    for (const span of spans) {
      if (span.status === 'running') continue;
      const key = `${span.traceId}/${span.spanId}`;
      if (this.remembered.has(key)) continue;
      this.remember(key);
      this.queue.push(span);
      if (this.queue.length > this.o.maxQueue) {
        this.queue.shift();
        this.stats.dropped++;
        this.droppedUnlogged++;
      }
    }
    if (this.droppedUnlogged > 0) {
      this.options.log.warn(`traces: OTLP queue full (${this.o.maxQueue} spans): dropped the ${this.droppedUnlogged} oldest (${this.stats.dropped} so far); is ${this.options.settings.endpoint} slow or down?`);
      this.droppedUnlogged = 0;
    }
    if (this.queue.length > 0 && this.inflight === undefined && this.timer === undefined) {
      this.schedule(this.queue.length >= this.o.maxBatch ? 0 : this.o.batchDelayMs);
    }
  }

  /** Spans waiting, the batch being sent included. */
  get pending(): number {
    return this.queue.length + (this.inflight?.length ?? 0);
  }

  /** Resolves once nothing is waiting or being sent (sends what waits now). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    if (this.inflight === undefined) this.schedule(0);
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    this.wake?.();
    if (this.pending > 0) this.options.log.info(`traces: OTLP export stopped with ${this.pending} spans unsent`);
    this.settleIdle();
  }

  private remember(key: string): void {
    this.remembered.add(key);
    if (this.remembered.size > this.o.maxRemembered) {
      const oldest = this.remembered.values().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, ms);
  }

  private async pump(): Promise<void> {
    if (this.disposed || this.inflight !== undefined) return;
    if (this.queue.length === 0) return this.settleIdle();
    const batch = this.queue.splice(0, this.o.maxBatch);
    this.inflight = batch;
    this.attempts = 0;
    while (!this.disposed) {
      this.attempts++;
      const outcome = await this.send(batch);
      if (this.disposed) return;
      if (outcome.kind === 'ok') {
        this.stats.sent += batch.length;
        this.stats.batches++;
        break;
      }
      if (outcome.kind === 'reject') {
        this.stats.rejected += batch.length;
        this.options.log.error(`traces: OTLP endpoint refused ${batch.length} spans (${outcome.why}); not retried`);
        break;
      }
      if (this.attempts >= this.o.maxAttempts) {
        this.stats.failed += batch.length;
        this.options.log.error(`traces: gave up sending ${batch.length} spans to the OTLP endpoint after ${this.attempts} attempts (${outcome.why})`);
        break;
      }
      this.stats.retries++;
      const backoff = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** (this.attempts - 1));
      // Jitter keeps a fleet of windows from retrying in step; a server's Retry-After wins (bounded by the max).
      const wait = outcome.afterMs !== undefined ? Math.min(outcome.afterMs, this.o.maxBackoffMs) : backoff / 2 + Math.random() * (backoff / 2);
      this.options.log.warn(`traces: OTLP export failed (${outcome.why}); retry ${this.attempts} in ${Math.round(wait)} ms`);
      await new Promise<void>((resolve) => {
        // dispose() clears the timer and wakes the loop, which then ends.
        this.wake = resolve;
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          resolve();
        }, wait);
      });
      this.wake = undefined;
    }
    this.inflight = undefined;
    if (this.queue.length > 0) this.schedule(this.queue.length >= this.o.maxBatch ? 0 : this.idleWaiters.length > 0 ? 0 : this.o.batchDelayMs);
    else this.settleIdle();
  }

  private async send(batch: readonly TraceSpan[]): Promise<Outcome> {
    const fetchFn = this.options.fetch ?? fetch;
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    try {
      const response = await fetchFn(this.options.settings.endpoint, {
        method: 'POST',
        headers: { ...this.options.settings.headers, 'content-type': 'application/json' },
        body: JSON.stringify(toOtlpJson(batch, this.o.version)),
        signal: AbortSignal.any([timeout, this.abort.signal]),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) {
        this.partialSuccess(text);
        return { kind: 'ok' };
      }
      const why = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (response.status === 429 || response.status >= 500) {
        const afterMs = retryAfterMs(response.headers.get('retry-after'), this.clock.now());
        return { kind: 'retry', why, ...(afterMs !== undefined ? { afterMs } : {}) };
      }
      return { kind: 'reject', why };
    } catch (err) {
      const why = timeout.aborted ? `no answer within ${this.o.timeoutMs} ms` : err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
      return { kind: 'retry', why };
    }
  }

  /** OTLP's partial success: the endpoint kept the batch but refused some spans; say so. */
  private partialSuccess(text: string): void {
    if (!text) return;
    try {
      const body = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } };
      const rejected = Number(body.partialSuccess?.rejectedSpans ?? 0);
      if (rejected > 0) {
        this.stats.rejected += rejected;
        this.options.log.warn(`traces: OTLP endpoint rejected ${rejected} spans: ${body.partialSuccess?.errorMessage ?? 'no reason given'}`);
      }
    } catch {
      // Not JSON (a protobuf-only endpoint answering 200): nothing to read.
    }
  }

  private settleIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
