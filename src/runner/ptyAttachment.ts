// One attached terminal on an agent's output (`/v1/agents/<id>/pty`): the scrollback first, then live output as
// binary frames; binary frames from the supervisor are typed input, text frames resize. Several may be attached at
// once; closing one never touches the agent. A terminal that reads slower than the agent writes does not make the
// runner buffer without bound: past a high-water mark its output is skipped, and once its socket drained it gets a
// `resync` notice and the scrollback again (a redraw).
import type { WebSocket } from 'ws';
import { parseWith, PtyClientMessageSchema } from '../shared/protocol/runnerAttach';
import type { PtyServerMessage } from '../shared/protocol/runnerAttach';
import type { AgentProcess } from './agentProcess';

export interface PtyAttachmentOptions {
  /** Bytes queued on the socket past which output is skipped (default 1 MB). */
  readonly highWaterBytes?: number;
  /** Queued bytes under which a skipping attachment resyncs (default 64 KB). */
  readonly lowWaterBytes?: number;
  /** How often a skipping attachment checks its socket (ms). */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export function attachPty(ws: WebSocket, proc: AgentProcess, options: PtyAttachmentOptions = {}): void {
  const high = options.highWaterBytes ?? 1024 * 1024;
  const low = options.lowWaterBytes ?? 64 * 1024;
  let dropped = 0;
  let poll: ReturnType<typeof setInterval> | undefined;
  const send = (message: PtyServerMessage): void => ws.send(JSON.stringify(message));
  const sendScrollback = (): number => {
    const bytes = proc.scrollback();
    if (bytes.length > 0) ws.send(bytes, { binary: true });
    return bytes.length;
  };

  send({ type: 'attached', mode: proc.mode, running: proc.exit === undefined, scrollback_bytes: proc.scrollback().length });
  sendScrollback();
  if (proc.exit) send(exitMessage(proc.exit));

  const resyncWhenDrained = (): void => {
    if (ws.readyState !== ws.OPEN || ws.bufferedAmount > low) return;
    clearInterval(poll);
    poll = undefined;
    const skipped = dropped;
    dropped = 0;
    send({ type: 'resync', dropped_bytes: skipped, scrollback_bytes: proc.scrollback().length });
    sendScrollback();
  };
  const unsubscribe = proc.onOutput((chunk) => {
    if (ws.readyState !== ws.OPEN) return;
    if (poll !== undefined) {
      dropped += chunk.length;
      return;
    }
    if (ws.bufferedAmount > high) {
      dropped += chunk.length;
      options.log?.('an attached terminal fell behind; its output is skipped until it catches up');
      poll = setInterval(resyncWhenDrained, options.pollMs ?? 50);
      return;
    }
    ws.send(chunk, { binary: true });
  });
  const unsubscribeEnd = proc.onEnded(() => {
    if (ws.readyState === ws.OPEN && proc.exit) send(exitMessage(proc.exit));
  });

  ws.on('message', (data, isBinary) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      proc.writeBytes(bytes);
      return;
    }
    const parsed = parseWith(PtyClientMessageSchema, bytes.toString('utf8'), 'pty');
    if (!parsed.ok) {
      send({ type: 'error', error: parsed.error.slice(0, 1024) });
      return;
    }
    proc.resize(parsed.value.cols, parsed.value.rows);
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    unsubscribe();
    unsubscribeEnd();
    clearInterval(poll);
  });
}

function exitMessage(exit: { exitCode: number | undefined; signal: string | undefined }): PtyServerMessage {
  return { type: 'exit', ...(exit.exitCode === undefined ? {} : { exit_code: exit.exitCode }), ...(exit.signal === undefined ? {} : { signal: exit.signal.slice(0, 32) }) };
}
