// Turns a shell command line into the flat list of simple commands it would run, using the real Bash grammar
// (tree-sitter-bash): through lists, pipes, subshells, groups, $(...), backticks, <(...), bash -c, eval,
// here-documents fed to a shell, find -exec and wrappers (sudo, env, timeout, nice, xargs ...). Each command
// knows what feeds its input (so `curl | sh` is visible), what it writes, whether its program table calls it
// read-only, and what in it may run code unseen (hazards). Syntax the policy does not model is listed in
// `unmodeled`, and the commands inside it are still extracted so that a prohibited rule can match them.
import type { Node } from 'web-tree-sitter';
import type { ShellParse } from './shellCommand';
import { parseBashTree } from './shellParser';
import { wordValue } from './shellWords';
import { joinContinuations, MAX_NODE_DEPTH } from './shellSyntax';
import { INVISIBLE, MAX_LENGTH, ParseError, WORDISH } from './shellScope';
import { Walker } from './shellWalk';

export type { ShellCommand, ShellParse, ShellRedirect } from './shellCommand';

/** A canonical form of the syntax tree: quoting and spacing normalised, structure and expansions kept. */
function canonical(node: Node, depth = 0): unknown {
  if (depth > MAX_NODE_DEPTH) throw new ParseError('commands nested too deeply');
  if (node.type === 'comment') return null;
  if (!node.isNamed) return node.type === ';' || node.type === '\n' ? null : node.type;
  if (WORDISH.has(node.type) && node.type !== 'heredoc_body') {
    const inner = (sub: Node): string => JSON.stringify([sub.type, ...sub.namedChildren.map((c) => (c ? canonical(c, depth + 1) : null))]);
    return { w: wordValue(node, { substitution: (sub) => `\u0001${inner(sub)}\u0001` }) };
  }
  const kids = node.children.filter((c): c is Node => c !== null).map((c) => canonical(c, depth + 1)).filter((c) => c !== null);
  return [node.type, ...kids];
}

const cache = new Map<string, ShellParse>();
const CACHE_SIZE = 2000;

function parseUncached(raw: string): ShellParse {
  if (raw.length > MAX_LENGTH) return { ok: false, error: 'the command is too long to inspect' };
  const source = joinContinuations(raw);
  const tree = parseBashTree(source);
  if (!tree) return { ok: false, error: 'shell parser not loaded' };
  try {
    const walker = new Walker();
    if (INVISIBLE.test(source)) walker.unmodeled.add('invisible or direction-changing characters in the command');
    walker.root(tree.rootNode, { depth: 0, via: [], feeders: [], redirects: [], stdinFed: false, moreArgsUnknown: false, cwd: { dirs: [], dirUnknown: false }, env: [] });
    const canon = JSON.stringify(canonical(tree.rootNode));
    return {
      ok: true,
      commands: walker.commands,
      canonical: canon,
      unmodeled: [...walker.unmodeled],
      ...(walker.syntaxError !== undefined ? { syntaxError: walker.syntaxError } : {}),
    };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message };
    if (err instanceof RangeError) return { ok: false, error: 'commands nested too deeply' };
    throw err;
  } finally {
    tree.delete();
  }
}

/** Parses a command line into the simple commands it runs; results are cached and must not be mutated. */
export function parseShell(source: string): ShellParse {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const result = parseUncached(source);
  // Not loaded yet is not an answer worth keeping.
  if (!result.ok && result.error === 'shell parser not loaded') return result;
  cache.set(source, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/** The canonical form of a command line, for exact `commandLine` rules; null when it does not parse. */
export function canonicalCommandLine(source: string): string | null {
  const parsed = parseShell(source);
  return parsed.ok && parsed.syntaxError === undefined ? parsed.canonical : null;
}
