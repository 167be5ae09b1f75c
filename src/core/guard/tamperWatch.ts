// Tamper detection: watches the control files of the repositories agents run in (and of the user's home) and
// reports every change Flotilla did not make itself. Folders are watched one by one (fs.watch, not recursive),
// changes are debounced, and a file counts as changed only when its content differs from the baseline taken when
// watching started (for git config files: only the keys that run code or redirect git).
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';
import type { GitOptions } from '../git/gitExec';
import { readFileState, sha256, stateDiffers } from './fileState';
import type { FileState } from './fileState';
import { describeEntryChanges } from './gitConfigRisk';
import { HOME } from './protectedSpecs';
import type { Compare, DirSpec, EntryRule } from './protectedSpecs';
import { sitesFor } from './watchSites';
import type { Site, WatchRoot } from './watchSites';

export type { WatchRoot } from './watchSites';

export interface TamperEvent {
  readonly file: string;
  readonly kind: 'changed' | 'created' | 'deleted';
  /** The repository the file belongs to (its main folder); undefined for files in the user's home. */
  readonly repoRoot: string | undefined;
  /** The watched folder it was found under: a worktree, a repository, its git folder, or the home folder. */
  readonly root: string;
  /** What changed, in words ("content changed", "+core.hookspath=x"). */
  readonly detail: string;
  /** The content before the change when it was small text, for a diff. */
  readonly previous?: string;
}

export interface TamperWatchOptions {
  readonly log: Logger;
  /** The user's home folder; undefined: home files are not watched. */
  readonly home?: string;
  /** Quiet time after the last change of a batch before files are compared. */
  readonly debounceMs?: number;
  /** A batch is compared at the latest this long after its first change, even if changes keep coming. */
  readonly maxWaitMs?: number;
  readonly git?: GitOptions;
  /** Most files followed in protected folders (`.claude/**` ...) before the rest is skipped with a warning. */
  readonly maxFiles?: number;
  /** How long an expected write stays expected. */
  readonly expectForMs?: number;
  readonly now?: () => number;
}

interface Claim {
  readonly spec: DirSpec;
  readonly site: Site;
}

interface WatchedDir {
  readonly claims: Claim[];
  watcher?: fs.FSWatcher;
}

interface Known {
  readonly state: FileState;
  readonly compare: Compare;
}

const ALL = '\0*';

export class TamperWatch implements Disposable {
  private readonly _onDidDetectTamper = new Emitter<TamperEvent>();
  /** One event per protected file that changed without Flotilla expecting it. */
  readonly onDidDetectTamper: Event<TamperEvent> = this._onDidDetectTamper.event;

  private readonly dirs = new Map<string, WatchedDir>();
  private readonly baseline = new Map<string, Known>();
  private readonly sites = new Map<string, Site>();
  private readonly expected = new Map<string, { sha256: string; until: number }[]>();
  private readonly dirty = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private firstDirtyAt = 0;
  private disposed = false;
  private warnedFull = false;
  private rootsKey = '';

  constructor(private readonly options: TamperWatchOptions) {}

  /**
   * Watches the control files of these roots (and the home folder while there is any root); stops watching the
   * rest. Resolves once every new file has its baseline. Calls are serialised.
   */
  setRoots(roots: readonly WatchRoot[]): Promise<void> {
    const key = JSON.stringify(roots.map((r) => [r.path, r.repoRoot ?? '']).sort());
    if (key === this.rootsKey) return this.queue;
    this.rootsKey = key;
    return this.enqueue(async () => {
      const wanted = new Map<string, Site>();
      for (const root of roots) {
        for (const site of await sitesFor(root, this.options.git)) wanted.set(site.key, site);
      }
      if (roots.length > 0 && this.options.home) {
        const home = await realDir(this.options.home);
        if (home) wanted.set(`home:${home}`, { key: `home:${home}`, path: home, spec: HOME, repoRoot: undefined });
      }
      for (const [k, site] of this.sites) {
        if (!wanted.has(k)) this.dropSite(site);
      }
      for (const [k, site] of wanted) {
        if (this.sites.has(k) || this.disposed) continue;
        this.sites.set(k, site);
        await this.follow(site.path, { spec: site.spec, site }, false);
      }
    });
  }

  /** The folders watched right now (for tests and the log). */
  watchedDirs(): string[] {
    return [...this.dirs.keys()].sort();
  }

  /**
   * Flotilla is about to write `content` to `file`: that change is its own and is not reported (once, within a
   * minute). Any other content is still reported.
   */
  expectWrite(file: string, content: string | Uint8Array | { readonly sha256: string }): void {
    const hash = typeof content === 'object' && 'sha256' in content ? content.sha256 : sha256(content);
    const key = resolveFile(file);
    const now = this.now();
    // Every save in the editor lands here: forget stale expectations before they pile up.
    if (this.expected.size > 200) for (const [k, l] of [...this.expected]) if (l.every((e) => e.until <= now)) this.expected.delete(k);
    const list = (this.expected.get(key) ?? []).filter((e) => e.until > now);
    list.push({ sha256: hash, until: now + (this.options.expectForMs ?? 60_000) });
    this.expected.set(key, list);
  }

  /** Resolves when every change seen so far has been compared (for tests). */
  whenIdle(): Promise<void> {
    if (this.dirty.size > 0) this.flush();
    return this.queue;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const dir of this.dirs.values()) dir.watcher?.close();
    this.dirs.clear();
    this.baseline.clear();
    this.sites.clear();
    this._onDidDetectTamper.dispose();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((err: unknown) => {
      this.options.log.error(`tamper watch: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.queue;
  }

  // ---- watching ----

  /** Starts following `dir` for one claim (a spec of one site) and compares every entry it names. */
  private async follow(dir: string, claim: Claim, report: boolean): Promise<void> {
    if (this.disposed) return;
    let watched = this.dirs.get(dir);
    if (!watched) {
      if (this.dirs.size >= this.maxDirs()) return this.warnFull(dir);
      watched = { claims: [] };
      this.dirs.set(dir, watched);
      try {
        const watcher = fs.watch(dir, { persistent: false }, (_type, name) => this.onFsEvent(dir, name === null ? null : String(name)));
        // A folder removed under the watcher: its parent's watcher reports the removal.
        watcher.on('error', () => watcher.close());
        watched.watcher = watcher;
      } catch (err) {
        this.options.log.warn(`tamper watch: cannot watch ${dir}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (!watched.claims.some((c) => c.spec === claim.spec && c.site.key === claim.site.key)) watched.claims.push(claim);
    await this.scan(dir, report);
  }

  /** Compares every entry of `dir` that a claim names, and every entry known before (it may be gone). */
  private async scan(dir: string, report: boolean): Promise<void> {
    let names: string[] = [];
    try {
      names = await fsp.readdir(dir);
    } catch {
      // Gone or unreadable: the known entries below are reported deleted by check().
    }
    const all = new Set(names);
    for (const file of this.baseline.keys()) if (path.dirname(file) === dir) all.add(path.basename(file));
    for (const sub of this.dirs.keys()) if (sub !== dir && path.dirname(sub) === dir) all.add(path.basename(sub));
    for (const name of all) await this.check(dir, name, report);
  }

  private ruleFor(dir: string, name: string): { rule: EntryRule; claim: Claim } | undefined {
    for (const claim of this.dirs.get(dir)?.claims ?? []) {
      const rule = claim.spec.match(name);
      if (rule) return { rule, claim };
    }
    return undefined;
  }

  /** Compares one entry with its baseline; follows a protected folder, reports a changed file. */
  private async check(dir: string, name: string, report: boolean): Promise<void> {
    if (this.disposed) return;
    const found = this.ruleFor(dir, name);
    if (!found) return;
    const { rule, claim } = found;
    const file = path.join(dir, name);
    const stat = await fsp.lstat(file).catch(() => undefined);
    if (stat?.isDirectory() && rule.dir) {
      await this.forgetFile(file, claim.site, report);
      await this.follow(file, { spec: rule.dir, site: claim.site }, report);
      return;
    }
    // A followed folder that is gone or now a file; a folder followed for another site (`.git`) is left alone.
    if (!stat?.isDirectory() && this.dirs.has(file)) this.unfollow(file, claim.site, report);
    if (!rule.file) return;
    if (!stat) {
      await this.forgetFile(file, claim.site, report);
      return;
    }
    const before = this.baseline.get(file);
    if (!before && this.baseline.size >= (this.options.maxFiles ?? 5000)) return this.warnFull(file);
    let after: FileState;
    try {
      after = await readFileState(file, stat, rule.file, this.options.git);
    } catch (err) {
      // Removed between lstat and read: the removal has its own event.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (this.disposed) return;
    this.baseline.set(file, { state: after, compare: rule.file });
    if (before && !stateDiffers(before.state, after, rule.file)) return;
    if (!report || this.consumeExpected(file, after.sha256)) return;
    this.emit(claim.site, file, before ? 'changed' : 'created', describe(before?.state, after), before?.state.text);
  }

  /** A known file is gone (or became a folder): reported deleted unless the removal was expected. */
  private async forgetFile(file: string, site: Site, report: boolean): Promise<void> {
    const before = this.baseline.get(file);
    if (!before) return;
    this.baseline.delete(file);
    if (report) this.emit(site, file, 'deleted', 'deleted', before.state.text);
  }

  /** Stops following a folder that was removed (or replaced by a file): every file known below it is reported deleted. */
  private unfollow(dir: string, site: Site, report: boolean): void {
    const prefix = dir + path.sep;
    for (const [file, known] of [...this.baseline]) {
      if (!file.startsWith(prefix)) continue;
      this.baseline.delete(file);
      if (report) this.emit(site, file, 'deleted', 'deleted (its folder was removed)', known.state.text);
    }
    for (const [sub, watched] of [...this.dirs]) {
      if (sub !== dir && !sub.startsWith(prefix)) continue;
      watched.watcher?.close();
      this.dirs.delete(sub);
    }
  }

  /** A site is no longer wanted: its claims go, and folders nobody claims any more are no longer watched. */
  private dropSite(site: Site): void {
    this.sites.delete(site.key);
    for (const [dir, watched] of [...this.dirs]) {
      const rest = watched.claims.filter((c) => c.site.key !== site.key);
      if (rest.length === watched.claims.length) continue;
      watched.claims.splice(0, watched.claims.length, ...rest);
      if (rest.length > 0) continue;
      watched.watcher?.close();
      this.dirs.delete(dir);
      for (const file of [...this.baseline.keys()]) if (path.dirname(file) === dir) this.baseline.delete(file);
    }
  }

  private consumeExpected(file: string, hash: string): boolean {
    const key = resolveFile(file);
    const now = this.now();
    const list = (this.expected.get(key) ?? []).filter((e) => e.until > now);
    const at = list.findIndex((e) => e.sha256 === hash);
    if (at >= 0) list.splice(at, 1);
    if (list.length > 0) this.expected.set(key, list);
    else this.expected.delete(key);
    return at >= 0;
  }

  private emit(site: Site, file: string, kind: TamperEvent['kind'], detail: string, previous: string | undefined): void {
    this.options.log.warn(`tamper watch: ${file} ${kind} outside Flotilla: ${detail}`);
    const event: TamperEvent = { file, kind, repoRoot: site.repoRoot, root: site.path, detail, ...(previous !== undefined ? { previous } : {}) };
    this._onDidDetectTamper.fire(event);
  }

  // ---- change batching ----

  private onFsEvent(dir: string, name: string | null): void {
    if (this.disposed || !this.dirs.has(dir)) return;
    // Most events in a watched folder (the home folder, `.git`) are about files nobody protects: drop them here.
    if (name !== null && !this.ruleFor(dir, name)) return;
    if (this.dirty.size === 0) this.firstDirtyAt = this.now();
    this.dirty.add(name === null ? dir + ALL : path.join(dir, name));
    clearTimeout(this.timer);
    const waited = this.now() - this.firstDirtyAt;
    const delay = Math.max(0, Math.min(this.options.debounceMs ?? 150, (this.options.maxWaitMs ?? 1000) - waited));
    this.timer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    clearTimeout(this.timer);
    const batch = [...this.dirty];
    this.dirty.clear();
    if (batch.length === 0) return;
    void this.enqueue(async () => {
      for (const entry of batch) {
        if (entry.endsWith(ALL)) await this.scan(entry.slice(0, -ALL.length), true);
        else await this.check(path.dirname(entry), path.basename(entry), true);
      }
    });
  }

  private maxDirs(): number {
    return Math.max(50, Math.ceil((this.options.maxFiles ?? 5000) / 5));
  }

  private warnFull(where: string): void {
    if (this.warnedFull) return;
    this.warnedFull = true;
    this.options.log.warn(`tamper watch: too many protected files; ${where} and others are not watched`);
  }
}

function describe(before: FileState | undefined, after: FileState): string {
  if (after.risky && before?.type === 'file') {
    return `git configuration that runs programs or redirects git changed: ${describeEntryChanges(before.risky ?? [], after.risky)}`;
  }
  if (after.type === 'symlink') return `${before ? 'now' : 'created as'} a symbolic link to ${after.text ?? '?'}`;
  if (!before) return `created (${after.size} bytes)${after.risky?.length ? `: ${after.risky.join('; ')}` : ''}`;
  if (before.type !== after.type) return `replaced: was a ${before.type}, now a ${after.type}`;
  return `content changed (${before.size} -> ${after.size} bytes)`;
}

async function realDir(dir: string): Promise<string | undefined> {
  try {
    return await fsp.realpath(dir);
  } catch {
    return undefined;
  }
}

/** A file path with its folder's symbolic links resolved, so the writer's path and the watcher's compare equal. */
function resolveFile(file: string): string {
  const abs = path.resolve(file);
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    return abs;
  }
}
