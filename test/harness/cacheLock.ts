// A cross-process lock on one cache entry, so two test runs on one machine never install into the same folder
// at once. The lock is a directory holding the owner's pid; a lock whose owner died is taken over.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ownerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // The owner has made the directory but not yet written its pid, unless that was long ago.
    try {
      return Date.now() - statSync(lockDir).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` holding `<path>.lock`; waits up to `waitMs` for another live owner to finish. */
export async function withCacheLock<T>(path: string, work: () => Promise<T>, waitMs = 20 * 60_000): Promise<T> {
  const lockDir = `${path}.lock`;
  const until = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!ownerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > until) throw new Error(`${lockDir} is held by another process for too long; remove it if no test run is going on`);
      if (!announced) {
        console.log(`  waiting for another run to finish installing into ${path}`);
        announced = true;
      }
      await delay(1000);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
