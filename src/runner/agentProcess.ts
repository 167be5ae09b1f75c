// Starts an agent's command on the runner's machine: in a pseudo-terminal (node-pty, the library VS Code uses) when
// it loads, else as a plain child process with pipes (a machine where node-pty could not be built: no compiler or
// Python). Programs that need a terminal (Claude Code without -p) then see none; the runner says so at start.
// Its output (bytes) is kept in a bounded ring and handed to listeners, for Attach (src/runner/ptyAttachment.ts).
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { PTY_SCROLLBACK_BYTES } from '../shared/protocol/runnerAttach';
import { OutputRing } from './outputRing';

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
  /** Input bytes as typed in an attached terminal. */
  writeBytes(data: Buffer): void;
  /** The pty's size (pipes: nothing to resize). */
  resize(cols: number, rows: number): void;
  /** Every output chunk from now on (pty output, or stdout and stderr); returns the unsubscribe. */
  onOutput(listener: (chunk: Buffer) => void): () => void;
  /** The recent output, at most PTY_SCROLLBACK_BYTES. */
  scrollback(): Buffer;
  /** Fires once when it ended (after `exit` is set); returns the unsubscribe. For attachments, which come and go. */
  onEnded(listener: () => void): () => void;
  /** How it ended, once it has. */
  readonly exit: { readonly exitCode: number | undefined; readonly signal: string | undefined } | undefined;
}

export interface StartOptions {
  readonly commandLine: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Force pipes even when node-pty loads (tests of the fallback). */
  readonly pipesOnly?: boolean;
}

interface PtyModule {
  spawn(file: string, args: string[], options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string>; encoding: null }): {
    pid: number;
    write(data: string | Buffer): void;
    resize(cols: number, rows: number): void;
    kill(signal?: string): void;
    /** Buffers: the pty is spawned with `encoding: null` (bytes as they come, nothing decoded). */
    onData(listener: (data: Buffer | string) => void): void;
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

/** The output side every mode shares: the `tail` text, the scrollback ring, the listeners, the exit. */
class OutputTap {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly ring = new OutputRing(PTY_SCROLLBACK_BYTES);
  private readonly listeners = new Set<(chunk: Buffer) => void>();
  exit: AgentProcess['exit'];
  private readonly endListeners = new Set<() => void>();

  end(exitCode: number | undefined, signal: string | undefined): void {
    if (this.exit !== undefined) return;
    this.exit = { exitCode, signal };
    for (const listener of [...this.endListeners]) listener();
    this.endListeners.clear();
  }

  onEnded(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  push(chunk: Buffer): void {
    this.text = (this.text + this.decoder.write(chunk)).slice(-TAIL_CHARS);
    this.ring.push(chunk);
    for (const listener of [...this.listeners]) listener(chunk);
  }

  tail(): string {
    return this.text;
  }

  scrollback(): Buffer {
    return this.ring.contents();
  }

  subscribe(listener: (chunk: Buffer) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The parts of a process its output tap answers (the same in a pty and with pipes). */
type TapParts = 'tail' | 'onOutput' | 'onEnded' | 'scrollback' | 'exit';

function withTap(own: Omit<AgentProcess, TapParts>, tap: OutputTap): AgentProcess {
  return {
    ...own,
    tail: () => tap.tail(),
    onOutput: (listener) => tap.subscribe(listener),
    onEnded: (listener) => tap.onEnded(listener),
    scrollback: () => tap.scrollback(),
    get exit() {
      return tap.exit;
    },
  };
}

export function startAgentProcess(options: StartOptions): AgentProcess {
  const pty = options.pipesOnly ? null : loadPty();
  const env = { ...options.env };
  const tap = new OutputTap();
  const ended = (exitCode: number | undefined, signal: string | undefined): void => tap.end(exitCode, signal);
  if (pty) {
    const term = pty.spawn('/bin/sh', ['-c', `exec ${options.commandLine}`], { name: 'xterm-256color', cols: 120, rows: 40, cwd: options.cwd, env, encoding: null });
    term.onData((data) => tap.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
    const onExit = (listener: (exitCode: number | undefined, signal: string | undefined) => void): void =>
      term.onExit((e) => listener(e.signal ? undefined : e.exitCode, e.signal ? String(e.signal) : undefined));
    onExit(ended);
    return withTap({
      pid: term.pid,
      mode: 'pty',
      write: (text) => term.write(text),
      writeBytes: (data) => tap.exit === undefined && term.write(data),
      resize: (cols, rows) => {
        if (tap.exit !== undefined) return;
        try {
          term.resize(cols, rows);
        } catch {
          // The pty closed between the exit check and now.
        }
      },
      kill: (signal) => signalGroup(term.pid, signal, () => term.kill(signal)),
      onExit,
    }, tap);
  }
  const child = spawn('/bin/sh', ['-c', `exec ${options.commandLine}`], { cwd: options.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => tap.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tap.push(chunk));
  child.stdin.on('error', () => undefined);
  const onExit = (listener: (exitCode: number | undefined, signal: string | undefined) => void): void => {
    child.on('error', (err) => {
      tap.push(Buffer.from(`\n${err.message}\n`, 'utf8'));
      listener(127, undefined);
    });
    child.on('exit', (code, signal) => listener(code ?? undefined, signal ?? undefined));
  };
  child.on('error', () => ended(127, undefined));
  child.on('exit', (code, signal) => ended(code ?? undefined, signal ?? undefined));
  return withTap({
    pid: child.pid,
    mode: 'pipes',
    write: (text) => void child.stdin.write(text),
    writeBytes: (data) => void (tap.exit === undefined && child.stdin.writable && child.stdin.write(data)),
    resize: () => undefined,
    kill: (signal) => signalGroup(child.pid, signal, () => child.kill(signal)),
    onExit,
  }, tap);
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
