// Agent names become both a branch (`flotilla/<name>`) and a folder, so they must be safe for git refs and for
// every file system we run on (Windows reserved names, case-insensitive disks).

const MAX_LENGTH = 64;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/;

/** Returns why `name` is not usable as a worktree name, or undefined when it is. */
export function worktreeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_LENGTH) return `it is longer than ${MAX_LENGTH} characters`;
  if (!/^[a-z0-9._-]+$/.test(name)) return 'use only lower-case letters a-z, digits, "-", "_" and "."';
  if (!/^[a-z0-9]/.test(name)) return 'it must start with a letter or digit';
  if (name.endsWith('.') || name.endsWith('.lock')) return 'it must not end with "." or ".lock"';
  if (name.includes('..')) return 'it must not contain ".."';
  if (WINDOWS_RESERVED.test(name)) return 'it is a reserved device name on Windows';
  return undefined;
}

/**
 * Turns any text into a usable worktree name ("Fix login bug!" -> "fix-login-bug"), or '' when nothing usable is
 * left (the caller picks a fallback such as "agent-1").
 */
export function slugifyWorktreeName(raw: string): string {
  let slug = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // strip accents left by NFKD: "Café" -> "Cafe"
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  slug = slug.slice(0, MAX_LENGTH);
  while (/(\.lock|[.\-_])$/.test(slug)) slug = slug.replace(/(\.lock|[.\-_])$/, '');
  if (WINDOWS_RESERVED.test(slug)) slug = `agent-${slug}`;
  return slug;
}
