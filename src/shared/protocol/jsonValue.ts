// A bounded JSON value (approval tool inputs). The bounds are checked iteratively before zod walks the
// value, because zod's recursive check overflows the stack on deeply nested input.
import { z } from 'zod';
import { jsonLimitProblem } from '../jsonLimits';
import { MAX_APPROVAL_INPUT_CHARS, MAX_JSON_DEPTH, MAX_JSON_NODES } from './limits';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Returns why `value` is not a bounded JSON value, or undefined when it is. */
export function boundedJsonProblem(value: unknown, maxChars = MAX_APPROVAL_INPUT_CHARS): string | undefined {
  // The value itself is level 1, as the protocol counts "32 levels" of approval input.
  const problem = jsonLimitProblem(value, { maxDepth: MAX_JSON_DEPTH, maxNodes: MAX_JSON_NODES, strict: true }, { rootDepth: 1 });
  if (problem !== undefined) return problem.message;
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
