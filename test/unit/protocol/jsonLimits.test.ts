// The iterative JSON limit checker every boundary runs before its schema: depth, value count, string and key length,
// strict JSON types; the first problem found, under the root key it sits in, without ever recursing.
import assert from 'node:assert/strict';
import { jsonLimitProblem } from '../../../src/shared/jsonLimits';

const nest = (depth: number, leaf: unknown = 0): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('jsonLimitProblem', () => {
  const limits = { maxDepth: 4, maxNodes: 20, maxStringLength: 8 };

  it('counts levels below the root: containers down to level maxDepth - 1 pass', () => {
    assert.equal(jsonLimitProblem({ a: nest(3) }, limits), undefined);
    assert.deepEqual(jsonLimitProblem({ a: nest(4) }, limits), { field: 'a', message: 'nested deeper than 4 levels' });
    // With the root counted as level 1 (a value checked on its own, as the protocol counts approval input).
    assert.deepEqual(jsonLimitProblem(nest(4), limits, { rootDepth: 1 }), { field: '0', message: 'nested deeper than 4 levels' });
  });

  it('walks 1 000 000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`{"x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`) as unknown;
    assert.deepEqual(jsonLimitProblem(deep, { maxDepth: 64, maxNodes: 100_000 }), { field: 'x', message: 'nested deeper than 64 levels' });
  });

  it('stops at a cycle (as depth)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.deepEqual(jsonLimitProblem(cyclic, limits), { field: 'self', message: 'nested deeper than 4 levels' });
  });

  it('counts values, not keys', () => {
    assert.equal(jsonLimitProblem({ a: Array(19).fill(0) }, { ...limits, maxNodes: 21 }), undefined);
    assert.deepEqual(jsonLimitProblem({ a: Array(20).fill(0) }, { ...limits, maxNodes: 21 }), { field: 'a', message: 'more than 21 values' });
  });

  it('bounds strings and keys, and reports the first problem in document order', () => {
    assert.deepEqual(jsonLimitProblem({ ok: 'short', b: 'far too long', c: 'also too long' }, limits), { field: 'b', message: 'string longer than 8 characters' });
    assert.deepEqual(jsonLimitProblem({ a: { 'a very long key': 1 } }, limits), { field: 'a', message: 'key longer than 8 characters' });
  });

  it('in strict mode accepts only what JSON.parse produces', () => {
    const strict = { ...limits, strict: true };
    assert.deepEqual(jsonLimitProblem({ a: undefined }, strict), { field: 'a', message: 'undefined is not a JSON value' });
    assert.deepEqual(jsonLimitProblem({ a: [NaN] }, strict), { field: 'a', message: 'non-finite number NaN' });
    assert.deepEqual(jsonLimitProblem({ d: new Date(0) }, strict), { field: 'd', message: 'only plain objects are JSON values' });
    assert.deepEqual(jsonLimitProblem(JSON.parse('{"a":{"__proto__":1}}'), strict), { field: 'a', message: "key '__proto__' is not allowed" });
    // Not strict: such values are leaves (an outgoing frame may carry an undefined optional field).
    assert.equal(jsonLimitProblem({ a: undefined, b: NaN }, limits), undefined);
  });
});
