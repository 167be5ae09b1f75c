// Incremental reader of a Codex rollout ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl): reads only the bytes
// added since the last call and yields what Flotilla needs from it: exact tokens per model response (from
// `token_usage_record`, de-duplicated by response id; `token_count.last_token_usage` for versions without records),
// the model (from `turn_context`), and turns the user interrupted (`turn_aborted`).
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Usage } from '../../shared/agent';

export type RolloutEvent =
  | { readonly type: 'usage'; readonly model: string; readonly responseId: string; readonly delta: Usage }
  | { readonly type: 'interrupted'; readonly reason: string };

const CHUNK_BYTES = 1024 * 1024;
/** A line longer than this is not one Flotilla needs (tool outputs, instructions): skipped, never buffered. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
const UNKNOWN_MODEL = 'codex';

const Count = z.number().int().nonnegative().nullish().transform((n) => n ?? 0);
const TokenUsageSchema = z.looseObject({
  input_tokens: Count,
  cached_input_tokens: Count,
  cache_write_input_tokens: Count,
  output_tokens: Count,
});
const LineSchema = z.looseObject({ type: z.string(), payload: z.looseObject({}).optional() });
const RecordSchema = z.looseObject({ response_id: z.string().min(1).max(256), usage: TokenUsageSchema });
const TurnContextSchema = z.looseObject({ model: z.string().min(1).max(256) });
const EventSchema = z.looseObject({ type: z.string() });
const TokenCountSchema = z.looseObject({ info: z.looseObject({ last_token_usage: TokenUsageSchema }).nullish() });
const AbortedSchema = z.looseObject({ reason: z.string().max(256).optional() });

/** OpenAI counts cached input inside input_tokens; Flotilla's `input` is the uncached part (as for Claude). */
function toUsage(u: z.infer<typeof TokenUsageSchema>): Usage {
  const cacheRead = Math.min(u.cached_input_tokens, u.input_tokens);
  return { input: u.input_tokens - cacheRead, cacheRead, cacheWrite: u.cache_write_input_tokens, output: u.output_tokens };
}

export class RolloutReader {
  private offset = 0;
  private remainder: Buffer = Buffer.alloc(0);
  private skipping = false;
  private model = UNKNOWN_MODEL;
  private hasRecords = false;
  private countLines = 0;
  private readonly seen = new Set<string>();

  constructor(readonly path: string) {}

  /** Passes over what the file holds now (an agent found again after a reload: that usage was counted before). */
  async skipToEnd(): Promise<void> {
    await this.read();
  }

  /** New events since the last call; a missing file yields nothing (Codex creates it at the first turn). */
  async read(): Promise<RolloutEvent[]> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch {
      return [];
    }
    if (size < this.offset) {
      // Replaced or truncated: start again; response ids already seen are not counted twice.
      this.offset = 0;
      this.remainder = Buffer.alloc(0);
      this.skipping = false;
    }
    if (size === this.offset) return [];
    const events: RolloutEvent[] = [];
    const file = await open(this.path, 'r');
    try {
      while (this.offset < size) {
        const buf = Buffer.alloc(Math.min(CHUNK_BYTES, size - this.offset));
        const { bytesRead } = await file.read(buf, 0, buf.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.consume(buf.subarray(0, bytesRead), events);
      }
    } finally {
      await file.close();
    }
    return events;
  }

  private consume(chunk: Buffer, events: RolloutEvent[]): void {
    let data = this.remainder.length ? Buffer.concat([this.remainder, chunk]) : chunk;
    let nl: number;
    while ((nl = data.indexOf(10)) >= 0) {
      const line = data.subarray(0, nl);
      data = data.subarray(nl + 1);
      if (this.skipping) this.skipping = false;
      else this.line(line.toString('utf8'), events);
    }
    if (data.length > MAX_LINE_BYTES) {
      this.skipping = true;
      data = Buffer.alloc(0);
    }
    this.remainder = this.skipping ? Buffer.alloc(0) : Buffer.from(data);
  }

  private line(text: string, events: RolloutEvent[]): void {
    if (!text.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const line = LineSchema.safeParse(json);
    if (!line.success || !line.data.payload) return;
    const { type, payload } = line.data;
    if (type === 'turn_context') {
      const ctx = TurnContextSchema.safeParse(payload);
      if (ctx.success) this.model = ctx.data.model;
    } else if (type === 'token_usage_record') {
      const record = RecordSchema.safeParse(payload);
      if (!record.success) return;
      this.hasRecords = true;
      this.usage(record.data.response_id, toUsage(record.data.usage), events);
    } else if (type === 'event_msg') {
      const event = EventSchema.safeParse(payload);
      if (!event.success) return;
      if (event.data.type === 'turn_aborted') {
        const aborted = AbortedSchema.safeParse(payload);
        events.push({ type: 'interrupted', reason: (aborted.success && aborted.data.reason) || 'interrupted' });
      } else if (event.data.type === 'token_count' && !this.hasRecords) {
        // Versions before token_usage_record: the token_count line after each response carries it, without an id.
        const count = TokenCountSchema.safeParse(payload);
        const last = count.success ? count.data.info?.last_token_usage : undefined;
        if (last) this.usage(`token_count#${++this.countLines}`, toUsage(last), events);
      }
    }
  }

  private usage(responseId: string, delta: Usage, events: RolloutEvent[]): void {
    if (this.seen.has(responseId)) return;
    this.seen.add(responseId);
    events.push({ type: 'usage', model: this.model, responseId, delta });
  }
}
