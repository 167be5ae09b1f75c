// Child processes for the harness: every long-lived child runs in its own process group, is tracked, and is
// torn down by signalling that group (also on failure, SIGINT and SIGTERM) — never by process name.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, createWriteStream } from 'node:fs';

const tracked = new Set<number>();

/** Starts a detached child (its own process group) and tracks it for teardown. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  // Tracked until stopGroup: the leader may exit while its children live on in the group.
  if (child.pid !== undefined) tracked.add(child.pid);
  return child;
}

/** The ids of live (non-zombie) processes whose process group is `pgid`; zombies count as gone. */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc: fall back to the kernel's answer for the whole group.
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals the whole group with SIGTERM, then SIGKILL after `graceMs`, and resolves once no live member is left.
 * Throws if the group survives SIGKILL, naming the processes still there.
 */
export async function stopGroup(pgid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // ESRCH: the group is already empty.
    }
  };
  signal('SIGTERM');
  const waitEmpty = async (ms: number) => {
    const until = Date.now() + ms;
    while (groupMembers(pgid).length > 0) {
      if (Date.now() > until) return false;
      await delay(50);
    }
    return true;
  };
  if (!(await waitEmpty(graceMs))) {
    signal('SIGKILL');
    if (!(await waitEmpty(3000))) {
      throw new Error(`process group ${pgid} is still alive after SIGKILL: pids ${groupMembers(pgid).join(', ')}`);
    }
  }
  tracked.delete(pgid);
}

/** SIGKILLs every tracked group at once; for exit paths that cannot wait. */
export function killAllTrackedNow(): void {
  for (const pgid of tracked) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tracked.clear();
}

/** Stops every tracked group (used by the top-level teardown). */
export async function stopAllTracked(): Promise<void> {
  await Promise.allSettled([...tracked].map((pgid) => stopGroup(pgid)));
}

let handlersInstalled = false;

/** Makes SIGINT/SIGTERM and process exit tear down every tracked group. */
export function installTeardownHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllTrackedNow);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping ${tracked.size} process group(s)`);
      void stopAllTracked().finally(() => process.exit(130));
    });
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

export interface RunOptions extends SpawnOptions {
  /** Copy the child's output to our stdout/stderr as it arrives. */
  echo?: boolean;
  /** Also append the output to this file. */
  logFile?: string;
  /** Kill the child's whole group after this long. */
  timeoutMs?: number;
}

/** Runs a command to completion in its own process group; never throws for a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { echo = false, logFile, timeoutMs, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
    const chunks: string[] = [];
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) void stopGroup(child.pid, 2000).catch(() => undefined);
        }, timeoutMs)
      : undefined;
    const collect = (stream: NodeJS.WriteStream) => (data: Buffer) => {
      const text = data.toString();
      chunks.push(text);
      log?.write(text);
      if (echo) stream.write(text);
    };
    child.stdout?.on('data', collect(process.stdout));
    child.stderr?.on('data', collect(process.stderr));
    child.once('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      log?.end();
      const pid = child.pid;
      const finish = () => resolve({ code, signal, output: chunks.join(''), timedOut });
      // Leftover grandchildren (a mocha worker, a compiler) must not outlive the command.
      if (pid !== undefined) void stopGroup(pid, 2000).then(finish, finish);
      else finish();
    });
  });
}

/** The environment minus what an outer `npm run` or VS Code terminal leaks into children. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || /^VSCODE_/.test(key) || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Last `lines` lines of a text, for error messages. */
export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
