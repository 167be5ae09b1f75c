// Attach: a VS Code terminal on the pty of an agent that runs on a runner (a Pseudoterminal over the runner's
// `/v1/agents/<id>/pty` socket). It shows the recent output, then live output; what the user types goes to the agent;
// the terminal's size follows the panel. Closing the terminal detaches and never stops the agent. Agents the runner
// runs with pipes (no node-pty there) get a local echo and \n line ends.
import * as vscode from 'vscode';
import type { WebSocket } from 'ws';
import { parseWith, PtyServerMessageSchema } from '../shared/protocol/runnerAttach';
import type { PtyServerMessage } from '../shared/protocol/runnerAttach';

/** A notice in the terminal, set apart from the agent's output (dim, on its own line). */
const notice = (text: string): string => `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;

export class RemotePseudoterminal implements vscode.Pseudoterminal {
  private readonly _onDidWrite = new vscode.EventEmitter<string>();
  readonly onDidWrite = this._onDidWrite.event;
  private readonly _onDidClose = new vscode.EventEmitter<number | void>();
  readonly onDidClose = this._onDidClose.event;
  private socket: WebSocket | undefined;
  private decoder = new TextDecoder();
  private mode: 'pty' | 'pipes' | undefined;
  private dimensions: vscode.TerminalDimensions | undefined;
  private closedByUser = false;

  /** `connect` dials the runner (src/adapters/remote/runnerAttachClient.ts openPtySocket) or fails with a reason. */
  constructor(
    private readonly connect: () => Promise<WebSocket>,
    private readonly agentName: string,
  ) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.dimensions = dimensions;
    this.write(`\x1b[2m[attaching to ${this.agentName}…]\x1b[0m\r\n`);
    this.connect().then(
      (socket) => this.wire(socket),
      (err: unknown) => this.write(notice(`could not attach: ${err instanceof Error ? err.message : String(err)}`)),
    );
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close(1000, 'detached');
    this._onDidWrite.dispose();
    this._onDidClose.dispose();
  }

  handleInput(data: string): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return;
    if (this.mode === 'pipes') {
      // No terminal on the other side: echo here, and Enter ends a line as a program reading a pipe expects.
      const text = data.replace(/\r/g, '\n');
      this.write(text.replace(/\n/g, '\r\n'));
      socket.send(Buffer.from(text, 'utf8'), { binary: true });
      return;
    }
    socket.send(Buffer.from(data, 'utf8'), { binary: true });
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.dimensions = dimensions;
    this.sendSize();
  }

  private write(text: string): void {
    if (!this.closedByUser) this._onDidWrite.fire(text);
  }

  private sendSize(): void {
    const socket = this.socket;
    if (!this.dimensions || !socket || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify({ type: 'resize', cols: Math.max(1, Math.min(1000, this.dimensions.columns)), rows: Math.max(1, Math.min(1000, this.dimensions.rows)) }));
  }

  private wire(socket: WebSocket): void {
    if (this.closedByUser) {
      socket.close(1000, 'detached');
      return;
    }
    this.socket = socket;
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      this.write(notice(res.statusCode === 401 ? 'the runner refused the token' : res.statusCode === 404 ? 'the runner no longer has this agent' : `the runner answered HTTP ${res.statusCode}`));
      socket.terminate();
    });
    socket.on('open', () => this.sendSize());
    socket.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) this.output(bytes);
      else this.onMessage(bytes.toString('utf8'));
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      if (this.closedByUser) return;
      const why = reason.toString('utf8') || (code === 1006 ? 'the connection to the runner broke' : `closed (${code})`);
      this.write(notice(`detached: ${why}; close this terminal and attach again`));
    });
  }

  private output(bytes: Buffer): void {
    const text = this.decoder.decode(bytes, { stream: true });
    this.write(this.mode === 'pipes' ? text.replace(/\r?\n/g, '\r\n') : text);
  }

  private onMessage(text: string): void {
    const parsed = parseWith(PtyServerMessageSchema, text, 'pty');
    if (!parsed.ok) {
      this.write(notice(`the runner sent something unexpected (${parsed.error})`));
      return;
    }
    const message: PtyServerMessage = parsed.value;
    switch (message.type) {
      case 'attached':
        this.mode = message.mode;
        if (message.mode === 'pipes') this.write(notice('the runner has no pseudo-terminal (node-pty) here: plain output, local echo'));
        if (!message.running) this.write(notice('the agent has ended; its last output follows'));
        return;
      case 'resync':
        // The runner skipped output while this terminal was behind; it sends its recent output again: start clean.
        this.decoder = new TextDecoder();
        this.write(`\x1bc${notice(`this terminal fell behind: ${message.dropped_bytes} bytes skipped, redrawn from the last ${message.scrollback_bytes}`)}`);
        return;
      case 'exit':
        this.write(notice(`the agent exited${message.exit_code === undefined ? '' : ` with code ${message.exit_code}`}${message.signal ? ` (${message.signal})` : ''}`));
        return;
      case 'error':
        this.write(notice(`the runner: ${message.error}`));
        return;
    }
  }
}
