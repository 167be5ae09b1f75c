// Marks a folder as trusted in Claude Code's global config, so a worktree Flotilla created never stops at "Is this a
// project you trust?". Claude Code 2.1.x (read from its bundle, see the issue 10 report) keeps that in
// `$CLAUDE_CONFIG_DIR/.claude.json` or `~/.claude.json` (a legacy `<config dir>/.config.json` wins when it exists),
// under projects[<normalized absolute path>].hasTrustDialogAccepted, and a folder whose ancestor is trusted counts as
// trusted. It writes that file under a proper-lockfile lock (a directory `<file>.lock`, stale after 10 s by its
// mtime), re-reading the file under the lock and applying its change to what it read, then writes a temp file
// `<file>.tmp.<pid>.<hex>` and renames it over (mode 0600). We do the same: lock, re-read, modify, atomic rename,
// unlock, holding the lock for milliseconds (a running Claude Code that finds it held falls back to an unlocked write
// of its cache, so a short hold matters).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** proper-lockfile's default: a lock directory older than this is stale. */
export const LOCK_STALE_MS = 10_000;

export function claudeConfigFile(env: Readonly<Record<string, string | undefined>>, home = os.homedir()): string {
  const configDir = env.CLAUDE_CONFIG_DIR || path.join(home, '.claude');
  const legacy = path.join(configDir, '.config.json');
  if (fs.existsSync(legacy)) return legacy;
  return path.join(env.CLAUDE_CONFIG_DIR || home, '.claude.json');
}

export interface TrustOptions {
  /** How long to wait for a lock another process holds (default 3 s). */
  readonly waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lock(file: string, waitMs: number): Promise<() => void> {
  const dir = `${file}.lock`;
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > LOCK_STALE_MS) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
    } catch {
      continue; // released meanwhile
    }
    if (Date.now() > until) throw new Error(`${dir} is held by another process (a Claude Code writing its config)`);
    await sleep(25);
  }
}

/** Trusts each folder (its absolute path and, when different, its real path) in the config file. */
export async function trustFolders(configFile: string, folders: readonly string[], options: TrustOptions = {}): Promise<void> {
  const keys = new Set<string>();
  for (const folder of folders) {
    const abs = path.normalize(path.resolve(folder));
    keys.add(abs);
    try {
      keys.add(path.normalize(fs.realpathSync(abs)));
    } catch {
      // Not created yet: its given path is what Claude Code will see.
    }
  }
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  let target = configFile;
  try {
    target = fs.realpathSync(configFile); // Claude Code writes through a symlinked config too
  } catch {
    // Not there yet.
  }
  const unlock = await lock(configFile, options.waitMs ?? 3_000);
  try {
    let text = '';
    let mode = 0o600;
    try {
      text = fs.readFileSync(target, 'utf8');
      mode = fs.statSync(target).mode & 0o777;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let config: Record<string, unknown>;
    try {
      config = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch (err) {
      // Never rewrite a file we cannot read: Claude Code repairs its own from its backups.
      throw new Error(`${configFile} is not JSON (${err instanceof Error ? err.message : String(err)}); not touching it`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${configFile}: expected a JSON object`);
    const projects = (typeof config.projects === 'object' && config.projects !== null ? config.projects : {}) as Record<string, Record<string, unknown>>;
    if ([...keys].every((k) => projects[k]?.hasTrustDialogAccepted === true)) return;
    for (const key of keys) projects[key] = { ...(projects[key] ?? {}), hasTrustDialogAccepted: true };
    config.projects = projects;
    const tmp = `${target}.tmp.${process.pid}.${randomBytes(6).toString('hex')}`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(config, null, 2), { mode, flag: 'wx' });
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  } finally {
    unlock();
  }
}

/** True when Claude Code would not ask about this folder (it or an ancestor is trusted). */
export function isTrusted(configFile: string, folder: string): boolean {
  let config: { projects?: Record<string, { hasTrustDialogAccepted?: unknown }> };
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as typeof config;
  } catch {
    return false;
  }
  for (let dir = path.normalize(path.resolve(folder)); ; dir = path.dirname(dir)) {
    if (config.projects?.[dir]?.hasTrustDialogAccepted === true) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
