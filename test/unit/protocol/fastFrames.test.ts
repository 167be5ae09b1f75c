// The hand-checked hot path (fastFrames.ts) against the zod schemas it stands in for: on every frame tried, a frame
// the hand check accepts is one zod accepts and returns unchanged, and the frames of everyday shape take it.
import assert from 'node:assert/strict';
import { fastFrame } from '../../../src/shared/protocol/fastFrames';
import { FRAME_SCHEMAS } from '../../../src/shared/protocol/frames';
import { MAX_ATTR_KEY_LENGTH, MAX_ATTR_VALUE_LENGTH, MAX_ATTRS, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from '../../../src/shared/protocol/limits';
import { parseFrameText } from '../../../src/shared/protocol/parse';

type Obj = Record<string, unknown>;

const fullEvent: Obj = {
  type: 'event',
  seq: 7,
  agent_id: 'a1',
  fleet: 'f',
  group: 'g',
  task_id: 't',
  trace_id: 'tr',
  span_id: 'sp',
  kind: 'tool',
  name: 'Bash',
  ts: 1_700_000_000_000,
  level: 'warn',
  attrs: { a: 'x', b: 1.5, c: true, d: null },
  message: 'hello',
};
const minimalEvent: Obj = { type: 'event', seq: 0, kind: 'log', name: 'e', ts: 0 };
const ack: Obj = { type: 'ack', seq: 3, ack_seq: 4 };

const BAD_VALUES: unknown[] = [undefined, null, -1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', true, {}, [], 0, -0];

/** Every variant tried: each field removed, set to each odd value, at and past its limits, and extra keys. */
function variants(base: Obj): Obj[] {
  const out: Obj[] = [base, { ...base, extra: 1 }];
  for (const key of Object.keys(base)) {
    const { [key]: _removed, ...rest } = base;
    out.push(rest);
    for (const v of BAD_VALUES) out.push({ ...base, [key]: v });
    for (const n of [MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH]) for (const len of [n, n + 1]) out.push({ ...base, [key]: 'x'.repeat(len) });
    for (const v of ['debug', 'info', 'error', 'fatal', 'agent', 'task', 'model', 'span', 'event', 'ack']) out.push({ ...base, [key]: v });
  }
  const attrs = (a: unknown): Obj => ({ ...base, attrs: a });
  const many = (n: number): Obj => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  out.push(
    attrs(many(MAX_ATTRS)),
    attrs(many(MAX_ATTRS + 1)),
    attrs({ ['k'.repeat(MAX_ATTR_KEY_LENGTH)]: 1 }),
    attrs({ ['k'.repeat(MAX_ATTR_KEY_LENGTH + 1)]: 1 }),
    attrs({ '': 1 }),
    attrs({ v: 'v'.repeat(MAX_ATTR_VALUE_LENGTH) }),
    attrs({ v: 'v'.repeat(MAX_ATTR_VALUE_LENGTH + 1) }),
    attrs({ v: { nested: 1 } }),
    attrs({ v: [1] }),
    attrs({ v: Number.POSITIVE_INFINITY }),
    attrs({ v: undefined }),
    attrs([]),
    attrs(Object.create(null) as Obj),
    attrs(JSON.parse('{"__proto__": 1}')),
    JSON.parse(JSON.stringify(base).replace(/^\{/, '{"__proto__":{"x":1},')) as Obj,
    Object.assign(Object.create({ inherited: 1 }) as Obj, base),
  );
  return out;
}

describe('protocol: the hand-checked event and ack frames', () => {
  for (const [label, base] of [
    ['event with every field', fullEvent],
    ['minimal event', minimalEvent],
    ['ack', ack],
  ] as const) {
    it(`agrees with zod on every variant of a ${label}`, () => {
      let tried = 0;
      let fast = 0;
      for (const value of variants(base)) {
        tried++;
        const type = (value as { type?: unknown }).type;
        const schema = type === 'event' || type === 'ack' ? FRAME_SCHEMAS[type] : undefined;
        const zod = schema?.safeParse(value);
        const hand = fastFrame(value);
        if (hand === undefined) continue;
        fast++;
        assert.ok(zod?.success, `the hand check accepted what zod refuses: ${JSON.stringify(value)?.slice(0, 200)}: ${zod?.error?.message.slice(0, 300)}`);
        assert.deepEqual(hand, zod.data, 'the frame comes out as zod would return it');
      }
      assert.ok(tried > 100, `${tried} variants`);
      assert.ok(fast >= 3, `some variants take the fast path (${fast})`);
    });
  }

  it('takes the everyday frames as they are', () => {
    for (const frame of [fullEvent, minimalEvent, ack, { ...minimalEvent, attrs: {} }, { ...minimalEvent, message: '' }]) {
      assert.equal(fastFrame(frame), frame);
    }
  });

  it('leaves the errors to zod: a bad field is still named', () => {
    const result = parseFrameText(JSON.stringify({ ...fullEvent, name: 'n'.repeat(MAX_LABEL_LENGTH + 1) }), { from: 'agent' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.field, 'event.name');
    const attrs = parseFrameText(JSON.stringify({ ...fullEvent, attrs: { x: { y: 1 } } }), { from: 'agent' });
    assert.equal(!attrs.ok && attrs.error.field.startsWith('event.attrs'), true);
    const ackResult = parseFrameText('{"type":"ack","seq":1,"ack_seq":-1}');
    assert.equal(!ackResult.ok && ackResult.error.field, 'ack.ack_seq');
  });
});
