// The incremental transcript reader on real files in a temp dir: de-duplication, partial lines, truncated and
// replaced files, bad lines, synthetic messages, per-model totals and per-read deltas.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptReader } from '../../../src/adapters/claudeCode/transcriptReader';
import type { Logger } from '../../../src/core/log';
import { assistant } from './transcriptLines';

const user = (text: string): string => `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`;

describe('TranscriptReader', () => {
  let dir: string;
  let file: string;
  let warnings: string[];
  let reader: TranscriptReader;
  const log: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-transcript-'));
    file = join(dir, 'session.jsonl');
    warnings = [];
    reader = new TranscriptReader(file, { log });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a missing file as empty', async () => {
    assert.deepEqual(await reader.read(), { deltas: [], interrupts: [], skipped: [], restarted: false });
  });

  it('counts a request once, however many lines (one per content block) repeat its usage', async () => {
    writeFileSync(
      file,
      user('hi') +
        assistant({ id: 'msg_1', req: 'req_1', input: 2000, output: 120, cacheCreation: 2000, text: 'text block' }) +
        assistant({ id: 'msg_1', req: 'req_1', input: 2000, output: 120, cacheCreation: 2000, text: 'tool block' }) +
        assistant({ id: 'msg_2', req: 'req_2', input: 150, output: 40, cacheRead: 2000 }),
    );
    const result = await reader.read();
    assert.deepEqual(
      result.deltas.map((d) => [d.messageId, d.requestId, d.usage]),
      [
        ['msg_1', 'req_1', { input: 2000, output: 120, cacheCreation: 2000, cacheCreation1h: 0, cacheRead: 0 }],
        ['msg_2', 'req_2', { input: 150, output: 40, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 2000 }],
      ],
    );
    assert.deepEqual(reader.total, { input: 2150, output: 160, cacheCreation: 2000, cacheCreation1h: 0, cacheRead: 2000 });
    // The same lines again in a later append still count zero.
    appendFileSync(file, assistant({ id: 'msg_1', req: 'req_1', input: 2000, output: 120, cacheCreation: 2000 }));
    assert.deepEqual((await reader.read()).deltas, []);
    assert.deepEqual(reader.total, { input: 2150, output: 160, cacheCreation: 2000, cacheCreation1h: 0, cacheRead: 2000 });
  });

  it('keys on message id and request id together', async () => {
    writeFileSync(file, assistant({ id: 'msg_1', req: 'req_a', input: 10 }) + assistant({ id: 'msg_1', req: 'req_b', input: 10 }));
    await reader.read();
    assert.equal(reader.total.input, 20);
  });

  it('counts only the growth when a later line of the same request reports more (older versions)', async () => {
    writeFileSync(file, assistant({ id: 'msg_1', req: 'r', input: 100, output: 1 }));
    assert.deepEqual((await reader.read()).deltas[0]?.usage, { input: 100, output: 1, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 });
    appendFileSync(file, assistant({ id: 'msg_1', req: 'r', input: 100, output: 85 }));
    assert.deepEqual((await reader.read()).deltas[0]?.usage, { input: 0, output: 84, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 });
    assert.deepEqual(reader.total, { input: 100, output: 85, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 });
  });

  it("reports Claude Code's interruption lines (Escape: no hook) as interrupts, string or block content, once", async () => {
    const marker = (content: unknown) => `${JSON.stringify({ type: 'user', message: { role: 'user', content } })}\n`;
    writeFileSync(file, user('please [Request interrupted by user] is just text here') + marker([{ type: 'text', text: '[Request interrupted by user for tool use]' }]));
    assert.deepEqual((await reader.read()).interrupts, ['[Request interrupted by user for tool use]']);
    appendFileSync(file, marker('[Request interrupted by user]') + marker([{ type: 'tool_result', content: 'x' }]));
    assert.deepEqual((await reader.read()).interrupts, ['[Request interrupted by user]']);
    assert.deepEqual((await reader.read()).interrupts, []);
  });

  it('keeps a partial last line for the next read, even one cut inside a multi-byte character', async () => {
    const line = assistant({ id: 'msg_1', req: 'r', input: 7, output: 3, text: 'héllo → wörld' });
    const bytes = Buffer.from(line);
    const cut = bytes.indexOf(Buffer.from('→')) + 1; // inside the 3-byte arrow
    writeFileSync(file, bytes.subarray(0, cut));
    assert.deepEqual(await reader.read(), { deltas: [], interrupts: [], skipped: [], restarted: false });
    assert.equal(reader.bytesRead, 0);
    appendFileSync(file, bytes.subarray(cut));
    const result = await reader.read();
    assert.equal(result.deltas.length, 1);
    assert.deepEqual(result.skipped, []);
    assert.equal(reader.bytesRead, bytes.length);
  });

  it('a truncated file is read again from the start without counting twice', async () => {
    const first = assistant({ id: 'msg_1', req: 'r1', input: 100, output: 10 });
    writeFileSync(file, first + assistant({ id: 'msg_2', req: 'r2', input: 200, output: 20 }));
    await reader.read();
    truncateSync(file, 0);
    writeFileSync(file, first + assistant({ id: 'msg_3', req: 'r3', input: 5, output: 1 }));
    const result = await reader.read();
    assert.equal(result.restarted, true);
    assert.deepEqual(result.deltas.map((d) => d.messageId), ['msg_3']);
    assert.deepEqual(reader.total, { input: 305, output: 31, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 });
  });

  it('a file replaced by another (rotation) is read from the start', async () => {
    writeFileSync(file, assistant({ id: 'msg_1', req: 'r1', input: 100 }));
    await reader.read();
    const other = join(dir, 'new.jsonl');
    writeFileSync(other, assistant({ id: 'msg_1', req: 'r1', input: 100 }) + assistant({ id: 'msg_9', req: 'r9', input: 1 }) + user('x'));
    renameSync(other, file);
    const result = await reader.read();
    assert.equal(result.restarted, true);
    assert.deepEqual(result.deltas.map((d) => d.messageId), ['msg_9']);
    assert.equal(reader.total.input, 101);
  });

  it('skips bad lines with a logged reason and reads on', async () => {
    writeFileSync(
      file,
      '{"type":"assistant", broken\n' +
        `${JSON.stringify({ type: 'assistant', message: { id: 'msg_x', model: 'm' } })}\n` +
        assistant({ id: 'msg_1', req: 'r', input: 3 }),
    );
    const result = await reader.read();
    assert.deepEqual(result.skipped.map((s) => s.offset), [0, 28]);
    assert.equal(result.skipped[0]!.reason, 'not JSON');
    assert.match(result.skipped[1]!.reason, /^assistant line: message\.usage: /);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /session\.jsonl @0: not JSON/);
    assert.equal(reader.total.input, 3);
  });

  it("skips Claude Code's <synthetic> messages", async () => {
    writeFileSync(file, assistant({ id: 'msg_s', req: 'r', model: '<synthetic>', input: 999, output: 999 }) + assistant({ id: 'msg_1', req: 'r1', input: 1 }));
    await reader.read();
    assert.deepEqual([...reader.totalsByModel.keys()], ['claude-sonnet-4-5-20250929']);
    assert.equal(reader.total.input, 1);
  });

  it('sums per model and reports each read only its new deltas', async () => {
    writeFileSync(file, assistant({ id: 'a', req: '1', model: 'claude-sonnet-4-5-20250929', input: 10, output: 1 }));
    assert.equal((await reader.read()).deltas.length, 1);
    appendFileSync(file, assistant({ id: 'b', req: '2', model: 'claude-haiku-4-5-20251001', input: 4, output: 2, cacheRead: 8 }));
    appendFileSync(file, assistant({ id: 'c', req: '3', model: 'claude-sonnet-4-5-20250929', input: 20, output: 3 }));
    const second = await reader.read();
    assert.deepEqual(second.deltas.map((d) => [d.model, d.usage.input]), [
      ['claude-haiku-4-5-20251001', 4],
      ['claude-sonnet-4-5-20250929', 20],
    ]);
    assert.deepEqual(Object.fromEntries(reader.totalsByModel), {
      'claude-sonnet-4-5-20250929': { input: 30, output: 4, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 },
      'claude-haiku-4-5-20251001': { input: 4, output: 2, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 8 },
    });
  });

  it('serializes concurrent reads so no line is read twice', async () => {
    writeFileSync(file, assistant({ id: 'a', req: '1', input: 1 }));
    const [a, b] = await Promise.all([reader.read(), reader.read()]);
    assert.equal(a.deltas.length + b.deltas.length, 1);
    assert.equal(reader.total.input, 1);
  });
});
