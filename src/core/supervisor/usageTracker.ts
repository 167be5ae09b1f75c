// Tokens and cost per agent, read from Claude Code transcripts. An agent's usage is recomputed as the sum over
// all its transcripts each time one grows, so a reader rebuilt after a window reload re-reads and never double counts.
import * as fs from 'node:fs';
import type { Disposable } from '../events';
import type { Logger } from '../log';
import type { Fleet } from '../fleet/fleet';
import type { PriceBook } from '../pricing/priceBook';
import { TranscriptReader } from '../../adapters/claudeCode/transcriptReader';
import type { Usage } from '../../shared/agent';

export class UsageTracker implements Disposable {
  /** agentId -> transcript path -> reader */
  private readonly readers = new Map<string, Map<string, TranscriptReader>>();
  /** Claude Code appends to the transcript after some hooks have fired (the last turn lands after Stop): watch it. */
  private readonly watchers = new Map<string, fs.FSWatcher>();

  constructor(
    private readonly fleet: Fleet,
    private readonly prices: PriceBook,
    private readonly log: Logger,
  ) {}

  /** Reads what the agent's transcripts gained and updates its totals. Safe to call on every hook event. */
  async poll(agentId: string, transcriptPath?: string): Promise<void> {
    const agent = this.fleet.get(agentId);
    if (!agent) return;
    let paths = agent.transcriptPaths;
    if (transcriptPath && !paths.includes(transcriptPath)) {
      paths = [...paths, transcriptPath];
      this.fleet.update(agentId, { transcriptPaths: paths, transcriptPath });
    }
    let readers = this.readers.get(agentId);
    if (!readers) this.readers.set(agentId, (readers = new Map()));
    for (const path of paths) {
      let reader = readers.get(path);
      if (!reader) readers.set(path, (reader = new TranscriptReader(path, { log: this.log })));
      // The file may not exist at the first hook of a session: keep trying until the watch holds.
      if (!this.watchers.has(`${agentId}\0${path}`)) this.watch(agentId, path);
      const result = await reader.read();
      for (const skipped of result.skipped) this.log.debug(`transcript ${path} @${skipped.offset}: ${skipped.reason}`);
    }
    this.publish(agentId, readers);
  }

  forget(agentId: string): void {
    for (const path of this.readers.get(agentId)?.keys() ?? []) this.unwatch(`${agentId}\0${path}`);
    this.readers.delete(agentId);
  }

  dispose(): void {
    for (const key of [...this.watchers.keys()]) this.unwatch(key);
    this.readers.clear();
  }

  private watch(agentId: string, path: string): void {
    const key = `${agentId}\0${path}`;
    try {
      const watcher = fs.watch(path, { persistent: false }, () => {
        void this.poll(agentId).catch((err: unknown) => this.log.warn(`transcript ${path}: ${err instanceof Error ? err.message : String(err)}`));
      });
      watcher.on('error', () => this.unwatch(key));
      this.watchers.set(key, watcher);
    } catch (err) {
      // Not there yet (or gone): the next hook event polls it anyway.
      this.log.debug(`cannot watch transcript ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private unwatch(key: string): void {
    this.watchers.get(key)?.close();
    this.watchers.delete(key);
  }

  private publish(agentId: string, readers: Map<string, TranscriptReader>): void {
    const byModel: Record<string, Usage> = {};
    for (const reader of readers.values()) {
      for (const [model, u] of reader.totalsByModel) {
        const acc = (byModel[model] ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
        acc.input += u.input;
        acc.output += u.output;
        acc.cacheRead += u.cacheRead;
        acc.cacheWrite += u.cacheCreation;
      }
    }
    let cost = 0;
    const unpriced: string[] = [];
    for (const [model, u] of Object.entries(byModel)) {
      const priced = this.prices.price(model, u);
      if (priced.ok) cost += priced.costUsd;
      else unpriced.push(model);
    }
    this.fleet.setUsage(agentId, byModel, cost, unpriced);
  }
}
