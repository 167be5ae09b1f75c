// The write side and the helpers around the parser: encodeFrame refuses bad frames, toErrorFrame answers refusals,
// negotiateVersion picks a common version, utf8ByteLength agrees with a real encoder.
import assert from 'node:assert/strict';
import { FRAME_EXAMPLES } from '../../../src/shared/protocol/examples';
import type { Frame } from '../../../src/shared/protocol/frames';
import { MAX_FRAME_BYTES } from '../../../src/shared/protocol/limits';
import {
  encodeFrame,
  FrameEncodeError,
  parseFrame,
  parseFrameText,
  toErrorFrame,
  utf8ByteLength,
} from '../../../src/shared/protocol/parse';
import { negotiateVersion, PROTOCOL_VERSION, SUPPORTED_VERSIONS } from '../../../src/shared/protocol/version';
import { expectError } from './helpers';

function encodeError(frame: unknown): FrameEncodeError {
  try {
    encodeFrame(frame as Frame);
  } catch (error) {
    assert.ok(error instanceof FrameEncodeError, String(error));
    return error;
  }
  assert.fail('encodeFrame accepted an invalid frame');
}

describe('protocol encodeFrame', () => {
  it('throws, naming the field, instead of sending an invalid frame', () => {
    const error = encodeError({ ...FRAME_EXAMPLES.heartbeat, step: { k: '3' } });
    assert.equal(error.error.field, 'heartbeat.step.k');
    assert.equal(error.message, 'refusing to send an invalid frame: heartbeat.step.k: expected number, received string');
  });

  it('throws on a field the schema does not know, rather than leaking it', () => {
    const error = encodeError({ ...FRAME_EXAMPLES.welcome, debug_secret: 'x' });
    assert.equal(error.error.field, 'welcome.debug_secret');
  });

  it('throws frame_too_large when the valid frame is over the byte limit', () => {
    // 120k three-byte characters pass the input's character limit but not the frame's byte limit.
    const frame = { ...FRAME_EXAMPLES.approval_request, input: { content: '€'.repeat(120_000) } };
    assert.equal(parseFrame(frame).ok, true);
    const error = encodeError(frame);
    assert.equal(error.error.code, 'frame_too_large');
    assert.equal(error.error.ref_seq, frame.seq);
  });
});

describe('protocol toErrorFrame', () => {
  it('turns a refusal into a valid error frame that names the field and the seq', () => {
    const refusal = expectError(parseFrameText(JSON.stringify({ ...FRAME_EXAMPLES.heartbeat, step: { k: 'x' } })));
    const frame = toErrorFrame(refusal, 7);
    assert.deepEqual(frame, {
      type: 'error',
      seq: 7,
      code: 'bad_frame',
      message: 'heartbeat.step.k: expected number, received string',
      ref_seq: FRAME_EXAMPLES.heartbeat.seq,
      field: 'heartbeat.step.k',
    });
    assert.deepEqual(JSON.parse(encodeFrame(frame)), frame);
  });

  it('lists the supported versions with unsupported_version', () => {
    const refusal = expectError(parseFrame({ ...FRAME_EXAMPLES.hello, v: 3 }));
    const frame = toErrorFrame(refusal, 0);
    assert.deepEqual(frame.supported_versions, [...SUPPORTED_VERSIONS]);
    assert.equal(frame.field, 'hello.v');
  });

  it('leaves out field and ref_seq when the frame as a whole was bad', () => {
    const frame = toErrorFrame(expectError(parseFrameText('not json')), 1);
    assert.equal('field' in frame, false);
    assert.equal('ref_seq' in frame, false);
    encodeFrame(frame);
  });

  it('produces an encodable frame even for a refusal quoting very long input', () => {
    const keys = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${'k'.repeat(5000)}${i}`, 1]));
    const refusal = expectError(parseFrame({ ...FRAME_EXAMPLES.ack, ...keys }));
    assert.ok(refusal.field.length <= 512, `field is ${refusal.field.length} characters`);
    encodeFrame(toErrorFrame(refusal, 2));
  });
});

describe('protocol versions', () => {
  it('speaks version 1', () => {
    assert.equal(PROTOCOL_VERSION, 1);
    assert.deepEqual(SUPPORTED_VERSIONS, [1]);
  });

  const cases: Array<[number | number[], readonly number[] | undefined, number | undefined]> = [
    [1, undefined, 1],
    [2, undefined, undefined],
    [[3, 2, 1], undefined, 1],
    [[], undefined, undefined],
    [[1, 2, 3], [2, 3, 4], 3],
    [[1, 4], [2, 3], undefined],
  ];
  for (const [offered, supported, expected] of cases) {
    it(`negotiates ${JSON.stringify(offered)} against ${JSON.stringify(supported ?? SUPPORTED_VERSIONS)} -> ${expected}`, () => {
      assert.equal(negotiateVersion(offered, supported), expected);
    });
  }
});

describe('protocol utf8ByteLength', () => {
  const samples = ['', 'ascii', 'é', '€uro', '😀 emoji', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', 'x'.repeat(1000)];
  for (const sample of samples) {
    it(`counts ${JSON.stringify(sample.slice(0, 12))} like TextEncoder`, () => {
      assert.equal(utf8ByteLength(sample), new TextEncoder().encode(sample).length);
    });
  }

  it('stops counting past the limit', () => {
    assert.equal(utf8ByteLength('x'.repeat(MAX_FRAME_BYTES * 2), 10), 11);
  });
});
