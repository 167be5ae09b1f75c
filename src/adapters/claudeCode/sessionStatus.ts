// Claude Code's own status per running process: `<config dir>/sessions/<pid>.json` with `sessionId` and `status`
// (busy | shell | idle | waiting; read from Claude Code 2.1.197, which writes it for its peers). An Escape before the
// model answered writes no transcript line and fires no hook; only this file goes from busy to idle. One watcher per
// sessions folder (shared by the agents using that config dir), reading only the file that changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Disposable } from '../../core/events';
import type { Logger } from '../../core/log';

export const CLAUDE_SESSION_STATUSES = ['busy', 'shell', 'idle', 'waiting'] as const;
export type ClaudeSessionStatus = (typeof CLAUDE_SESSION_STATUSES)[number];

const PidFileSchema = z.looseObject({ sessionId: z.string().max(256), status: z.enum(CLAUDE_SESSION_STATUSES).optional(), waitingFor: z.string().max(256).optional() });

/** The sessions folder of the config dir a transcript lives in (`<config>/projects/<slug>/<id>.jsonl`). */
export function sessionsDirOf(transcriptPath: string): string {
  return path.join(path.dirname(path.dirname(path.dirname(transcriptPath))), 'sessions');
}

export type StatusListener = (status: ClaudeSessionStatus, waitingFor: string | undefined) => void;

interface Folder {
  watcher?: fs.FSWatcher;
  readonly listeners: Map<string, Set<StatusListener>>;
  readonly last: Map<string, ClaudeSessionStatus>;
}

export class ClaudeSessionStatuses implements Disposable {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly log: Logger) {}

  /** Calls `listener` when the session's status changes. Watching starts when the folder exists. */
  follow(dir: string, sessionId: string, listener: StatusListener): Disposable {
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = { listeners: new Map(), last: new Map() }));
    let set = folder.listeners.get(sessionId);
    if (!set) folder.listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    this.watch(dir, folder);
    const f = folder;
    return {
      dispose: () => {
        f.listeners.get(sessionId)?.delete(listener);
        if (f.listeners.get(sessionId)?.size === 0) f.listeners.delete(sessionId);
        if (f.listeners.size === 0) {
          f.watcher?.close();
          this.folders.delete(dir);
        }
      },
    };
  }

  /** Retry a folder that did not exist at the first follow (Claude Code creates it at start). */
  rewatch(dir: string): void {
    const folder = this.folders.get(dir);
    if (folder) this.watch(dir, folder);
  }

  dispose(): void {
    for (const f of this.folders.values()) f.watcher?.close();
    this.folders.clear();
  }

  private watch(dir: string, folder: Folder): void {
    if (folder.watcher) return;
    try {
      folder.watcher = fs.watch(dir, { persistent: false }, (_kind, name) => {
        if (typeof name === 'string' && /^\d+\.json$/.test(name)) this.read(dir, folder, path.join(dir, name));
      });
      folder.watcher.on('error', () => {
        folder.watcher?.close();
        folder.watcher = undefined;
      });
    } catch {
      // Not there yet: the next hook retries.
    }
  }

  private read(dir: string, folder: Folder, file: string): void {
    fs.readFile(file, 'utf8', (err, text) => {
      if (err || this.folders.get(dir) !== folder) return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return; // caught mid-write: the next change event brings the whole file
      }
      const parsed = PidFileSchema.safeParse(json);
      if (!parsed.success || !parsed.data.status) return;
      const { sessionId, status, waitingFor } = parsed.data;
      const listeners = folder.listeners.get(sessionId);
      if (!listeners || folder.last.get(sessionId) === status) return;
      folder.last.set(sessionId, status);
      for (const l of listeners) {
        try {
          l(status, waitingFor);
        } catch (e) {
          this.log.warn(`claude session status listener: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    });
  }
}
