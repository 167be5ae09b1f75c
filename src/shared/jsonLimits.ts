// Depth, size and string-length limits for untrusted JSON values, checked with an explicit stack (no recursion),
// so a value nested 100 000 levels deep is refused here instead of overflowing the stack in zod, JSON.stringify
// or a view further on. Runs at every boundary (hook payloads, protocol frames) before the schema does.

export interface JsonLimits {
  /** A container (array or object) this many levels below the root, or deeper, is refused. */
  readonly maxDepth: number;
  /** Values counted over the whole tree: every container and scalar (keys are not values). */
  readonly maxNodes: number;
  /** Longest string (values and keys), in UTF-16 code units. Unset: no limit of its own. */
  readonly maxStringLength?: number;
  /**
   * Only what JSON.parse can produce: plain objects, arrays, strings, finite numbers, booleans, null, and no
   * `__proto__` key. Unset: other values are leaves (e.g. an `undefined` optional field of an outgoing frame).
   */
  readonly strict?: boolean;
}

export interface JsonLimitProblem {
  /** The root's key under which the problem was found ('' for the root itself), clipped. */
  readonly field: string;
  /** Says which limit, e.g. "nested deeper than 64 levels". */
  readonly message: string;
}

export interface JsonLimitOptions {
  /** Depth of the root itself (0 by default, so the root's children are level 1). */
  readonly rootDepth?: number;
}

const MAX_FIELD_LENGTH = 64;

interface Entry {
  readonly value: unknown;
  readonly depth: number;
  readonly field: string;
}

/** The first limit `value` breaks, or undefined when it is within all of them. Never recurses. */
export function jsonLimitProblem(value: unknown, limits: JsonLimits, options: JsonLimitOptions = {}): JsonLimitProblem | undefined {
  const rootDepth = options.rootDepth ?? 0;
  const stack: Entry[] = [{ value, depth: rootDepth, field: '' }];
  const maxString = limits.maxStringLength ?? Infinity;
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth, field } = stack.pop()!;
    const fail = (message: string): JsonLimitProblem => ({ field, message });
    if (++nodes > limits.maxNodes) return fail(`more than ${limits.maxNodes} values`);
    if (typeof current === 'string') {
      if (current.length > maxString) return fail(`string longer than ${maxString} characters`);
      continue;
    }
    if (current === null || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (limits.strict && !Number.isFinite(current)) return fail(`non-finite number ${String(current)}`);
      continue;
    }
    if (typeof current !== 'object') {
      if (limits.strict) return fail(`${typeof current} is not a JSON value`);
      continue;
    }
    if (depth >= limits.maxDepth) return fail(`nested deeper than ${limits.maxDepth} levels`);
    const childField = (key: string): string => (depth === rootDepth ? key.slice(0, MAX_FIELD_LENGTH) : field);
    if (Array.isArray(current)) {
      // Pushed in reverse so the walk meets problems in document order (the first bad element is reported).
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth: depth + 1, field: childField(String(i)) });
      continue;
    }
    if (limits.strict) {
      const proto = Object.getPrototypeOf(current) as unknown;
      if (proto !== Object.prototype && proto !== null) return fail('only plain objects are JSON values');
      // JSON.parse keeps '__proto__' as an own key, but copying it into a new object would set the prototype.
      if (Object.prototype.hasOwnProperty.call(current, '__proto__')) return fail("key '__proto__' is not allowed");
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.length > maxString) return fail(`key longer than ${maxString} characters`);
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, field: childField(key) });
    }
  }
  return undefined;
}
