// The scrollback ring Attach starts from: bounded in bytes, oldest bytes dropped first, chunks kept in order.
import assert from 'node:assert/strict';
import { OutputRing } from '../../../src/runner/outputRing';

describe('OutputRing', () => {
  it('keeps everything under the bound, in order', () => {
    const ring = new OutputRing(10);
    ring.push(Buffer.from('abc'));
    ring.push(Buffer.from('def'));
    assert.equal(ring.contents().toString(), 'abcdef');
    assert.equal(ring.size, 6);
  });

  it('drops the oldest bytes past the bound, cutting inside a chunk when needed', () => {
    const ring = new OutputRing(5);
    ring.push(Buffer.from('abc'));
    ring.push(Buffer.from('def'));
    assert.equal(ring.contents().toString(), 'bcdef');
    ring.push(Buffer.from('g'));
    assert.equal(ring.contents().toString(), 'cdefg');
    assert.equal(ring.size, 5);
  });

  it('a chunk larger than the bound keeps its last bytes; binary bytes pass unchanged', () => {
    const ring = new OutputRing(4);
    ring.push(Buffer.from([0, 1, 2, 3, 4, 5, 255]));
    assert.deepEqual([...ring.contents()], [3, 4, 5, 255]);
    ring.push(Buffer.alloc(0));
    assert.equal(ring.size, 4);
  });

  it('stays bounded over a long stream', () => {
    const ring = new OutputRing(1000);
    for (let i = 0; i < 10_000; i++) ring.push(Buffer.from(`line ${i}\n`));
    assert.equal(ring.size, 1000);
    assert.ok(ring.contents().toString().endsWith('line 9999\n'));
  });
});
