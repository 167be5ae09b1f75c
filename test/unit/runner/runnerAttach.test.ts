// Attach over real sockets to real processes: a `flotilla-agent serve` child (dist/runner.js bundled into a temp
// folder) runs a shell loop in a pseudo-terminal (node-pty) or with pipes; the extension's client code
// (runnerAttachClient) attaches, types, resizes, attaches twice, detaches; hostile input (an oversize frame, a wrong
// token, a browser Origin) is refused without harming the agent; a terminal that stops reading gets a resync.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { openPtySocket } from '../../../src/adapters/remote/runnerAttachClient';
import { MAX_PTY_INPUT_BYTES, parseWith, PtyServerMessageSchema } from '../../../src/shared/protocol/runnerAttach';
import type { PtyServerMessage } from '../../../src/shared/protocol/runnerAttach';
import type { ServeProcess } from './runnerKit';
import { eventually, startServe, useRunnerBundle } from './runnerKit';

/** One attachment: every output byte (decoded) and every text message, as they come. */
class Attached {
  output = '';
  outputBytes = 0;
  /** The first 64 KB of output bytes, as they came. */
  raw = Buffer.alloc(0);
  readonly messages: PtyServerMessage[] = [];
  closeCode: number | undefined;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    const decoder = new TextDecoder();
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      if (isBinary) {
        this.outputBytes += bytes.length;
        if (this.raw.length < 65536) this.raw = Buffer.concat([this.raw, bytes]).subarray(0, 65536);
        this.output += decoder.decode(bytes, { stream: true });
        // Keep the test's memory small when the agent floods.
        if (this.output.length > 1_000_000) this.output = this.output.slice(-500_000);
        return;
      }
      const parsed = parseWith(PtyServerMessageSchema, bytes.toString('utf8'), 'pty');
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      this.messages.push(parsed.value);
    });
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  type(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  resize(cols: number, rows: number): void {
    this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  async sees(what: string, text: string | RegExp): Promise<void> {
    await eventually(what, () => (typeof text === 'string' ? this.output.includes(text) : text.test(this.output)) || undefined, 15_000);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000, 'detached');
    });
  }
}

// A line-oriented agent: it greets, echoes each line, prints the terminal's size on `size`.
const LOOP = 'echo agent-ready; while read line; do if [ "$line" = size ]; then stty size; else echo "got:$line"; fi; done';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runner Attach (real serve process, real pty)', function () {
  this.timeout(60_000);
  const runner = useRunnerBundle();
  const cleanups = runner.cleanups;

  async function serveWith(withPty: boolean): Promise<ServeProcess> {
    const serve = await startServe({ script: runner.script, withPty });
    cleanups.push(() => serve.stop());
    return serve;
  }

  async function attach(serve: ServeProcess, id: string, token = serve.token): Promise<Attached> {
    const a = new Attached(openPtySocket({ url: serve.url, token }, id));
    cleanups.push(() => a.close());
    await a.opened;
    return a;
  }

  /** Starts an agent with `run`; its pid from what `run` printed ("started NAME (pid N, pty) in DIR"). */
  async function run(serve: ServeProcess, name: string, command: readonly string[], mode: 'pty' | 'pipes'): Promise<number> {
    const started = await serve.cli(['run', '--name', name, '--', ...command]);
    assert.equal(started.code, 0, started.stderr);
    const match = /\(pid (\d+), (\w+)\)/.exec(started.stdout);
    assert.ok(match, started.stdout);
    assert.equal(match[2], mode);
    return Number(match[1]);
  }

  it('shows the scrollback, streams output, takes input and resize; two attachments at once; a detach leaves the agent running', async () => {
    const serve = await serveWith(true);
    const pid = await run(serve, 'looper', ['sh', '-c', LOOP], 'pty');

    const first = await attach(serve, 'looper');
    await first.sees('the greeting from the scrollback', 'agent-ready');
    assert.deepEqual(first.messages[0], { type: 'attached', mode: 'pty', running: true, scrollback_bytes: first.messages[0]!.type === 'attached' ? first.messages[0]!.scrollback_bytes : -1 });

    first.type('hello\r');
    await first.sees('the echo of typed input', 'got:hello');

    first.resize(101, 33);
    first.type('size\r');
    await first.sees('the new size', '33 101');

    const second = await attach(serve, 'looper');
    await second.sees('the scrollback in a second attachment', 'got:hello');
    second.type('from-two\r');
    await first.sees('input from the second, in the first', 'got:from-two');
    await second.sees('input from the second, in the second', 'got:from-two');

    await first.close();
    await second.close();
    assert.ok(isAlive(pid), 'detaching did not stop the agent');
    const third = await attach(serve, 'looper');
    await third.sees('the scrollback after a reattach', 'got:from-two');
    third.type('again\r');
    await third.sees('input after a reattach', 'got:again');
  });

  it('without node-pty (pipes): output and input stream too, byte for byte', async () => {
    const serve = await serveWith(false);
    // Bytes that are not text (NUL, 0xff, a lone UTF-8 lead byte) before the loop, and every input line echoed raw.
    await run(serve, 'piped', ['sh', '-c', `printf 'bin:\\000\\377\\303:end\\n'; ${LOOP}`], 'pipes');
    const a = await attach(serve, 'piped');
    await a.sees('the greeting', 'agent-ready');
    assert.equal(a.messages[0]?.type === 'attached' && a.messages[0].mode, 'pipes');
    const start = a.raw.indexOf('bin:');
    assert.deepEqual([...a.raw.subarray(start, start + 11)], [...Buffer.from('bin:'), 0x00, 0xff, 0xc3, ...Buffer.from(':end')]);
    a.ws.send(Buffer.from([0x68, 0xc3, 0xa9, 0xff, 0x0a]), { binary: true });
    await eventually('the raw echo', () => (a.raw.includes(Buffer.from([0x67, 0x6f, 0x74, 0x3a, 0x68, 0xc3, 0xa9, 0xff, 0x0a])) ? true : undefined));
    a.type('piped-input\n');
    await a.sees('the echo', 'got:piped-input');
    // A resize means nothing to pipes and harms nothing.
    a.resize(80, 24);
    a.type('still\n');
    await a.sees('the echo after a resize', 'got:still');
  });

  it('hostile input: an oversize input frame closes that attachment (1009), a bad text frame gets an error; the agent goes on', async () => {
    const serve = await serveWith(true);
    const pid = await run(serve, 'target', ['sh', '-c', LOOP], 'pty');
    const bad = await attach(serve, 'target');
    await bad.sees('the greeting', 'agent-ready');
    bad.ws.send(JSON.stringify({ type: 'resize', cols: 0, rows: 5 }));
    bad.ws.send('not json');
    await eventually('two errors', () => (bad.messages.filter((m) => m.type === 'error').length === 2 ? true : undefined));
    const errors = bad.messages.flatMap((m) => (m.type === 'error' ? [m.error] : []));
    assert.match(errors[0]!, /^pty\.cols: /);
    assert.match(errors[1]!, /not JSON/);
    bad.ws.send(Buffer.alloc(MAX_PTY_INPUT_BYTES + 1, 0x61), { binary: true });
    await eventually('the close', () => bad.closeCode);
    assert.equal(bad.closeCode, 1009);
    const good = await attach(serve, 'target');
    good.type('fine\r');
    await good.sees('the agent still answers', 'got:fine');
    assert.ok(isAlive(pid));
  });

  it('refuses a wrong token (401), a browser Origin (403) and an unknown agent (404)', async () => {
    const serve = await serveWith(true);
    await run(serve, 'guarded', ['sh', '-c', LOOP], 'pty');
    await assert.rejects(attach(serve, 'guarded', 'x'.repeat(43)), /HTTP 401/);
    const withOrigin = new Attached(new WebSocket(`${serve.url}/v1/agents/guarded/pty`, { headers: { authorization: `Bearer ${serve.token}`, origin: 'https://evil.example' } }));
    await assert.rejects(withOrigin.opened, /HTTP 403/);
    await assert.rejects(attach(serve, 'nobody'), /HTTP 404/);
    assert.match(serve.output(), /wrong or missing token/);
    assert.doesNotMatch(serve.output(), new RegExp(serve.token));
  });

  it('a terminal that stops reading: output is skipped, then a resync and the scrollback; the runner does not hoard it', async () => {
    const serve = await serveWith(true);
    // 30 MB of output once a line arrives, then a marker.
    await run(serve, 'flood', ['sh', '-c', 'read go; head -c 30000000 /dev/zero | tr "\\0" x; echo; echo flood-done; sleep 600'], 'pty');
    const slow = await attach(serve, 'flood');
    const fast = await attach(serve, 'flood');
    const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serve.child.pid}/status`, 'utf8'))![1]) / 1024;
    const before = rssMb();
    slow.ws.pause();
    fast.type('go\r');
    await fast.sees('the end of the flood', 'flood-done');
    console.log(`      serve RSS ${before.toFixed(0)} MB before, ${rssMb().toFixed(0)} MB after 30 MB of output with one terminal stalled; the reading terminal got ${(fast.outputBytes / 1e6).toFixed(1)} MB`);
    slow.ws.resume();
    await eventually('the resync', () => slow.messages.find((m) => m.type === 'resync'));
    await slow.sees('the scrollback after the resync', 'flood-done');
    const resync = slow.messages.find((m) => m.type === 'resync')!;
    assert.ok(resync.type === 'resync' && resync.dropped_bytes > 0, 'bytes were skipped');
    assert.ok(slow.outputBytes < 30_000_000, `the stalled terminal was not sent everything (${slow.outputBytes})`);
    assert.ok(fast.outputBytes >= 30_000_000, `the reading terminal got it all (${fast.outputBytes})`);
  });
});
