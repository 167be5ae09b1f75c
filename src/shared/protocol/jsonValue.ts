// A bounded JSON value (approval tool inputs). The bounds are checked iteratively before zod walks the
// value, because zod's recursive check overflows the stack on deeply nested input.
import { z } from 'zod';
import { MAX_APPROVAL_INPUT_CHARS, MAX_JSON_DEPTH, MAX_JSON_NODES } from './limits';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Returns why `value` is not a bounded JSON value, or undefined when it is. */
export function boundedJsonProblem(value: unknown, maxChars = MAX_APPROVAL_INPUT_CHARS): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) return `more than ${MAX_JSON_NODES} values`;
    if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return `non-finite number ${String(current)}`;
      continue;
    }
    if (typeof current !== 'object') return `${typeof current} is not a JSON value`;
    if (depth >= MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(current) as unknown;
    if (proto !== Object.prototype && proto !== null) return 'only plain objects are JSON values';
    // JSON.parse keeps '__proto__' as an own key, but copying it into a new object would set the prototype.
    if (Object.prototype.hasOwnProperty.call(current, '__proto__')) return "key '__proto__' is not allowed";
    for (const item of Object.values(current)) stack.push({ value: item, depth: depth + 1 });
  }
  // Safe now: the value is finite in size and depth, so stringify cannot blow up.
  const chars = JSON.stringify(value).length;
  if (chars > maxChars) return `serializes to ${chars} characters, max ${maxChars}`;
  return undefined;
}

// The id sits on the very instance the lazy refers to, so the JSON Schema export names the recursion 'JsonValue'.
const JsonTreeSchema: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonTreeSchema), z.record(z.string(), JsonTreeSchema)]),
  )
  .meta({ id: 'JsonValue', description: 'Any JSON value' });

/** Any JSON value within the bounds above; the JSON Schema export describes it as recursive JSON. */
export const BoundedJsonSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    // z.unknown() lets a missing key through; report it the way a missing typed field is reported.
    if (value === undefined) return ctx.addIssue({ code: 'invalid_type', expected: 'unknown', input: value });
    const problem = boundedJsonProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(JsonTreeSchema);
