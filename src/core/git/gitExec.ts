// Runs the real `git` CLI without a shell: argument arrays, a timeout, stderr kept for the error message.
// Every call goes through `git -C <dir>` so a missing folder is git's complaint, and ENOENT can only mean "no git".
import { execFile } from 'node:child_process';
import { GitCommandError, GitMissingError, GitTimeoutError } from './gitErrors';

export interface GitOptions {
  /** The git executable; 'git' (found on PATH) when absent. */
  gitPath?: string;
  /** Milliseconds before git is stopped; 30 s when absent (worktree creation uses 120 s). */
  timeoutMs?: number;
}

export interface GitOutput {
  stdout: Buffer;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BUFFER = 256 * 1024 * 1024;

/** Variables that would point git at another repository than the one we name with -C (set when running inside a hook). */
const REPO_OVERRIDES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE'];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPO_OVERRIDES) delete env[name];
  // English messages (we recognise a few), no credential prompts, and no index refresh lock taken by read-only
  // commands such as `status`, which would otherwise collide with the agent's own git commands.
  env.LC_ALL = 'C';
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  return env;
}

/** Runs `git -C dir ...args`; resolves with raw stdout, rejects with a typed GitError. */
export function runGit(dir: string, args: readonly string[], opts: GitOptions = {}): Promise<GitOutput> {
  const gitPath = opts.gitPath ?? 'git';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fullArgs = ['-C', dir, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      gitPath,
      fullArgs,
      { encoding: 'buffer', env: gitEnv(), timeout: timeoutMs, maxBuffer: MAX_BUFFER, windowsHide: true },
      (err, stdout, stderr) => {
        const stderrText = stderr.toString('utf8');
        if (!err) {
          resolve({ stdout, stderr: stderrText });
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        if (e.code === 'ENOENT' || e.code === 'EACCES') reject(new GitMissingError(gitPath, err));
        else if (e.killed && e.signal) reject(new GitTimeoutError(args, timeoutMs));
        else reject(new GitCommandError(args, typeof e.code === 'number' ? e.code : undefined, stderrText || err.message));
      },
    );
  });
}

/** Like runGit, but returns stdout as trimmed text. */
export async function gitText(dir: string, args: readonly string[], opts?: GitOptions): Promise<string> {
  const { stdout } = await runGit(dir, args, opts);
  return stdout.toString('utf8').trim();
}

/** Runs git and reports only whether it exited 0 (for `--verify`/`--is-ancestor` style questions). */
export async function gitSucceeds(dir: string, args: readonly string[], opts?: GitOptions): Promise<boolean> {
  try {
    await runGit(dir, args, opts);
    return true;
  } catch (err) {
    if (err instanceof GitCommandError) return false;
    throw err;
  }
}

/** Splits NUL-terminated `-z` output into fields, keeping paths byte-exact (spaces, newlines, unicode). */
export function splitNul(stdout: Buffer): string[] {
  const text = stdout.toString('utf8');
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
