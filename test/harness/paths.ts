// Where the harness finds the repository, keeps its machine-wide cache and writes its artifacts.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const repoRoot = resolve(__dirname, '../..');

/** Installs that outlive a run (Node 24, code-server, native rebuilds): $FLOTILLA_TEST_CACHE or ~/.cache/flotilla-test. */
export function cacheRoot(): string {
  return process.env.FLOTILLA_TEST_CACHE || join(homedir(), '.cache', 'flotilla-test');
}

/** Screenshots and kept logs (gitignored). */
export const artifactsDir = join(repoRoot, 'artifacts');

export function artifactPath(...parts: string[]): string {
  const path = join(artifactsDir, ...parts);
  mkdirSync(resolve(path, '..'), { recursive: true });
  return path;
}

const tempDirs: string[] = [];

/**
 * A fresh temp dir for one run of something (code-server user data, a workspace, a browser profile), removed
 * when this process exits unless FLOTILLA_KEEP_TEMP=1 (logs worth keeping are copied to artifacts/logs first).
 */
export function freshDir(prefix: string): string {
  if (tempDirs.length === 0 && process.env.FLOTILLA_KEEP_TEMP !== '1') {
    process.once('exit', () => {
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    });
  }
  const dir = mkdtempSync(join(tmpdir(), `flotilla-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
