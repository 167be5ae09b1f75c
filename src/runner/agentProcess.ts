// Starts an agent's command on the runner's machine: in a pseudo-terminal (node-pty, the library VS Code uses) when
// it loads, else as a plain child process with pipes (a machine where node-pty could not be built: no compiler or
// Python). Programs that need a terminal (Claude Code without -p) then see none; the runner says so at start.
import { spawn } from 'node:child_process';

export interface AgentProcess {
  readonly pid: number | undefined;
  /** 'pty' or 'pipes', for `ls` and the log. */
  readonly mode: 'pty' | 'pipes';
  write(text: string): void;
  /** Signals the whole process group. */
  kill(signal: NodeJS.Signals): void;
  /** Fires once with the exit code (undefined when a signal ended it). */
  onExit(listener: (exitCode: number | undefined, signal: string | undefined) => void): void;
  /** The last output (bounded), for `ls` and failures. */
  tail(): string;
}

export interface StartOptions {
  readonly commandLine: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Force pipes even when node-pty loads (tests of the fallback). */
  readonly pipesOnly?: boolean;
}

interface PtyModule {
  spawn(file: string, args: string[], options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> }): {
    pid: number;
    write(data: string): void;
    kill(signal?: string): void;
    onData(listener: (data: string) => void): void;
    onExit(listener: (e: { exitCode: number; signal?: number }) => void): void;
  };
}

let ptyModule: PtyModule | null | undefined;

/** node-pty when it is installed and built for this Node, else null (remembered). */
export function loadPty(): PtyModule | null {
  if (ptyModule !== undefined) return ptyModule;
  try {
    // A runtime require: the bundle does not contain node-pty (native), it is found next to the runner when installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ptyModule = require('node-pty') as PtyModule;
  } catch {
    ptyModule = null;
  }
  return ptyModule;
}

const TAIL_CHARS = 8192;

export function startAgentProcess(options: StartOptions): AgentProcess {
  const pty = options.pipesOnly ? null : loadPty();
  const env = { ...options.env };
  let tail = '';
  const keep = (text: string): void => {
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  if (pty) {
    const term = pty.spawn('/bin/sh', ['-c', `exec ${options.commandLine}`], { name: 'xterm-256color', cols: 120, rows: 40, cwd: options.cwd, env });
    term.onData(keep);
    return {
      pid: term.pid,
      mode: 'pty',
      write: (text) => term.write(text),
      kill: (signal) => signalGroup(term.pid, signal, () => term.kill(signal)),
      onExit: (listener) => term.onExit((e) => listener(e.signal ? undefined : e.exitCode, e.signal ? String(e.signal) : undefined)),
      tail: () => tail,
    };
  }
  const child = spawn('/bin/sh', ['-c', `exec ${options.commandLine}`], { cwd: options.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
  child.stdin.on('error', () => undefined);
  return {
    pid: child.pid,
    mode: 'pipes',
    write: (text) => void child.stdin.write(text),
    kill: (signal) => signalGroup(child.pid, signal, () => child.kill(signal)),
    onExit: (listener) => {
      child.on('error', (err) => {
        keep(`\n${err.message}\n`);
        listener(127, undefined);
      });
      child.on('exit', (code, signal) => listener(code ?? undefined, signal ?? undefined));
    },
    tail: () => tail,
  };
}

/** The agent leads its own process group (pty session or detached child): signal all of it. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, signal);
  } catch {
    try {
      fallback();
    } catch {
      // Gone already.
    }
  }
}
