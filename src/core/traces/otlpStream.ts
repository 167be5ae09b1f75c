// The OTLP stream as a setting: off while `flotilla.traces.otlpEndpoint` is empty, an exporter fed by every span
// write while it is set, rebuilt when the settings change; a bad setting is logged naming the field, never thrown.
import type { TraceSpan } from '../../shared/webview/traceSpan';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';
import { OtlpExporter, OtlpSettingsSchema } from './otlpExporter';
import type { OtlpExporterOptions } from './otlpExporter';

export interface OtlpStreamOptions extends Partial<Omit<OtlpExporterOptions, 'settings' | 'log'>> {
  readonly writes: Event<readonly TraceSpan[]>;
  /** The raw settings, read at start and on `reconfigure()`. */
  readonly settings: () => { readonly endpoint?: unknown; readonly headers?: unknown };
  readonly log: Logger;
}

export class OtlpStream implements Disposable {
  private exporter: OtlpExporter | undefined;
  private readonly subscription: Disposable;

  constructor(private readonly options: OtlpStreamOptions) {
    this.reconfigure();
    this.subscription = options.writes((spans) => this.exporter?.put(spans));
  }

  get current(): OtlpExporter | undefined {
    return this.exporter;
  }

  reconfigure(): void {
    this.exporter?.dispose();
    this.exporter = undefined;
    const raw = this.options.settings();
    if (raw.endpoint === undefined || raw.endpoint === '' || raw.endpoint === null) return;
    const parsed = OtlpSettingsSchema.safeParse({ endpoint: raw.endpoint, headers: raw.headers ?? {} });
    if (!parsed.success) {
      this.options.log.warn(`traces: OTLP streaming is off: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      return;
    }
    const { writes: _w, settings: _s, ...tuning } = this.options;
    this.exporter = new OtlpExporter({ ...tuning, settings: parsed.data });
    this.options.log.info(`traces: streaming finished spans to ${parsed.data.endpoint} (OTLP/HTTP JSON)`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.exporter?.dispose();
    this.exporter = undefined;
  }
}
