// A fresh test workspace per run: a real git repository in a temp dir with the fixture files and one commit.
// The git identity comes from -c flags and env, never from (or into) the user's global config.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, repoRoot } from './paths';

const IDENTITY = ['-c', 'user.name=Flotilla Test', '-c', 'user.email=test@flotilla.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

function git(cwd: string, args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  });
}

/** Creates the workspace (a folder named `greeter` in a fresh temp dir) and returns its absolute path. */
export function createWorkspace(): string {
  // A stable folder name keeps screenshots (the window title) the same from run to run.
  const dir = join(freshDir('workspace'), 'greeter');
  mkdirSync(dir);
  const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');
  if (existsSync(fixture)) {
    cpSync(fixture, dir, { recursive: true });
  } else {
    writeFileSync(join(dir, 'README.md'), '# Test workspace\n');
  }
  git(dir, ['init', '--quiet']);
  git(dir, ['add', '.']);
  git(dir, ['commit', '--quiet', '-m', 'Initial commit']);
  return dir;
}
