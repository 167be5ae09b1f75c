// One agent's Claude Code transcripts, watched: each model request's tokens become a usage fact (per-request deltas,
// de-duplicated by message id + request id across reads), and an interruption line ("[Request interrupted by user",
// written on Escape, for which Claude Code sends no hook) ends the turn as interrupted. fs.watch with a short
// debounce, no polling; every hook event also triggers a read (the file may not exist at the first hook).
// After a reload the transcripts already counted are read again: only what the store does not have yet is reported,
// request by request (transcriptCatchUp.ts), or, for usage counted before requests were stored, the difference per
// model from the snapshot, so usage stays exact with add semantics. Every transcript of the agent (its
// sessions, forks, subagents' files) shares one set of counted requests, so a request repeated by a fork counts once.
// Each fact is one request, with its 1-hour cache writes apart, so the core prices it on its own (its own tier).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import type { Disposable } from '../../core/events';
import type { Logger } from '../../core/log';
import type { Usage } from '../../shared/agent';
import { errorMessage } from '../../shared/errorMessage';
import { claudeSubagentType } from './subagentMeta';
import { TranscriptCatchUp } from './transcriptCatchUp';
import type { StoredRequest } from './transcriptCatchUp';
import { TranscriptReader } from './transcriptReader';
import type { SeenRequests, TokenUsage, UsageDelta } from './transcriptReader';

/** Long enough to coalesce the burst of writes of one turn, short enough to end an interrupted turn within 2 s. */
export const TRANSCRIPT_DEBOUNCE_MS = 75;
/** How often a PreToolUse hook looks again for its call's line while it waits (readUntilToolUse). */
const TOOL_USE_POLL_MS = 15;

const toUsage = (u: TokenUsage): Usage => ({ input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheCreation });

interface Watched {
  readonly reader: TranscriptReader;
  watcher?: fs.FSWatcher;
  /** Until the file exists (Claude Code may write it only after the turn's last hook): its nearest folder. */
  folder?: { readonly path: string; readonly watcher: fs.FSWatcher };
  /** Read once already without reporting (known before this attach): its lines are history. */
  primed: boolean;
}

export interface TranscriptWatchOptions {
  readonly agentId: string;
  readonly sink: AgentSignalSink;
  readonly log: Logger;
  /**
   * Transcripts the agent had before this attach (a reload), with the usage the snapshot already counts and the
   * requests the store holds for the agent (absent: the difference per model is reported).
   */
  readonly known?: { readonly paths: readonly string[]; readonly counted: Readonly<Record<string, Usage>>; readonly stored?: readonly StoredRequest[] };
  /** An interruption line was read (default: report the turn interrupted). */
  readonly onInterrupt?: () => void;
}

export class TranscriptWatch implements Disposable {
  private readonly files = new Map<string, Watched>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> = Promise.resolve();
  private disposed = false;
  private baseline: Record<string, Usage> | undefined;
  private catchUp: TranscriptCatchUp | undefined;
  private readonly seen: SeenRequests = new Map();

  constructor(private readonly options: TranscriptWatchOptions) {
    if (options.known && options.known.paths.length > 0) {
      this.catchUp = options.known.stored ? TranscriptCatchUp.of(options.known.stored, options.known.counted) : undefined;
      if (!this.catchUp) this.baseline = { ...options.known.counted };
      if (options.known.stored && !this.catchUp) options.log.debug(`transcript of agent ${options.agentId}: the stored requests do not account for its usage (counted before they were kept); catching up per model`);
      for (const path of options.known.paths) this.track(path, false);
      this.schedule();
    }
  }

  /** A hook named this transcript: follow it (new ones are read from the start and reported whole). */
  follow(path: string): void {
    if (!this.files.has(path)) this.track(path, true);
    this.schedule(0);
  }

  /**
   * Reads until the assistant line that asked for tool call `toolUseId` has been read, so its request's usage is
   * reported before the call is decided (Claude Code 2.1.197 writes that line ~100 ms after its PreToolUse hook
   * starts). Gives up after `timeoutMs`; returns whether the line was seen.
   */
  async readUntilToolUse(toolUseId: string, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.read();
      if ([...this.files.values()].some((w) => w.reader.hasToolUse(toolUseId))) return true;
      if (this.disposed || Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, TOOL_USE_POLL_MS));
    }
  }

  /** Reads what every transcript gained; serialized, never rejects. */
  read(): Promise<void> {
    this.reading = this.reading.then(() => this.readNow()).catch((err: unknown) => this.options.log.warn(`transcript of agent ${this.options.agentId}: ${errorMessage(err)}`));
    return this.reading;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.files.values()) {
      w.watcher?.close();
      w.folder?.watcher.close();
    }
    this.files.clear();
  }

  /** A subagent and its type, read from Claude Code's file beside the main transcripts (subagentMeta.ts). */
  private subagentOf(subagent: string): { subagent: string; subagentType?: string } {
    const mains = [...this.files.keys()].filter((p) => !p.includes(`${nodePath.sep}subagents${nodePath.sep}`));
    const type = claudeSubagentType(mains, subagent);
    return type === undefined ? { subagent } : { subagent, subagentType: type };
  }

  private track(path: string, primed: boolean): void {
    this.files.set(path, { reader: new TranscriptReader(path, { log: this.options.log, seen: this.seen }), primed });
  }

  private schedule(ms = TRANSCRIPT_DEBOUNCE_MS): void {
    if (this.disposed || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, ms);
  }

  private watch(path: string, w: Watched): void {
    if (w.watcher || this.disposed) return;
    try {
      w.watcher = fs.watch(path, { persistent: false }, (kind) => {
        // Replaced (a rename): watch the new file at the next read.
        if (kind === 'rename') this.unwatch(w);
        this.schedule();
      });
      w.watcher.on('error', () => this.unwatch(w));
      w.folder?.watcher.close();
      w.folder = undefined;
    } catch {
      this.watchFolder(path, w);
    }
  }

  /** The file is not there yet: watch the nearest folder that is, so its creation is seen without polling. */
  private watchFolder(path: string, w: Watched): void {
    let dir = nodePath.dirname(path);
    for (let up = 0; up < 3 && !fs.existsSync(dir); up++) dir = nodePath.dirname(dir);
    if (w.folder?.path === dir) return;
    w.folder?.watcher.close();
    w.folder = undefined;
    try {
      const watcher = fs.watch(dir, { persistent: false }, () => this.schedule());
      watcher.on('error', () => watcher.close());
      w.folder = { path: dir, watcher };
    } catch {
      // Nothing to watch: the next hook reads it.
    }
  }

  private unwatch(w: Watched): void {
    w.watcher?.close();
    w.watcher = undefined;
  }

  private async readNow(): Promise<void> {
    const { agentId, sink } = this.options;
    const totals = new Map<string, Usage>();
    const primedNow: TranscriptReader[] = [];
    for (const [path, w] of this.files) {
      if (this.disposed) return;
      this.watch(path, w);
      const result = await w.reader.read();
      if (this.disposed) return;
      let deltas: readonly UsageDelta[] = result.deltas;
      let interrupts = result.interrupts.length > 0;
      if (!w.primed) {
        // History: counted before the reload. What the store lacks is reported request by request, or per model below.
        w.primed = true;
        if (!this.catchUp) {
          primedNow.push(w.reader);
          continue;
        }
        const catchUp = this.catchUp;
        deltas = result.deltas.flatMap((d) => catchUp.take(d) ?? []);
        interrupts = false;
      }
      for (const d of deltas) {
        sink.signal(agentId, {
          type: 'usage',
          model: d.model,
          delta: toUsage(d.usage),
          ...(d.requestId !== undefined ? { requestId: d.requestId } : {}),
          ...(d.usage.cacheCreation1h > 0 ? { cacheWrite1h: d.usage.cacheCreation1h } : {}),
          ...(d.subagent !== undefined ? this.subagentOf(d.subagent) : {}),
        });
      }
      if (interrupts) {
        if (this.options.onInterrupt) this.options.onInterrupt();
        else sink.signal(agentId, { type: 'turn', phase: 'interrupted', detail: 'interrupted by the user in the terminal' });
      }
    }
    if (primedNow.length > 0 && this.baseline) {
      for (const reader of primedNow) for (const [model, u] of reader.totalsByModel) totals.set(model, add(totals.get(model), toUsage(u)));
      for (const [model, total] of totals) {
        const gap = minus(total, this.baseline[model]);
        if (gap) sink.signal(agentId, { type: 'usage', model, delta: gap });
      }
      this.baseline = undefined;
    }
  }
}

function add(a: Usage | undefined, b: Usage): Usage {
  return a ? { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite } : b;
}

/** What `total` has beyond `counted` (never negative); undefined when nothing. */
function minus(total: Usage, counted: Usage | undefined): Usage | undefined {
  const c = counted ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  const gap = {
    input: Math.max(0, total.input - c.input),
    output: Math.max(0, total.output - c.output),
    cacheRead: Math.max(0, total.cacheRead - c.cacheRead),
    cacheWrite: Math.max(0, total.cacheWrite - c.cacheWrite),
  };
  return gap.input + gap.output + gap.cacheRead + gap.cacheWrite > 0 ? gap : undefined;
}
