// Every frame type: the documented example parses, minimal frames parse, and parse/encode round-trip.
import assert from 'node:assert/strict';
import { FRAME_EXAMPLES } from '../../../src/shared/protocol/examples';
import type { Frame } from '../../../src/shared/protocol/frames';
import { FRAME_TYPES, FrameSchema } from '../../../src/shared/protocol/frames';
import { MAX_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../../src/shared/protocol/limits';
import { encodeFrame, parseFrame, parseFrameText } from '../../../src/shared/protocol/parse';

const minimal: Frame[] = [
  { type: 'hello', seq: 0, v: 1, agent_id: 'a', name: 'A', kind: 'custom', token: 't', capabilities: [] },
  {
    type: 'welcome',
    seq: 0,
    v: 1,
    session_id: 's',
    server_time: 0,
    heartbeat_interval_ms: 1000,
    capabilities: [],
    resumed: true,
    last_seq: 12,
  },
  { type: 'heartbeat', seq: 1, elapsed_ms: 0 },
  { type: 'heartbeat', seq: 1, elapsed_ms: 0.5, step: { k: 0 } },
  { type: 'span', seq: 2, span_id: 's1', kind: 'tool', name: 'Bash', status: 'running', started_at: 1 },
  { type: 'span', seq: 2, span_id: 's1', kind: 'task', name: 'T', status: 'error', duration_ms: 12.5 },
  { type: 'event', seq: 3, kind: 'log', name: 'note', ts: 0, message: '' },
  { type: 'approval_request', seq: 4, request_id: 'r', tool: 'Bash', input: null },
  { type: 'approval_request', seq: 4, request_id: 'r', tool: 'Write', input: [1, 'two', { three: [true] }] },
  { type: 'approval_decision', seq: 1, request_id: 'r', decision: 'ask', decided_by: 'timeout' },
  { type: 'control', seq: 1, action: 'stop' },
  { type: 'control', seq: 1, action: 'pause', agent_id: 'a' },
  { type: 'ack', seq: 0, ack_seq: 0 },
  { type: 'error', seq: 9, code: 'internal', message: '' },
];

describe('protocol frames: valid input', () => {
  for (const type of FRAME_TYPES) {
    it(`parses the ${type} example, as a value and as text`, () => {
      const example = FRAME_EXAMPLES[type];
      assert.deepEqual(parseFrame(example), { ok: true, frame: example });
      assert.deepEqual(parseFrameText(JSON.stringify(example)), { ok: true, frame: example });
      assert.deepEqual(parseFrameText(new TextEncoder().encode(JSON.stringify(example))), { ok: true, frame: example });
    });
  }

  it('has an example for every member of the union', () => {
    assert.deepEqual(Object.keys(FRAME_EXAMPLES).sort(), [...FRAME_TYPES].sort());
    for (const example of Object.values(FRAME_EXAMPLES)) assert.equal(FrameSchema.safeParse(example).success, true);
  });

  for (const [i, frame] of minimal.entries()) {
    it(`parses minimal frame #${i}: ${frame.type} with ${Object.keys(frame).slice(2).join(', ')}`, () => {
      assert.deepEqual(parseFrame(frame), { ok: true, frame });
    });
  }

  it('encodes what it parses back to the same frame', () => {
    for (const frame of [...Object.values(FRAME_EXAMPLES), ...minimal]) {
      const text = encodeFrame(frame);
      assert.deepEqual(JSON.parse(text), frame);
      assert.deepEqual(parseFrameText(text), { ok: true, frame });
    }
  });

  it('accepts frames by sender when the sender may send them', () => {
    assert.equal(parseFrame(FRAME_EXAMPLES.hello, { from: 'agent' }).ok, true);
    assert.equal(parseFrame(FRAME_EXAMPLES.welcome, { from: 'supervisor' }).ok, true);
    assert.equal(parseFrame(FRAME_EXAMPLES.ack, { from: 'agent' }).ok, true);
    assert.equal(parseFrame(FRAME_EXAMPLES.ack, { from: 'supervisor' }).ok, true);
  });

  it('accepts strings exactly at their limit and a frame exactly at the byte limit', () => {
    const atLimit = { ...FRAME_EXAMPLES.event, message: 'x'.repeat(MAX_TEXT_LENGTH) };
    assert.equal(parseFrame(atLimit).ok, true);
    // Three-byte characters reach the byte limit with a tool input that is within its own character limit.
    const baseBytes = utf8Bytes(JSON.stringify({ ...FRAME_EXAMPLES.approval_request, input: '' }));
    const euros = Math.floor((MAX_FRAME_BYTES - baseBytes) / 3);
    const input = '€'.repeat(euros) + 'a'.repeat(MAX_FRAME_BYTES - baseBytes - 3 * euros);
    const text = JSON.stringify({ ...FRAME_EXAMPLES.approval_request, input });
    assert.equal(utf8Bytes(text), MAX_FRAME_BYTES);
    assert.equal(parseFrameText(text).ok, true);
    assert.equal(encodeFrame({ ...FRAME_EXAMPLES.approval_request, input }), text);
    const oneMore = JSON.stringify({ ...FRAME_EXAMPLES.approval_request, input: `${input}a` });
    const result = parseFrameText(oneMore);
    assert.equal(result.ok ? 'ok' : result.error.code, 'frame_too_large');
  });
});

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
