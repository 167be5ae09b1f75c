// Wildcards for names, arguments, hosts and rule ids: `*` matches any run of characters (slashes included,
// unlike path globs), `?` one character, `{a,b}` alternatives, `[abc]` a class, `\` escapes the next character.
export type Matcher = (value: string) => boolean;

const cache = new Map<string, RegExp>();

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

function translate(glob: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i]!);
    else if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '{') {
      depth++;
      out += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (ch === ',' && depth > 0) out += '|';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += escapeRegExp(ch);
  }
  // An unclosed brace is a literal one: fall back to matching the text as written.
  if (depth > 0) return [...glob].map(escapeRegExp).join('');
  return out;
}

export function wildcardRegExp(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${glob}`;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new RegExp(`^(?:${translate(glob)})$`, ignoreCase ? 'is' : 's');
    } catch {
      re = new RegExp(`^${[...glob].map(escapeRegExp).join('')}$`, ignoreCase ? 'is' : 's');
    }
    cache.set(key, re);
  }
  return re;
}

/** One matcher for one wildcard or a list of alternatives. */
export function compileWildcards(globs: string | readonly string[], ignoreCase = false): Matcher {
  const list = typeof globs === 'string' ? [globs] : globs;
  if (list.includes('*')) return () => true;
  const res = list.map((g) => wildcardRegExp(g, ignoreCase));
  return res.length === 1 ? (v) => res[0]!.test(v) : (v) => res.some((re) => re.test(v));
}

/** Escapes a literal so it matches only itself as a wildcard (used by "always allow this" rules). */
export function escapeWildcard(text: string): string {
  return text.replace(/[\\*?{}[\],]/g, (c) => `\\${c}`);
}
