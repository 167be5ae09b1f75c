// Turns the first zod issue of a refused frame into a dotted field path and a sentence naming it,
// e.g. "heartbeat.step.k: expected number, received string". Echoes of sender data are clipped.
import type { z } from 'zod';

const MAX_SEGMENT = 64;
const MAX_ECHO = 48;

export interface IssueReport {
  field: string;
  message: string;
}

/** `text` cut to at most `max` characters, the cut marked with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** 'heartbeat' + ['step', 'k'] -> 'heartbeat.step.k'. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  const segments = path.map((segment) => clip(String(segment), MAX_SEGMENT));
  return [prefix, ...segments].filter((s) => s !== '').join('.');
}

/** A short description of a received value: its type, or the value itself for small scalars. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length <= MAX_ECHO ? JSON.stringify(value) : 'string';
  return typeof value;
}

function receivedType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return undefined;
}

function quoteOptions(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      const names: Record<string, string> = { int: 'integer', record: 'object', unknown: 'a value' };
      const expected = names[issue.expected] ?? issue.expected;
      if (input === undefined) return `required field missing (expected ${expected})`;
      const received = issue.expected === 'int' && typeof input === 'number' ? describeValue(input) : receivedType(input);
      return `expected ${expected}, received ${received}`;
    }
    case 'too_big': {
      const bound = issue.inclusive === false ? `< ${String(issue.maximum)}` : `<= ${String(issue.maximum)}`;
      const length = lengthOf(input);
      if (issue.origin === 'string') return `too long (${length ?? '?'} characters, max ${String(issue.maximum)})`;
      if (issue.origin === 'array') return `too many items (${length ?? '?'}, max ${String(issue.maximum)})`;
      return `must be ${bound}, received ${describeValue(input)}`;
    }
    case 'too_small': {
      const bound = issue.inclusive === false ? `> ${String(issue.minimum)}` : `>= ${String(issue.minimum)}`;
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1 ? 'must not be empty' : `too short (min ${String(issue.minimum)} characters)`;
      }
      if (issue.origin === 'array') return `too few items (min ${String(issue.minimum)})`;
      return `must be ${bound}, received ${describeValue(input)}`;
    }
    case 'invalid_value':
      if (input === undefined) return `required field missing (expected ${quoteOptions(issue.values)})`;
      return issue.values.length === 1
        ? `expected ${quoteOptions(issue.values)}, received ${describeValue(input)}`
        : `expected one of ${quoteOptions(issue.values)}, received ${describeValue(input)}`;
    case 'invalid_union': {
      // Unions here are of scalars: list what each branch expected.
      const expected = issue.errors.flatMap((branch) =>
        branch.length === 1 && branch[0]!.code === 'invalid_type' ? [branch[0]!.expected] : [],
      );
      if (expected.length === issue.errors.length) return `expected ${expected.join(' | ')}, received ${receivedType(input)}`;
      return 'matches none of the allowed shapes';
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      return `invalid key: ${inner ? describeIssue(inner) : 'rejected'}`;
    }
    case 'invalid_format':
      return `invalid ${issue.format}`;
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

/** The field and sentence for one issue of a frame whose type is `prefix` (empty when unknown). */
export function reportIssue(prefix: string, issue: z.core.$ZodIssue): IssueReport {
  if (issue.code === 'unrecognized_keys') {
    const field = fieldPath(prefix, [...issue.path, issue.keys[0] ?? '']);
    const more = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more)` : '';
    return { field, message: `${field}: unknown field${more}` };
  }
  const field = fieldPath(prefix, issue.path);
  return { field, message: `${field || 'frame'}: ${describeIssue(issue)}` };
}
