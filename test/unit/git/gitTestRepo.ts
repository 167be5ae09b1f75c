// Test helper: real git repositories in temp folders, with a fixed identity passed per command so the
// developer's global git config is neither needed nor touched.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = ['-c', 'user.name=Flotilla Test', '-c', 'user.email=test@flotilla.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, '-C', dir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
  }).trim();
}

/** A fresh temp folder (symlinks resolved, so it compares equal to paths git reports). */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `flotilla-${prefix}-`)));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeFile(root: string, rel: string, text: string): void {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** `git init` in `<parent>/<name>`, optionally with a first commit holding `files`. */
export function initRepo(parent: string, name: string, files?: Record<string, string>): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  git(dir, '-c', 'init.defaultBranch=main', 'init', '--quiet');
  if (files) {
    for (const [rel, text] of Object.entries(files)) writeFile(dir, rel, text);
    git(dir, 'add', '--all');
    git(dir, 'commit', '--quiet', '-m', 'initial');
  }
  return dir;
}
