// A small JSON (with comments and trailing commas, as VS Code settings allow) parser that remembers where
// every value and key sits, so an error found later by zod can point at "policy.json:12:5".
export interface JsonNode {
  /** Offset of the value's first character. */
  offset: number;
  /** Offset just past the value's last character (so text.slice(offset, end) is the value's source). */
  end: number;
  /** Offset of the property key, for object members. */
  keyOffset?: number;
  children?: Map<string | number, JsonNode>;
}

export type JsonParse =
  | { ok: true; value: unknown; root: JsonNode }
  | { ok: false; message: string; offset: number };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonWithPositions(text: string): JsonParse {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (at: number): string => (at >= text.length ? 'end of file' : JSON.stringify(text[at]));

  const skip = (): void => {
    for (;;) {
      while (i < text.length && /[ \t\r\n\uFEFF]/.test(text[i]!)) i++;
      if (text.startsWith('//', i)) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated comment');
        i = end + 2;
      } else return;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('control character in string');
      i++;
    }
    if (i >= text.length) fail('unterminated string', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in string', start);
    }
  };

  let depth = 0;
  const parseValue = (): { value: unknown; node: JsonNode } => {
    skip();
    if (++depth > 256) fail('nested too deeply');
    try {
      return parseInner();
    } finally {
      depth--;
    }
  };
  const parseInner = (): { value: unknown; node: JsonNode } => {
    const node: JsonNode = { offset: i, end: i };
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      node.children = new Map();
      skip();
      while (text[i] !== '}') {
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        const keyOffset = i;
        const key = parseString();
        if (node.children.has(key)) fail(`duplicate key "${key}"`, keyOffset);
        skip();
        if (text[i] !== ':') fail(`expected ":" after "${key}", found ${describe(i)}`);
        i++;
        const member = parseValue();
        member.node.keyOffset = keyOffset;
        node.children.set(key, member.node);
        // defineProperty: a "__proto__" key stays an ordinary (and later rejected) key.
        Object.defineProperty(obj, key, { value: member.value, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== '}') fail(`expected "," or "}" after a property, found ${describe(i)}`);
      }
      i++;
      node.end = i;
      return { value: obj, node };
    }
    if (ch === '[') {
      i++;
      const arr: unknown[] = [];
      node.children = new Map();
      skip();
      while (text[i] !== ']') {
        if (i >= text.length) fail('unterminated array');
        const item = parseValue();
        node.children.set(arr.length, item.node);
        arr.push(item.value);
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== ']') fail(`expected "," or "]" after an array item, found ${describe(i)}`);
      }
      i++;
      node.end = i;
      return { value: arr, node };
    }
    if (ch === '"') {
      const value = parseString();
      node.end = i;
      return { value, node };
    }
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!lit) return fail(`unexpected ${describe(i)}`);
    i += lit[0].length;
    node.end = i;
    return { value: JSON.parse(lit[0]) as unknown, node };
  };

  try {
    const { value, node } = parseValue();
    skip();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);
    return { ok: true, value, root: node };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, message: err.message, offset: err.offset };
    throw err;
  }
}

/** The node at `path`, or the deepest existing ancestor (a missing property points at its object). */
export function nodeAt(root: JsonNode, path: readonly PropertyKey[]): { node: JsonNode; exact: boolean } {
  let node = root;
  for (const key of path) {
    const child = node.children?.get(typeof key === 'number' ? key : String(key));
    if (!child) return { node, exact: false };
    node = child;
  }
  return { node, exact: true };
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}
