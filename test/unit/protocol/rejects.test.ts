// Refused input, table-driven: each case names the field that is wrong and the reason, and never throws.
import assert from 'node:assert/strict';
import { FRAME_EXAMPLES } from '../../../src/shared/protocol/examples';
import type { FrameType } from '../../../src/shared/protocol/frames';
import { FRAME_TYPES } from '../../../src/shared/protocol/frames';
import {
  MAX_ATTR_KEY_LENGTH,
  MAX_ATTRS,
  MAX_FRAME_BYTES,
  MAX_ID_LENGTH,
  MAX_JSON_DEPTH,
  MAX_LABEL_LENGTH,
  MAX_TEXT_LENGTH,
} from '../../../src/shared/protocol/limits';
import { parseFrame, parseFrameText } from '../../../src/shared/protocol/parse';
import type { Path } from './helpers';
import { example, expectError, withField, withoutField } from './helpers';

interface PerType {
  /** A required field to remove. */
  required: Path;
  /** A field, a value of the wrong type, and the end of the expected message. */
  wrongType: [Path, unknown, string];
  /** A string field and its maximum length (absent: the frame has no free string). */
  longString?: [Path, number];
}

const perType: Record<FrameType, PerType> = {
  hello: { required: ['agent_id'], wrongType: [['pid'], 'x', 'expected number, received string'], longString: [['name'], MAX_LABEL_LENGTH] },
  welcome: {
    required: ['session_id'],
    wrongType: [['resumed'], 'yes', 'expected boolean, received string'],
    longString: [['session_id'], MAX_ID_LENGTH],
  },
  heartbeat: {
    required: ['elapsed_ms'],
    wrongType: [['step', 'k'], '3', 'expected number, received string'],
    longString: [['step', 'label'], MAX_LABEL_LENGTH],
  },
  span: { required: ['span_id'], wrongType: [['cost_usd'], 'cheap', 'expected number, received string'], longString: [['message'], MAX_TEXT_LENGTH] },
  event: {
    required: ['ts'],
    wrongType: [['attrs', 'passed'], { n: 1 }, 'expected string | number | boolean | null, received object'],
    longString: [['name'], MAX_LABEL_LENGTH],
  },
  approval_request: {
    required: ['input'],
    wrongType: [['tool'], 42, 'expected string, received number'],
    longString: [['summary'], MAX_TEXT_LENGTH],
  },
  approval_decision: {
    required: ['decided_by'],
    wrongType: [['decision'], 'maybe', "expected one of 'allow', 'deny', 'ask', received \"maybe\""],
    longString: [['reason'], MAX_TEXT_LENGTH],
  },
  control: { required: ['action'], wrongType: [['text'], 7, 'expected string, received number'], longString: [['text'], MAX_TEXT_LENGTH] },
  ack: { required: ['ack_seq'], wrongType: [['ack_seq'], '4', 'expected number, received string'] },
  error: { required: ['code'], wrongType: [['ref_seq'], [5], 'expected number, received array'], longString: [['field'], MAX_LABEL_LENGTH] },
};

const dotted = (type: string, path: Path) => [type, ...path].join('.');

describe('protocol frames: refused input', () => {
  for (const type of FRAME_TYPES) {
    const { required, wrongType, longString } = perType[type];
    describe(type, () => {
      it(`names a missing required field (${dotted(type, required)})`, () => {
        const error = expectError(parseFrame(withoutField(type, required)));
        assert.equal(error.code, 'bad_frame');
        assert.equal(error.field, dotted(type, required));
        assert.match(error.message, new RegExp(`^${dotted(type, required)}: required field missing`));
      });

      it(`names a field of the wrong type (${dotted(type, wrongType[0])})`, () => {
        const error = expectError(parseFrame(withField(type, wrongType[0], wrongType[1])));
        assert.deepEqual(error, {
          code: 'bad_frame',
          field: dotted(type, wrongType[0]),
          message: `${dotted(type, wrongType[0])}: ${wrongType[2]}`,
          ref_seq: FRAME_EXAMPLES[type].seq,
        });
      });

      if (longString) {
        const [path, max] = longString;
        it(`names an oversized string (${dotted(type, path)} over ${max})`, () => {
          assert.equal(parseFrame(withField(type, path, 'x'.repeat(max))).ok, true, 'at the limit is fine');
          const error = expectError(parseFrame(withField(type, path, 'x'.repeat(max + 1))));
          assert.equal(error.field, dotted(type, path));
          assert.equal(error.message, `${dotted(type, path)}: too long (${max + 1} characters, max ${max})`);
        });
      } else {
        it('has no free-text field to oversize', () => {
          assert.equal(Object.values(FRAME_EXAMPLES[type]).some((v) => typeof v === 'string' && v !== type), false);
        });
      }

      it('names an extra field', () => {
        const error = expectError(parseFrame({ ...example(type), colour: 'red' }));
        assert.deepEqual([error.code, error.field, error.message], ['bad_frame', `${type}.colour`, `${type}.colour: unknown field`]);
      });

      it('names a missing or negative seq', () => {
        assert.equal(expectError(parseFrame(withoutField(type, ['seq']))).field, `${type}.seq`);
        const negative = expectError(parseFrame(withField(type, ['seq'], -1)));
        assert.equal(negative.message, `${type}.seq: must be >= 0, received -1`);
        assert.equal(negative.ref_seq, undefined, 'an invalid seq is not echoed');
        assert.equal(expectError(parseFrame(withField(type, ['seq'], 1.5))).message, `${type}.seq: expected integer, received 1.5`);
      });

      it('refuses the frame from the side that does not send it', () => {
        const agentSends = parseFrame(FRAME_EXAMPLES[type], { from: 'agent' }).ok;
        const supervisorSends = parseFrame(FRAME_EXAMPLES[type], { from: 'supervisor' }).ok;
        assert.equal(agentSends || supervisorSends, true);
        if (!supervisorSends) {
          assert.equal(expectError(parseFrame(FRAME_EXAMPLES[type], { from: 'supervisor' })).message, `type: the supervisor does not send '${type}' frames`);
        }
        if (!agentSends) assert.equal(expectError(parseFrame(FRAME_EXAMPLES[type], { from: 'agent' })).message, `type: an agent does not send '${type}' frames`);
      });
    });
  }

  describe('whole frames', () => {
    const cases: Array<[string, string, { code: string; field: string; message: string | RegExp }]> = [
      ['unknown type', '{"type":"x","seq":1}', { code: 'unknown_frame_type', field: 'type', message: "unknown frame type 'x'" }],
      ['missing type', '{"seq":1}', { code: 'bad_frame', field: 'type', message: /^type: required field missing \(one of hello, welcome/ }],
      ['numeric type', '{"type":7}', { code: 'bad_frame', field: 'type', message: 'type: expected string, received 7' }],
      ['an array', '[1,2]', { code: 'bad_frame', field: '', message: 'frame: expected a JSON object, received array' }],
      ['null', 'null', { code: 'bad_frame', field: '', message: 'frame: expected a JSON object, received null' }],
      ['a string', '"hello"', { code: 'bad_frame', field: '', message: 'frame: expected a JSON object, received "hello"' }],
      ['non-JSON text', '{"type":"ack",', { code: 'bad_frame', field: '', message: /^frame: not valid JSON \(/ }],
      ['empty text', '', { code: 'bad_frame', field: '', message: /^frame: not valid JSON/ }],
      ['hello v2', JSON.stringify({ ...FRAME_EXAMPLES.hello, v: 2 }), { code: 'unsupported_version', field: 'hello.v', message: 'hello.v: unsupported protocol version 2 (supported: 1)' }],
      ['hello v as text', JSON.stringify({ ...FRAME_EXAMPLES.hello, v: '1' }), { code: 'bad_frame', field: 'hello.v', message: 'hello.v: expected 1, received "1"' }],
      ['hello without v', JSON.stringify({ ...FRAME_EXAMPLES.hello, v: undefined }), { code: 'bad_frame', field: 'hello.v', message: 'hello.v: required field missing (expected 1)' }],
      ['welcome v0', JSON.stringify({ ...FRAME_EXAMPLES.welcome, v: 0 }), { code: 'bad_frame', field: 'welcome.v', message: 'welcome.v: expected 1, received 0' }],
      ['oversized frame', JSON.stringify({ ...FRAME_EXAMPLES.event, message: 'x'.repeat(MAX_FRAME_BYTES) }), { code: 'frame_too_large', field: '', message: /^frame: larger than the limit \(max 262144 bytes\)$/ }],
      // Fewer UTF-16 units than the limit but more UTF-8 bytes: the byte count is what is checked.
      ['oversized multibyte frame', JSON.stringify({ ...FRAME_EXAMPLES.event, message: '€'.repeat(MAX_FRAME_BYTES / 2) }), { code: 'frame_too_large', field: '', message: /^frame: larger than the limit/ }],
    ];
    for (const [name, text, expected] of cases) {
      it(`refuses ${name}`, () => {
        const error = expectError(parseFrameText(text));
        assert.equal(error.code, expected.code);
        assert.equal(error.field, expected.field);
        if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
        else assert.match(error.message, expected.message);
      });
    }

    it('refuses oversized and non-UTF-8 bytes before decoding them', () => {
      const big = expectError(parseFrameText(new Uint8Array(MAX_FRAME_BYTES + 1)));
      assert.deepEqual(big, { code: 'frame_too_large', field: '', message: `frame: ${MAX_FRAME_BYTES + 1} bytes (max ${MAX_FRAME_BYTES} bytes)` });
      const bad = expectError(parseFrameText(new Uint8Array([0x7b, 0xff, 0x7d])));
      assert.deepEqual(bad, { code: 'bad_frame', field: '', message: 'frame: not valid UTF-8' });
    });

    it('echoes the seq of a refused frame as ref_seq', () => {
      assert.equal(expectError(parseFrameText('{"type":"nope","seq":41}')).ref_seq, 41);
      assert.equal(expectError(parseFrameText('{"type":"nope","seq":"41"}')).ref_seq, undefined);
    });

    it('clips a huge unknown type in the message', () => {
      const error = expectError(parseFrame({ type: 't'.repeat(10_000), seq: 0 }));
      assert.ok(error.message.length < 100, error.message);
    });
  });

  describe('field rules', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['an empty id', { ...FRAME_EXAMPLES.hello, agent_id: '' }, 'hello.agent_id', 'must not be empty'],
      ['an unknown agent kind', { ...FRAME_EXAMPLES.hello, kind: 'robot' }, 'hello.kind', "expected one of 'claude-code', 'codex', 'custom', 'remote', received \"robot\""],
      ['a resume without session', { ...FRAME_EXAMPLES.hello, resume: { last_seq: 3 } }, 'hello.resume.session_id', 'required field missing (expected string)'],
      ['an extra nested field', { ...FRAME_EXAMPLES.heartbeat, step: { k: 1, of: 2 } }, 'heartbeat.step.of', 'unknown field'],
      ['step k beyond n', { ...FRAME_EXAMPLES.heartbeat, step: { k: 8, n: 7 } }, 'heartbeat.step.k', 'k must not exceed n'],
      ['an unknown status', { ...FRAME_EXAMPLES.heartbeat, status: 'busy' }, 'heartbeat.status', "expected one of 'starting', 'working', 'waiting-input', 'waiting-approval', 'idle', 'stalled', 'disconnected', 'unreachable', 'failed', 'done', 'stopped', 'quarantined', received \"busy\""],
      ['a negative elapsed time', { ...FRAME_EXAMPLES.heartbeat, elapsed_ms: -1 }, 'heartbeat.elapsed_ms', 'must be >= 0, received -1'],
      ['a non-finite number', { ...FRAME_EXAMPLES.heartbeat, elapsed_ms: Infinity }, 'heartbeat.elapsed_ms', 'expected number, received Infinity'],
      ['NaN', { ...FRAME_EXAMPLES.span, cost_usd: NaN }, 'span.cost_usd', 'expected number, received NaN'],
      ['too many blockers', { ...FRAME_EXAMPLES.heartbeat, blockers: Array(17).fill('b') }, 'heartbeat.blockers', 'too many items (17, max 16)'],
      ['an empty blocker', { ...FRAME_EXAMPLES.heartbeat, blockers: ['ok', ''] }, 'heartbeat.blockers.1', 'must not be empty'],
      ['a span with neither start nor duration', { ...FRAME_EXAMPLES.span, started_at: undefined, duration_ms: undefined }, 'span.started_at', 'a span needs started_at or duration_ms'],
      ['negative tokens', { ...FRAME_EXAMPLES.span, tokens_out: -3 }, 'span.tokens_out', 'must be >= 0, received -3'],
      ['fractional tokens', { ...FRAME_EXAMPLES.span, tokens_in: 2.5 }, 'span.tokens_in', 'expected integer, received 2.5'],
      ['too many attrs', { ...FRAME_EXAMPLES.event, attrs: Object.fromEntries(Array.from({ length: MAX_ATTRS + 1 }, (_, i) => [`k${i}`, i])) }, 'event.attrs', `too many attributes (max ${MAX_ATTRS})`],
      ['an attr key too long', { ...FRAME_EXAMPLES.event, attrs: { ['k'.repeat(MAX_ATTR_KEY_LENGTH + 1)]: 1 } }, `event.attrs.${'k'.repeat(63)}…`, `invalid key: too long (${MAX_ATTR_KEY_LENGTH + 1} characters, max ${MAX_ATTR_KEY_LENGTH})`],
      ['an attrs array', { ...FRAME_EXAMPLES.event, attrs: [] }, 'event.attrs', 'expected object, received array'],
      ['a message control without text', { type: 'control', seq: 1, action: 'message' }, 'control.text', "text is required when action is 'message' and not allowed otherwise"],
      ['a stop with text', { type: 'control', seq: 1, action: 'stop', text: 'now' }, 'control.text', "text is required when action is 'message' and not allowed otherwise"],
      ['an unknown control action', { type: 'control', seq: 1, action: 'reboot' }, 'control.action', "expected one of 'pause', 'resume', 'stop', 'message', received \"reboot\""],
      ['an unknown error code', { ...FRAME_EXAMPLES.error, code: 'oops' }, 'error.code', /^expected one of 'bad_frame'/.source],
      ['a heartbeat interval too short', { ...FRAME_EXAMPLES.welcome, heartbeat_interval_ms: 10 }, 'welcome.heartbeat_interval_ms', 'must be >= 1000, received 10'],
    ];
    for (const [name, value, field, reason] of cases) {
      it(`names ${name}`, () => {
        const error = expectError(parseFrame(value));
        assert.equal(error.code, 'bad_frame');
        assert.equal(error.field, field);
        if (reason.startsWith('^')) assert.match(error.message, new RegExp(`^${escape(field)}: ${reason.slice(1)}`));
        else assert.equal(error.message, `${field}: ${reason}`);
      });
    }
  });

  describe('approval tool input (bounded JSON)', () => {
    const input = (value: unknown) => ({ ...FRAME_EXAMPLES.approval_request, input: value });
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[string, unknown, string]> = [
      ['nested too deep', deep, `nested deeper than ${MAX_JSON_DEPTH} levels`],
      ['cyclic', cyclic, `nested deeper than ${MAX_JSON_DEPTH} levels`],
      ['with too many values', Array(10_001).fill(0), 'more than 10000 values'],
      ['too large', { content: 'x'.repeat(128 * 1024) }, /^serializes to \d+ characters, max 131072$/.source],
      ['a Date', new Date(0), 'only plain objects are JSON values'],
      ['containing undefined', { a: undefined }, 'undefined is not a JSON value'],
      ['containing Infinity', [1, Infinity], 'non-finite number Infinity'],
      ['with a __proto__ key', JSON.parse('{"a":{"__proto__":{"polluted":true}}}'), "key '__proto__' is not allowed"],
    ];
    for (const [name, value, reason] of cases) {
      it(`refuses input ${name}`, () => {
        const error = expectError(parseFrame(input(value)));
        assert.equal(error.field, 'approval_request.input');
        if (reason.startsWith('^')) assert.match(error.message, new RegExp(`^approval_request\\.input: ${reason.slice(1)}`));
        else assert.equal(error.message, `approval_request.input: ${reason}`);
      });
    }

    it('refuses a 100 000-level nesting sent as text without overflowing the stack', () => {
      const text = JSON.stringify(input('@')).replace('"@"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
      const error = expectError(parseFrameText(text));
      assert.equal(error.message, `approval_request.input: nested deeper than ${MAX_JSON_DEPTH} levels`);
    });

    it('accepts input nested just within the depth limit', () => {
      let ok: unknown = 'leaf';
      for (let i = 1; i < MAX_JSON_DEPTH; i++) ok = [ok];
      assert.equal(parseFrame(input(ok)).ok, true);
    });
  });

  it('refuses a __proto__ attribute instead of dropping it', () => {
    const text = JSON.stringify(FRAME_EXAMPLES.event).replace('"attrs":{', '"attrs":{"__proto__":"x",');
    const error = expectError(parseFrameText(text));
    assert.deepEqual([error.field, error.message], ['event.attrs.__proto__', "event.attrs.__proto__: key '__proto__' is not allowed"]);
  });

  it('refuses a top-level __proto__ key as an unknown field', () => {
    const text = JSON.stringify(FRAME_EXAMPLES.ack).replace('{', '{"__proto__":{"x":1},');
    assert.equal(expectError(parseFrameText(text)).field, 'ack.__proto__');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
