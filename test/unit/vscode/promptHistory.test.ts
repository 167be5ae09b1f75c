// The New Agent prompt history: newest first, no repeats, at most 20, drafts keep one entry.
import assert from 'node:assert/strict';
import { MAX_PROMPTS, PROMPT_HISTORY_KEY, PromptHistory, promptHeader, promptSummary, withoutHeader } from '../../../src/vscode/promptHistory';

class MemoryStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

describe('PromptHistory', () => {
  it('keeps the newest first and moves a repeated prompt up instead of repeating it', async () => {
    const h = new PromptHistory(new MemoryStore());
    await h.remember('fix the login bug');
    await h.remember('write tests');
    await h.remember('  fix the login bug  ');
    assert.deepEqual(h.list(), ['fix the login bug', 'write tests']);
  });

  it(`keeps at most ${MAX_PROMPTS}`, async () => {
    const h = new PromptHistory(new MemoryStore());
    for (let i = 0; i < MAX_PROMPTS + 5; i++) await h.remember(`prompt ${i}`);
    const list = h.list();
    assert.equal(list.length, MAX_PROMPTS);
    assert.equal(list[0], `prompt ${MAX_PROMPTS + 4}`);
    assert.equal(list.at(-1), 'prompt 5');
  });

  it('a draft saved again replaces its earlier text', async () => {
    const h = new PromptHistory(new MemoryStore());
    await h.remember('older prompt');
    await h.remember('Refactor');
    await h.remember('Refactor the parser', 'Refactor');
    await h.remember('Refactor the parser\ninto two files', 'Refactor the parser');
    assert.deepEqual(h.list(), ['Refactor the parser\ninto two files', 'older prompt']);
  });

  it('ignores empty prompts and reads a damaged list tolerantly', async () => {
    const store = new MemoryStore();
    store.values.set(PROMPT_HISTORY_KEY, ['ok', 3, null, '', { a: 1 }]);
    const h = new PromptHistory(store);
    await h.remember('   ');
    assert.deepEqual(h.list(), ['ok']);
  });

  it('summarises a multi-line prompt by its first line', () => {
    assert.deepEqual(promptSummary('\nReview the diff\nthen list risks\n'), { line: 'Review the diff', more: 1 });
    assert.equal(promptSummary('x'.repeat(100), 10).line, `${'x'.repeat(9)}…`);
  });
});

describe('the prompt editor header', () => {
  it('is left out of the prompt, and only when it is intact', () => {
    const header = promptHeader('reviewer-1');
    assert.equal(withoutHeader(`${header}\nReview the diff\nthen list risks`), 'Review the diff\nthen list risks');
    assert.equal(withoutHeader(`${header}`), '');
    assert.equal(withoutHeader('<!-- my own comment -->\nkeep'), '<!-- my own comment -->\nkeep');
    assert.equal(withoutHeader(`Write tests\n${header}`), `Write tests\n${header}`);
  });
});
