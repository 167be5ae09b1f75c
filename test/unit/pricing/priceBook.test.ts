// Prices from the genai-prices catalog for Claude model ids and their aliases/gateway spellings, overrides that
// win, and unknown models that have no cost (with a reason) rather than a silent 0.
import assert from 'node:assert/strict';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { normalizeModelId } from '../../../src/core/pricing/modelIds';

const MTOK = 1_000_000;
const close = (actual: number | undefined, expected: number): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);
};

describe('PriceBook', () => {
  const book = new PriceBook();

  it('prices Claude Sonnet 4.5 by its dated id: input, output, cache read, cache write', () => {
    // $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    const result = book.price('claude-sonnet-4-5-20250929', { input: 10_000, output: 10_000, cacheRead: 10_000, cacheWrite: 10_000 });
    assert.ok(result.ok, result.ok ? '' : result.reason);
    close(result.costUsd, (10_000 * (3 + 15 + 0.3 + 3.75)) / MTOK);
    assert.equal(result.source, 'catalog');
    assert.equal(result.matched, 'claude-sonnet-4-5');
    assert.deepEqual(result.rates, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 });
  });

  it('applies the catalog long-context tier to one request over 200k input tokens (so price requests, not sums)', () => {
    // Over 200k tokens of input (cached ones included) Sonnet 4.5 costs $6 in and $22.50 out.
    close(book.price('claude-sonnet-4-5', { input: 150_000, output: 1000, cacheRead: 100_000 }).costUsd, (150_000 * 6 + 1000 * 22.5 + 100_000 * 0.6) / MTOK);
  });

  it('prices Claude Haiku 4.5 and the scripted usage of a real session', () => {
    // $1 in, $5 out, $0.10 cache read, $1.25 cache write.
    close(book.price('claude-haiku-4-5-20251001', { input: 500, output: 9 }).costUsd, (500 * 1 + 9 * 5) / MTOK);
    close(
      book.price('claude-haiku-4-5', { input: 1200, output: 85, cacheRead: 300, cacheWrite: 40 }).costUsd,
      (1200 * 1 + 85 * 5 + 300 * 0.1 + 40 * 1.25) / MTOK,
    );
  });

  it('matches aliases and gateway spellings of the same model', () => {
    const usage = { input: 1000, output: 100 };
    const expected = book.price('claude-sonnet-4-5-20250929', usage).costUsd;
    for (const id of ['claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5@20250929', 'anthropic/claude-sonnet-4-5', 'Claude-Sonnet-4-5']) {
      const result = book.price(id, usage);
      assert.ok(result.ok, `${id}: ${result.ok ? '' : result.reason}`);
      close(result.costUsd, expected!);
    }
    assert.ok(book.price('claude-3-5-haiku-latest', usage).ok);
    assert.equal(normalizeModelId('claude-opus-4-8[1m]'), 'claude-opus-4-8');
  });

  it('an unknown model has no cost and says why', () => {
    const result = book.price('claude-imaginary-9', { input: 10, output: 10 });
    assert.equal(result.ok, false);
    assert.equal(result.costUsd, undefined);
    assert.match(!result.ok ? result.reason : '', /no price known for model 'claude-imaginary-9'.*override/);
  });

  it("Claude Code's bare aliases cannot be priced by name", () => {
    const result = book.price('sonnet', { input: 10, output: 10 });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /alias/);
  });

  it('refuses negative or fractional token counts with the field named', () => {
    const result = book.price('claude-sonnet-4-5', { input: -1, output: 0 });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /^usage\.input: /);
  });
});

describe('PriceBook overrides', () => {
  it('an override wins over the catalog; the most specific glob wins among overrides', () => {
    const book = new PriceBook({
      'claude-*': { input: 1, output: 1, cacheRead: 1, cacheWrite: 1 },
      'claude-sonnet-4-5*': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
    });
    const result = book.price('claude-sonnet-4-5-20250929', { input: MTOK, output: MTOK, cacheRead: MTOK, cacheWrite: MTOK });
    assert.ok(result.ok);
    assert.equal(result.source, 'override');
    assert.equal(result.matched, 'claude-sonnet-4-5*');
    close(result.costUsd, 2 + 10 + 0.2 + 2.5);
    close(book.price('claude-opus-4-1', { input: MTOK, output: 0 }).costUsd, 1);
  });

  it('prices a model the catalog does not know; missing cache rates fall back to the input rate', () => {
    const book = new PriceBook({ 'my-local-model': { input: 0.5, output: 1.5 } });
    const result = book.price('my-local-model', { input: MTOK, output: MTOK, cacheRead: MTOK, cacheWrite: MTOK });
    assert.ok(result.ok);
    close(result.costUsd, 0.5 + 1.5 + 0.5 + 0.5);
  });

  it('reads overrides through a function, so settings changes apply at once', () => {
    let settings: unknown = {};
    const book = new PriceBook(() => settings);
    assert.equal(book.price('my-model', { input: 1, output: 1 }).ok, false);
    settings = { 'my-*': { input: 1, output: 1 } };
    close(book.price('my-model', { input: MTOK, output: 0 }).costUsd, 1);
  });

  it('reports bad override entries by name and keeps the good ones', () => {
    const book = new PriceBook({ 'good-*': { input: 1, output: 2 }, 'bad-*': { input: -1, output: 2 }, 'typo-*': { inptu: 1, output: 2 } });
    assert.equal(book.overrideErrors.length, 2);
    assert.match(book.overrideErrors[0]!, /^pricing overrides: bad-\*\.input: /);
    assert.match(book.overrideErrors[1]!, /^pricing overrides: typo-\*/);
    assert.ok(book.price('good-1', { input: 1, output: 1 }).ok);
    assert.equal(book.price('bad-1', { input: 1, output: 1 }).ok, false);
    assert.deepEqual(new PriceBook([1, 2]).overrideErrors.length, 1);
  });
});

describe('PriceBook: one request at a time (tiers, 1-hour cache writes)', () => {
  const cost = (book: PriceBook, model: string, usage: Parameters<PriceBook['price']>[1]): number => {
    const p = book.price(model, usage);
    assert.ok(p.ok, p.ok ? '' : p.reason);
    return p.costUsd;
  };
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

  it("chooses the long-context tier by the request's own input, cached tokens included", () => {
    const book = new PriceBook();
    close(cost(book, 'claude-sonnet-4-5-20250929', { input: 46_000, output: 100 }), (46_000 * 3 + 100 * 15) / 1e6);
    // 1k fresh + 199.5k read: 200.5k of input, so the whole request is at the >200k rates.
    close(cost(book, 'claude-sonnet-4-5-20250929', { input: 1000, cacheRead: 199_500, output: 100 }), (1000 * 6 + 199_500 * 0.6 + 100 * 22.5) / 1e6);
  });

  it('prices 1-hour cache writes at their own rate (catalog)', () => {
    const book = new PriceBook();
    close(cost(book, 'claude-sonnet-4-5-20250929', { input: 0, output: 0, cacheWrite: 3000, cacheWrite1h: 1000 }), (2000 * 3.75 + 1000 * 6) / 1e6);
    close(cost(book, 'claude-haiku-4-5', { input: 0, output: 0, cacheWrite: 1000, cacheWrite1h: 1000 }), (1000 * 2) / 1e6);
  });

  it('overrides: cacheWrite1h, or twice the input rate without it', () => {
    const book = new PriceBook({ 'x-*': { input: 1, output: 2, cacheWrite: 1.25 }, 'y-*': { input: 1, output: 2, cacheWrite: 1.25, cacheWrite1h: 3 } });
    close(cost(book, 'x-1', { input: 0, output: 0, cacheWrite: 3_000_000, cacheWrite1h: 1_000_000 }), 2 * 1.25 + 2);
    close(cost(book, 'y-1', { input: 0, output: 0, cacheWrite: 3_000_000, cacheWrite1h: 1_000_000 }), 2 * 1.25 + 3);
  });

  it('refuses 1-hour writes above the total cache writes, naming the field', () => {
    const p = new PriceBook().price('claude-sonnet-4-5', { input: 0, output: 0, cacheWrite: 1, cacheWrite1h: 2 });
    assert.equal(p.ok, false);
    assert.match(p.ok ? '' : p.reason, /usage\.cacheWrite1h/);
  });
});
