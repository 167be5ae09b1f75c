// Where a path an agent names really is: ~ and $HOME expanded, `..` applied after each symlink is followed
// (as the kernel does), the nearest existing ancestor made real with fs.realpathSync, then placed inside or
// outside the agent's worktree. Paths built from variables or substitutions are unknowable: never "inside".
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ResolvedPath {
  /** The path as the agent wrote it. */
  input: string;
  /** Real absolute path, or null when it depends on something we cannot know ($VAR, $(cmd), ~user). */
  absolute: string | null;
  /** Inside the worktree: its path relative to the worktree root, with "/" separators ("" for the root). */
  relative: string | null;
  inside: boolean;
}

export type RealpathFn = (p: string) => string;

function defaultRealpath(p: string): string {
  return fs.realpathSync(p);
}

/** Text that only the shell can turn into a path: variables, substitutions, placeholders. */
function isDynamic(s: string): boolean {
  return s.includes('$') || s.includes('`') || s.includes('<(') || s.includes('>(');
}

/** Resolves `abs` physically: each existing component is made real before the next `..` applies. */
export function physicalPath(abs: string, realpath: RealpathFn = defaultRealpath): string {
  const normal = path.resolve(abs);
  const hasDotDot = abs.split(/[\\/]/).includes('..');
  if (!hasDotDot) {
    // Fast path: the whole path, or the nearest existing ancestor, made real.
    const tail: string[] = [];
    let cur = normal;
    for (;;) {
      try {
        const real = realpath(cur);
        return tail.length ? path.join(real, ...tail.reverse()) : real;
      } catch {
        const parent = path.dirname(cur);
        if (parent === cur) return normal;
        tail.push(path.basename(cur));
        cur = parent;
      }
    }
  }
  const root = path.parse(abs).root || path.sep;
  let cur = root;
  for (const seg of abs.slice(root.length).split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      cur = path.dirname(cur);
      continue;
    }
    const next = path.join(cur, seg);
    try {
      cur = realpath(next);
    } catch {
      cur = next;
    }
  }
  return cur;
}

export class PathResolver {
  private readonly realRoot: string;
  private readonly cache = new Map<string, ResolvedPath>();

  private readonly cwd: string;

  constructor(
    worktreeRoot: string,
    cwd: string,
    private readonly homeDir: string,
    private readonly realpath: RealpathFn = defaultRealpath,
  ) {
    this.realRoot = physicalPath(path.resolve(worktreeRoot), realpath);
    // A relative cwd is taken relative to the worktree, never to the extension host's own cwd.
    this.cwd = path.resolve(worktreeRoot, cwd);
  }

  /** Expands ~, ~/x, $HOME and ${HOME}; returns null for anything else that needs the shell to know. */
  expand(p: string): string | null {
    let s = p;
    if (s === '~' || s.startsWith('~/')) s = this.homeDir + s.slice(1);
    else if (s.startsWith('~')) return null; // ~user
    s = s.replace(/^\$(?:HOME|\{HOME\})(?=\/|$)/, this.homeDir);
    return isDynamic(s) ? null : s;
  }

  /** Resolves `p` against the cwd after the given `cd` targets. */
  resolve(p: string, dirs: readonly string[] = [], dirUnknown = false): ResolvedPath {
    const key = dirUnknown ? `?\0${p}` : `${dirs.join('\0')}\0\0${p}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.compute(p, dirs, dirUnknown);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private compute(p: string, dirs: readonly string[], dirUnknown: boolean): ResolvedPath {
    const unknown: ResolvedPath = { input: p, absolute: null, relative: null, inside: false };
    const expanded = this.expand(p);
    if (expanded === null || p.includes('\0')) return unknown;
    let base = this.cwd;
    if (!path.isAbsolute(expanded)) {
      if (dirUnknown) return unknown;
      for (const d of dirs) {
        const dir = this.expand(d);
        if (dir === null) return unknown;
        base = path.resolve(base, dir);
      }
    }
    // Joined as text, not path.join: `..` must apply after symlinks are followed, in physicalPath.
    const absolute = physicalPath(path.isAbsolute(expanded) ? expanded : `${base}${path.sep}${expanded}`, this.realpath);
    return { input: p, absolute, ...this.place(absolute) };
  }

  private place(absolute: string): { relative: string | null; inside: boolean } {
    if (absolute === this.realRoot) return { relative: '', inside: true };
    const prefix = this.realRoot.endsWith(path.sep) ? this.realRoot : this.realRoot + path.sep;
    if (!absolute.startsWith(prefix)) return { relative: null, inside: false };
    return { relative: absolute.slice(prefix.length).split(path.sep).join('/'), inside: true };
  }
}
