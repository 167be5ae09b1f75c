// Pure questions about tree-sitter-bash nodes and source text that the shell walker asks: is there a syntax error
// (and which, in words), does a word expand, is it brace expansion, does arithmetic change state; and the
// backslash-newline joining bash does before parsing.
import type { Node } from 'web-tree-sitter';

/** Deeper syntax than this is refused (no recursion can overflow on hostile input). */
export const MAX_NODE_DEPTH = 200;
const DYNAMIC = new Set(['simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion']);

export function syntaxErrorOf(root: Node): string | null {
  let found: Node | null = null;
  const visit = (n: Node, depth: number): void => {
    if (found || depth > MAX_NODE_DEPTH) return;
    if (n.isMissing || n.isError) {
      found = n;
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) visit(c, depth + 1);
  };
  visit(root, 0);
  if (!found) return root.hasError ? 'syntax error' : null;
  const n = found as Node;
  if (n.isMissing) {
    const t = n.type;
    if (t === '"') return 'unterminated double quote';
    if (t === '`') return 'unterminated backtick';
    if (t === ')' || t === '))') return 'unterminated $( or ( substitution';
    return `syntax error: missing ${JSON.stringify(t)}`;
  }
  const text = n.text.trim();
  if (text.startsWith('"')) return 'unterminated double quote';
  if (text.startsWith("'")) return 'unterminated single quote';
  if (text.startsWith('`')) return 'unterminated backtick';
  if (text.startsWith('<<')) return 'heredoc without a body';
  if (/^[<>&|]+$/.test(text) || /[<>]$/.test(text)) return 'redirection without a target';
  return `syntax error near ${JSON.stringify(text.slice(0, 30))}`;
}

export function hasExpansion(node: Node, depth = 0): boolean {
  if (DYNAMIC.has(node.type)) return true;
  if (depth > MAX_NODE_DEPTH) return true;
  for (const c of node.namedChildren) if (c && hasExpansion(c, depth + 1)) return true;
  return false;
}

/** `{a,b}` or `{1..3}` expanded by bash into several words: tree-sitter leaves it as a concatenation. */
export function isBraceExpansion(node: Node): boolean {
  if (node.type === 'brace_expression') return true;
  if (node.type !== 'concatenation') return false;
  const parts = node.children.filter((c): c is Node => c !== null);
  const open = parts.findIndex((c) => c.type === 'word' && c.text === '{');
  if (open < 0) return false;
  const close = parts.findIndex((c, i) => i > open && c.type === 'word' && c.text === '}');
  if (close < 0) return false;
  return parts.slice(open + 1, close).some((c) => (c.type === 'word' || c.type === 'number') && /,|\.\./.test(c.text));
}

export function arithmeticHasEffects(text: string): boolean {
  return /(^|[^=!<>])=(?!=)|\+\+|--|\$\(|`|\[/.test(text.replace(/^\$?\(\(|\)\)$/g, ''));
}

/**
 * Removes backslash-newline outside single quotes and comments, as bash does before anything else
 * (tree-sitter-bash splits `r\<newline>m` into two words; bash runs `rm`).
 */
export function joinContinuations(source: string): string {
  if (!source.includes('\\\n')) return source;
  let out = '';
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote === "'") {
      if (ch === "'") quote = '';
      out += ch;
    } else if (ch === '\\') {
      if (source[i + 1] === '\n') i++;
      else out += ch + (source[++i] ?? '');
    } else if (quote === '"') {
      if (ch === '"') quote = '';
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '#' && (i === 0 || /[\s;&|()]/.test(source[i - 1]!))) {
      const end = source.indexOf('\n', i);
      out += source.slice(i, end < 0 ? source.length : end);
      i = (end < 0 ? source.length : end) - 1;
    } else out += ch;
  }
  return out;
}
