// The host's end of the Trace panel protocol, free of `vscode` so it runs in plain Node (tests, bench): waits for
// `ready`, sends the scope's spans, then batches newly written spans of that scope into `append` messages.
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
  /** Opens the diff of a file a span touched; without it the panel's file links do nothing. */
  readonly openFile?: (agentId: string, path: string) => unknown;
  readonly coalesceMs?: number;
  readonly now?: () => number;
}

export class TraceHostEndpoint {
  private ready = false;
  private disposed = false;
  private pending = new Map<string, TraceSpan>();
  private timer: ReturnType<typeof setTimeout> | undefined;
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
      this.ready = true;
      this.pending.clear();
      this.send({ type: 'snapshot', title: this.options.title, ...(this.options.agentId ? { agentId: this.options.agentId } : {}), spans: this.options.source.spans(this.options.agentId), now: this.now() });
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
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
      if (batch.length > 0) this.send({ type: 'append', spans: batch, now: this.now() });
    }, this.options.coalesceMs ?? 100);
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
