// The host's end of the Trace panel protocol, free of `vscode` so it runs in plain Node (tests, bench): waits for
// `ready`, sends the scope's spans (the first ones in the snapshot so the panel paints at once, the rest in `append`
// chunks on later turns), then batches newly written spans of that scope into `append` messages.
import type { TraceSpan } from './traceSpan';
import { parseTraceWebviewMessage } from './traceProtocol';
import type { TraceHostMessage } from './traceProtocol';

/** What the endpoint reads (TraceService fits it). */
export interface TraceSource {
  spans(agentId: string | undefined): TraceSpan[];
  onDidWrite(listener: (spans: readonly TraceSpan[]) => unknown): { dispose(): void };
}

export interface TraceHostOptions {
  readonly source: TraceSource;
  /** The agent shown; undefined: the whole fleet. */
  readonly agentId?: string;
  readonly title: string;
  readonly post: (message: TraceHostMessage) => unknown;
  readonly log: { warn(message: string): void; error(message: string | Error): void };
  /** Export of one trace (OTLP JSON); without it the panel's export is ignored. */
  readonly exportTrace?: (traceId: string) => unknown;
  /** The agent's scorecard as lines (sent with the snapshot and after each append); fleet timelines have none. */
  readonly scorecard?: (agentId: string) => readonly string[];
  /** Opens the diff of a file a span touched; without it the panel's file links do nothing. */
  readonly openFile?: (agentId: string, path: string) => unknown;
  readonly coalesceMs?: number;
  readonly now?: () => number;
}

/** Spans in the snapshot itself, then per `append` chunk of the rest: a 50k-span trace paints after the first. */
export const SNAPSHOT_FIRST_SPANS = 2_000;
export const SNAPSHOT_CHUNK_SPANS = 10_000;

export class TraceHostEndpoint {
  private ready = false;
  private disposed = false;
  private pending = new Map<string, TraceSpan>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The snapshot's spans not sent yet, and the keys sent live since (their chunked copy would be older). */
  private rest: TraceSpan[] = [];
  private restAt = 0;
  private readonly sentLive = new Set<string>();
  private lastScorecard: string | undefined;
  private chunkTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: { dispose(): void };

  constructor(private readonly options: TraceHostOptions) {
    this.subscription = options.source.onDidWrite((spans) => this.written(spans));
  }

  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = parseTraceWebviewMessage(raw);
    if (!parsed.ok) {
      this.options.log.warn(`Trace panel: ignored a message from the webview: ${parsed.error.message}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      this.detach();
      this.ready = true;
      const spans = this.options.source.spans(this.options.agentId);
      this.send({ type: 'snapshot', title: this.options.title, ...(this.options.agentId ? { agentId: this.options.agentId } : {}), spans: spans.slice(0, SNAPSHOT_FIRST_SPANS), now: this.now() });
      this.sendScorecard();
      this.rest = spans;
      this.restAt = SNAPSHOT_FIRST_SPANS;
      this.sendRest();
      return;
    }
    const what = message.type === 'export' ? 'export' : 'open file';
    try {
      const done = message.type === 'export' ? this.options.exportTrace?.(message.traceId) : this.options.openFile?.(message.agentId, message.path);
      Promise.resolve(done).catch((err: unknown) => this.options.log.error(`Trace panel: ${what} failed: ${String(err)}`));
    } catch (err) {
      this.options.log.error(`Trace panel: ${what} failed: ${String(err)}`);
    }
  }

  detach(): void {
    this.ready = false;
    this.lastScorecard = undefined;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.chunkTimer) clearTimeout(this.chunkTimer);
    this.chunkTimer = undefined;
    this.rest = [];
    this.sentLive.clear();
  }

  /** The next chunk of the snapshot, a turn later (so the panel paints between chunks), skipping spans sent live. */
  private sendRest(): void {
    if (this.restAt >= this.rest.length) {
      this.rest = [];
      this.sentLive.clear();
      return;
    }
    this.chunkTimer = setTimeout(() => {
      this.chunkTimer = undefined;
      const chunk = this.rest.slice(this.restAt, this.restAt + SNAPSHOT_CHUNK_SPANS).filter((s) => !this.sentLive.has(`${s.traceId}/${s.spanId}`));
      this.restAt += SNAPSHOT_CHUNK_SPANS;
      if (chunk.length > 0) this.send({ type: 'append', spans: chunk, now: this.now() });
      this.sendRest();
    }, 0);
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
    this.subscription.dispose();
  }

  private written(spans: readonly TraceSpan[]): void {
    if (!this.ready || this.disposed) return;
    for (const s of spans) if (this.options.agentId === undefined || s.agentId === this.options.agentId) this.pending.set(`${s.traceId}/${s.spanId}`, s);
    if (this.pending.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = [...this.pending.values()];
      this.pending.clear();
      if (this.rest.length > 0) for (const k of batch) this.sentLive.add(`${k.traceId}/${k.spanId}`);
      if (batch.length > 0) this.send({ type: 'append', spans: batch, now: this.now() });
      this.sendScorecard();
    }, this.options.coalesceMs ?? 100);
  }

  /** The agent's scorecard, when it changed since the last one sent; a failing source costs only the scorecard. */
  private sendScorecard(): void {
    const { agentId, scorecard } = this.options;
    if (agentId === undefined || !scorecard) return;
    let lines: string[];
    try {
      lines = scorecard(agentId).slice(0, 20).map((l) => (l.length > 500 ? `${l.slice(0, 499)}…` : l));
    } catch (err) {
      this.options.log.warn(`Trace panel: no scorecard: ${String(err)}`);
      return;
    }
    const key = lines.join('\n');
    if (key === this.lastScorecard) return;
    this.lastScorecard = key;
    this.send({ type: 'scorecard', lines });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private send(message: TraceHostMessage): void {
    if (!this.ready) return;
    try {
      Promise.resolve(this.options.post(message)).catch((err: unknown) => this.options.log.error(`Trace panel: could not post: ${String(err)}`));
    } catch (err) {
      this.options.log.error(`Trace panel: could not post: ${String(err)}`);
    }
  }
}
