// Batched span writes: the recorder puts a span each time it changes; the writer keeps the latest version of each
// and stores them together, in one transaction per batch (every `flushMs`, or at once past `maxBatch` spans), then
// tells listeners (the Trace panel) what was written.
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';
import type { FleetStore } from '../store/store';
import type { TraceSpan } from '../../shared/webview/traceSpan';
import { checkedSpan, spanToInput } from './spanRows';

export interface SpanWriterOptions {
  readonly store: Pick<FleetStore, 'transaction' | 'insertSpan'>;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly flushMs?: number;
  readonly maxBatch?: number;
}

export class SpanWriter implements Disposable {
  private pending = new Map<string, TraceSpan>();
  private timer: unknown;
  private readonly clock: Clock;
  private readonly _onDidWrite = new Emitter<readonly TraceSpan[]>();
  readonly onDidWrite: Event<readonly TraceSpan[]> = this._onDidWrite.event;
  /** Batches written so far (a figure for tests and the bench). */
  batches = 0;

  constructor(private readonly options: SpanWriterOptions) {
    this.clock = options.clock ?? systemClock;
  }

  put(span: TraceSpan): void {
    this.pending.set(`${span.traceId}/${span.spanId}`, checkedSpan(span));
    if (this.pending.size >= (this.options.maxBatch ?? 500)) this.flush();
    else this.timer ??= this.clock.setTimeout(() => this.flush(), this.options.flushMs ?? 250);
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const spans = [...this.pending.values()];
    this.pending = new Map();
    try {
      this.options.store.transaction(() => {
        for (const span of spans) this.options.store.insertSpan(spanToInput(span));
      });
      this.batches++;
    } catch (err) {
      this.options.log.error(`traces: ${spans.length} spans could not be stored: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this._onDidWrite.fire(spans);
  }

  dispose(): void {
    this.flush();
    this._onDidWrite.dispose();
  }
}
