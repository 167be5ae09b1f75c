// Model-name patterns for price overrides: `*` matches any run of characters, `?` one character, case-insensitive.
// Deliberately smaller than file globs: model ids hold dots, colons, slashes and @, none of them special here.

export interface ModelGlob {
  readonly pattern: string;
  /** Characters that are not wildcards: the more, the more specific. */
  readonly literalLength: number;
  test(model: string): boolean;
}

export function compileModelGlob(pattern: string): ModelGlob {
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'i');
  return { pattern, literalLength: pattern.replace(/[*?]/g, '').length, test: (model) => regex.test(model) };
}

/** The most specific matching glob: an exact id beats any wildcard, then the one with the most literal characters. */
export function bestGlobMatch<T extends ModelGlob>(globs: readonly T[], model: string): T | undefined {
  let best: T | undefined;
  for (const glob of globs) {
    if (!glob.test(model)) continue;
    const exact = !/[*?]/.test(glob.pattern);
    if (exact) return glob;
    if (!best || glob.literalLength > best.literalLength) best = glob;
  }
  return best;
}
