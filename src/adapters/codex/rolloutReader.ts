// Incremental reader of a Codex rollout ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl): reads only the bytes
// added since the last call and yields what Flotilla needs from it: exact tokens per model response (from
// `token_usage_record`, de-duplicated by response id; `token_count.last_token_usage` for versions without records),
// the model (from `turn_context`), turns the user interrupted (`turn_aborted`), and turns that failed (`task_complete`
// with an `error`; Codex 0.171 runs no Stop hook then): at the quota wall with the reset time its rate_limits named.
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Usage } from '../../shared/agent';

export type RolloutEvent =
  | { readonly type: 'usage'; readonly model: string; readonly responseId: string; readonly delta: Usage }
  | { readonly type: 'interrupted'; readonly reason: string }
  /** `quota`: a usage or rate limit; `resetsAt` (epoch ms) only when a spent rate-limit window named its reset. */
  | { readonly type: 'failed'; readonly message: string; readonly quota?: { readonly resetsAt?: number } };

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
const WindowSchema = z.looseObject({ used_percent: z.number(), resets_at: z.number().int().positive().nullish() });
const RateLimitsSchema = z.looseObject({ primary: WindowSchema.nullish(), secondary: WindowSchema.nullish() });
const TaskErrorSchema = z.looseObject({ error: z.looseObject({ message: z.string().max(4096), codex_error_info: z.unknown().optional() }).nullish() });

/**
 * Codex 0.171's `codex_error_info` at the quota wall (recorded in test/unit/codex/quota): "usage_limit_exceeded", or
 * for a plain 429 after its retries {response_too_many_failed_attempts: {http_status_code: 429}}.
 */
function isQuota(info: unknown): boolean {
  if (info === 'usage_limit_exceeded' || info === 'rate_limit_exceeded') return true;
  const attempts = (info as { response_too_many_failed_attempts?: { http_status_code?: unknown } } | null)?.response_too_many_failed_attempts;
  return typeof info === 'object' && attempts?.http_status_code === 429;
}

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
  /** When the spent rate-limit windows of the last token_count reset (epoch ms; the latest of them); undefined: none spent. */
  private spentUntil: number | undefined;

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
      } else if (event.data.type === 'task_complete') {
        const task = TaskErrorSchema.safeParse(payload);
        const error = task.success ? task.data.error : undefined;
        // A turn's rate limits say nothing about the next turn's failure.
        const spentUntil = this.spentUntil;
        this.spentUntil = undefined;
        if (!error) return;
        const quota = isQuota(error.codex_error_info) ? (spentUntil !== undefined ? { resetsAt: spentUntil } : {}) : undefined;
        events.push({ type: 'failed', message: error.message, ...(quota ? { quota } : {}) });
      } else if (event.data.type === 'token_count') {
        this.rateLimits(payload);
        if (this.hasRecords) return;
        // Versions before token_usage_record: the token_count line after each response carries it, without an id.
        const count = TokenCountSchema.safeParse(payload);
        const last = count.success ? count.data.info?.last_token_usage : undefined;
        if (last) this.usage(`token_count#${++this.countLines}`, toUsage(last), events);
      }
    }
  }

  /** A window at 100 % is spent: the quota is back at the latest reset among the spent ones. */
  private rateLimits(payload: unknown): void {
    const limits = RateLimitsSchema.safeParse((payload as { rate_limits?: unknown }).rate_limits);
    if (!limits.success) return;
    const spent = [limits.data.primary, limits.data.secondary].filter((w) => w && w.used_percent >= 100 && w.resets_at);
    this.spentUntil = spent.length ? Math.max(...spent.map((w) => w!.resets_at! * 1000)) : undefined;
  }

  private usage(responseId: string, delta: Usage, events: RolloutEvent[]): void {
    if (this.seen.has(responseId)) return;
    this.seen.add(responseId);
    events.push({ type: 'usage', model: this.model, responseId, delta });
  }
}
