// JSON text of any value without recursion, so an agent's input nested 20,000 levels deep cannot overflow the
// stack (JSON.stringify does). Without limits the text equals JSON.stringify's; with limits, containers nested
// deeper than maxDepth become a marker string and the text stops near maxChars. Browser-safe (the panel uses it).

export interface JsonTextLimits {
  /** Spaces per level (pretty-printed like JSON.stringify(value, null, indent)); 0 or absent: compact. */
  readonly indent?: number;
  /** Containers nested deeper than this (the top value is depth 1) are written as `deeperThan(maxDepth)`. */
  readonly maxDepth?: number;
  /** Stop writing once this many characters are written (the last chunk is cut). */
  readonly maxChars?: number;
}

export interface JsonTextStats {
  /** Characters written. */
  readonly chars: number;
  /** Something was left out: a subtree nested too deep, or text past maxChars. */
  readonly truncated: boolean;
  /** The deepest container nesting met (counting the clipped levels only up to maxDepth + 1). */
  readonly depth: number;
}

/** The marker that replaces a container nested deeper than the limit. */
export const deeperThan = (maxDepth: number): string => `… (truncated: nested deeper than ${maxDepth})`;

type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; index: number; readonly depth: number; readonly self: object }
  | { readonly kind: 'object'; readonly entries: readonly [string, unknown][]; index: number; readonly depth: number; readonly self: object };

/** What JSON.stringify would write for a non-container, or undefined where it omits the value. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      // JSON.stringify throws here; a digest or a preview must not.
      return JSON.stringify(`${value}n`);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return value === null ? 'null' : undefined;
  }
}

/** toJSON first (Dates), as JSON.stringify does; a throwing toJSON leaves the value as it is. */
function jsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    try {
      return (value as { toJSON(key: string): unknown }).toJSON(key);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * Writes the JSON text of `value` in chunks to `write`, iteratively. A cycle is written as the string "[circular]".
 * Never throws (unless `write` does).
 */
export function writeJsonText(value: unknown, write: (chunk: string) => void, limits: JsonTextLimits = {}): JsonTextStats {
  const indent = limits.indent ? ' '.repeat(Math.min(10, limits.indent)) : '';
  const maxDepth = limits.maxDepth ?? Infinity;
  const maxChars = limits.maxChars ?? Infinity;
  let chars = 0;
  let truncated = false;
  let deepest = 0;
  let stopped = false;
  const out = (chunk: string): boolean => {
    if (stopped || chars + chunk.length > maxChars) {
      chunk = chunk.slice(0, Math.max(0, maxChars - chars));
      stopped = truncated = true;
    }
    chars += chunk.length;
    if (chunk) write(chunk);
    return !stopped;
  };
  const newline = (depth: number) => (indent ? `\n${indent.repeat(depth)}` : '');
  const stack: Frame[] = [];
  const open = new Set<object>();

  /** Writes a scalar, or opens a container (pushing its frame). Returns false once output stopped. */
  const start = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') {
      // Objects drop what JSON cannot say (filtered below); arrays and the top level write null for it.
      return out(scalarText(typeof v === 'string' && v.length > maxChars - chars ? v.slice(0, Math.max(0, maxChars - chars)) : v) ?? 'null');
    }
    if (open.has(v)) return out('"[circular]"');
    if (depth > maxDepth) {
      truncated = true;
      deepest = Math.max(deepest, depth);
      return out(JSON.stringify(deeperThan(maxDepth)));
    }
    deepest = Math.max(deepest, depth);
    open.add(v);
    if (Array.isArray(v)) {
      stack.push({ kind: 'array', items: v, index: 0, depth, self: v });
      return out('[');
    }
    const entries: [string, unknown][] = [];
    for (const k of Object.keys(v)) {
      const item = jsonValue((v as Record<string, unknown>)[k], k);
      if (scalarText(item) !== undefined || (item !== null && typeof item === 'object')) entries.push([k, item]);
    }
    stack.push({ kind: 'object', entries, index: 0, depth, self: v });
    return out('{');
  };

  if (!start(jsonValue(value, ''), 1)) return { chars, truncated, depth: deepest };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const count = frame.kind === 'array' ? frame.items.length : frame.entries.length;
    if (frame.index >= count) {
      stack.pop();
      open.delete(frame.self);
      const close = frame.kind === 'array' ? ']' : '}';
      if (!out(count > 0 ? `${newline(frame.depth - 1)}${close}` : close)) break;
      continue;
    }
    const i = frame.index++;
    const sep = `${i > 0 ? ',' : ''}${newline(frame.depth)}`;
    let ok: boolean;
    if (frame.kind === 'array') {
      ok = out(sep) && start(jsonValue(frame.items[i], String(i)), frame.depth + 1);
    } else {
      const [k, item] = frame.entries[i]!;
      ok = out(`${sep}${JSON.stringify(k)}:${indent ? ' ' : ''}`) && start(item, frame.depth + 1);
    }
    if (!ok) break;
  }
  return { chars, truncated, depth: deepest };
}

/** The JSON text of `value` as one string (see writeJsonText). */
export function jsonText(value: unknown, limits: JsonTextLimits = {}): { text: string } & JsonTextStats {
  const chunks: string[] = [];
  const stats = writeJsonText(value, (chunk) => chunks.push(chunk), limits);
  return { text: chunks.join(''), ...stats };
}
