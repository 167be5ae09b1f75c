// Incremental reader of a Claude Code transcript (JSONL at a hook's transcript_path): reads only the bytes added
// since the last call, and turns assistant lines into per-request token usage, de-duplicated and summed per model.
// Readers of one agent share their `seen` requests: a forked session (`--resume --fork-session`) repeats its parent's
// lines with the same message and request ids, and those count once across every transcript of the agent.
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../../core/log';

export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  /** Cache writes, 5-minute and 1-hour together. */
  readonly cacheCreation: number;
  /** Of `cacheCreation`, the 1-hour writes (`usage.cache_creation.ephemeral_1h_input_tokens`; they cost more). */
  readonly cacheCreation1h: number;
  readonly cacheRead: number;
}

export interface UsageDelta {
  readonly model: string;
  readonly messageId: string;
  /** Absent when the transcript line has none (old versions, some gateways). */
  readonly requestId?: string;
  readonly timestamp?: string;
  /** The subagent that made the request (the line's `agentId`: Claude Code writes each subagent to its own file). */
  readonly subagent?: string;
  /** Tokens newly seen for this request: the whole request the first time, a correction if a later line grows. */
  readonly usage: TokenUsage;
}

export interface SkippedLine {
  /** Byte offset of the line's start in the file. */
  readonly offset: number;
  readonly reason: string;
}

export interface TranscriptReadResult {
  readonly deltas: readonly UsageDelta[];
  /** User lines that record an interruption (Escape in the terminal; Claude Code sends no hook for it), in order. */
  readonly interrupts: readonly string[];
  readonly skipped: readonly SkippedLine[];
  /** The file shrank or was replaced, so it was read again from the start. */
  readonly restarted: boolean;
}

export const ZERO_USAGE: TokenUsage = { input: 0, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 };
const SYNTHETIC_MODEL = '<synthetic>';
const CHUNK_BYTES = 1024 * 1024;
/** A line this long without a newline is not a transcript line; it is dropped rather than buffered forever. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

const Count = z.number().int().nonnegative().nullish().transform((n) => n ?? 0);
const AssistantLineSchema = z.looseObject({
  type: z.literal('assistant'),
  requestId: z.string().max(256).optional(),
  timestamp: z.string().max(64).optional(),
  agentId: z.string().max(256).optional(),
  message: z.looseObject({
    id: z.string().min(1).max(256),
    model: z.string().min(1).max(256),
    usage: z.looseObject({
      input_tokens: Count,
      output_tokens: Count,
      cache_creation_input_tokens: Count,
      cache_read_input_tokens: Count,
      cache_creation: z.looseObject({ ephemeral_1h_input_tokens: Count }).nullish(),
    }),
  }),
});

/** Claude Code's marker for an interruption: "[Request interrupted by user]" or "... for tool use]". */
export const INTERRUPT_MARKER = '[Request interrupted by user';

const UserLineSchema = z.looseObject({
  message: z.looseObject({
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]),
  }),
});

/** The interruption text of a user line, if it is one. */
function interruptMarker(json: unknown): string | undefined {
  const parsed = UserLineSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const content = parsed.data.message.content;
  const texts = typeof content === 'string' ? [content] : content.filter((c) => c.type === 'text').map((c) => c.text ?? '');
  return texts.find((t) => t.trimStart().startsWith(INTERRUPT_MARKER))?.trim().slice(0, 200);
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheCreation: a.cacheCreation + b.cacheCreation,
    cacheCreation1h: a.cacheCreation1h + b.cacheCreation1h,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

const isZero = (u: TokenUsage): boolean => u.input === 0 && u.output === 0 && u.cacheCreation === 0 && u.cacheCreation1h === 0 && u.cacheRead === 0;

/** Largest usage seen per request (message id + request id); share one between the readers of one agent. */
export type SeenRequests = Map<string, TokenUsage>;

export interface TranscriptReaderOptions {
  readonly log?: Logger;
  /** Requests already counted by the agent's other transcripts (forks repeat them): they count once. */
  readonly seen?: SeenRequests;
}

export class TranscriptReader {
  private offset = 0;
  private inode: number | undefined;
  private remainder: Buffer = Buffer.alloc(0);
  /** Largest usage seen per request: lines of one request repeat it (one line per content block). */
  private readonly seen: SeenRequests;
  private readonly perModel = new Map<string, TokenUsage>();
  private reading: Promise<TranscriptReadResult> | undefined;
  /** The last tool_use ids of assistant lines read (a PreToolUse hook waits for its call's line: its usage). */
  private readonly toolUses = new Set<string>();

  constructor(
    readonly path: string,
    private readonly options: TranscriptReaderOptions = {},
  ) {
    this.seen = options.seen ?? new Map();
  }

  /** Bytes of the file consumed so far (complete lines only). */
  get bytesRead(): number {
    return this.offset;
  }

  get totalsByModel(): ReadonlyMap<string, TokenUsage> {
    return this.perModel;
  }

  get total(): TokenUsage {
    let sum = ZERO_USAGE;
    for (const usage of this.perModel.values()) sum = addUsage(sum, usage);
    return sum;
  }

  /** Whether an assistant line asking for this tool call has been read (among the last 256). */
  hasToolUse(id: string): boolean {
    return this.toolUses.has(id);
  }

  /** Reads what was appended since the last call. Calls are serialized; a missing file reads as empty. */
  read(): Promise<TranscriptReadResult> {
    const next = (this.reading ?? Promise.resolve()).then(
      () => this.readNow(),
      () => this.readNow(),
    );
    this.reading = next;
    return next;
  }

  private async readNow(): Promise<TranscriptReadResult> {
    let info;
    try {
      info = await stat(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { deltas: [], interrupts: [], skipped: [], restarted: false };
      throw err;
    }
    let restarted = false;
    if (info.size < this.offset || (this.inode !== undefined && info.ino !== this.inode)) {
      // Truncated or replaced: read again from the top. `seen` stays, so lines already counted count zero.
      this.options.log?.info(`transcript ${this.path} shrank or was replaced; reading it again from the start`);
      this.offset = 0;
      this.remainder = Buffer.alloc(0);
      restarted = true;
    }
    this.inode = info.ino;
    const deltas: UsageDelta[] = [];
    const interrupts: string[] = [];
    const skipped: SkippedLine[] = [];
    if (info.size === this.offset) return { deltas, interrupts, skipped, restarted };

    const handle = await open(this.path, 'r');
    try {
      const end = info.size;
      let position = this.offset + this.remainder.length;
      while (position < end) {
        const buf = Buffer.alloc(Math.min(CHUNK_BYTES, end - position));
        const { bytesRead } = await handle.read(buf, 0, buf.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        this.consume(buf.subarray(0, bytesRead), { deltas, interrupts, skipped });
      }
    } finally {
      await handle.close();
    }
    return { deltas, interrupts, skipped, restarted };
  }

  private consume(chunk: Buffer, out: { deltas: UsageDelta[]; interrupts: string[]; skipped: SkippedLine[] }): void {
    const { skipped } = out;
    let data = this.remainder.length > 0 ? Buffer.concat([this.remainder, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.handleLine(data.subarray(start, nl).toString('utf8'), this.offset, out);
      this.offset += nl + 1 - start;
      start = nl + 1;
    }
    data = data.subarray(start);
    if (data.length > MAX_LINE_BYTES) {
      this.skip(skipped, this.offset, `line longer than ${MAX_LINE_BYTES} bytes without a newline; dropped`);
      this.offset += data.length;
      data = Buffer.alloc(0);
    }
    // Copy: the remainder must not pin the whole chunk.
    this.remainder = Buffer.from(data);
  }

  private skip(skipped: SkippedLine[], offset: number, reason: string): void {
    skipped.push({ offset, reason });
    this.options.log?.warn(`transcript ${this.path} @${offset}: ${reason}`);
  }

  private noteToolUses(json: unknown): void {
    const content = (json as { message?: { content?: unknown } }).message?.content;
    if (!Array.isArray(content)) return;
    for (const block of content as { type?: unknown; id?: unknown }[]) {
      if (block?.type !== 'tool_use' || typeof block.id !== 'string') continue;
      this.toolUses.add(block.id);
      if (this.toolUses.size > 256) this.toolUses.delete(this.toolUses.values().next().value as string);
    }
  }

  private handleLine(text: string, offset: number, { deltas, interrupts, skipped }: { deltas: UsageDelta[]; interrupts: string[]; skipped: SkippedLine[] }): void {
    if (text.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.skip(skipped, offset, 'not JSON');
      return;
    }
    const type = (json as { type?: unknown } | null)?.type;
    if (type === 'user') {
      const marker = interruptMarker(json);
      if (marker !== undefined) interrupts.push(marker);
      return;
    }
    if (type !== 'assistant') return;
    this.noteToolUses(json);
    const parsed = AssistantLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.skip(skipped, offset, `assistant line: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const { message, requestId, timestamp, agentId } = parsed.data;
    // Claude Code's own placeholders (interruptions, errors) cost nothing.
    if (message.model === SYNTHETIC_MODEL) return;
    const now: TokenUsage = {
      input: message.usage.input_tokens,
      output: message.usage.output_tokens,
      cacheCreation: message.usage.cache_creation_input_tokens,
      // Never more than the total: a gateway that reports the parts without the sum is priced as 5-minute writes.
      cacheCreation1h: Math.min(message.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, message.usage.cache_creation_input_tokens),
      cacheRead: message.usage.cache_read_input_tokens,
    };
    const key = `${message.id}\u0000${requestId ?? ''}`;
    const before = this.seen.get(key) ?? ZERO_USAGE;
    const max: TokenUsage = {
      input: Math.max(before.input, now.input),
      output: Math.max(before.output, now.output),
      cacheCreation: Math.max(before.cacheCreation, now.cacheCreation),
      cacheCreation1h: Math.max(before.cacheCreation1h, now.cacheCreation1h),
      cacheRead: Math.max(before.cacheRead, now.cacheRead),
    };
    const delta: TokenUsage = {
      input: max.input - before.input,
      output: max.output - before.output,
      cacheCreation: max.cacheCreation - before.cacheCreation,
      cacheCreation1h: max.cacheCreation1h - before.cacheCreation1h,
      cacheRead: max.cacheRead - before.cacheRead,
    };
    this.seen.set(key, max);
    if (isZero(delta)) return;
    this.perModel.set(message.model, addUsage(this.perModel.get(message.model) ?? ZERO_USAGE, delta));
    deltas.push({
      model: message.model,
      messageId: message.id,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(agentId !== undefined ? { subagent: agentId } : {}),
      usage: delta,
    });
  }
}
