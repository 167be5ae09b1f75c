// What of a request's tool input crosses to the Approvals webview: a copy bounded in depth, values and characters,
// made without recursion, so one agent's input nested 20,000 levels deep or 5 MB large cannot overflow the state
// push (postMessage serializes with JSON.stringify, which recurses) or stall the panel for every other request.
import { deeperThan } from '../jsonText';

export interface WireLimits {
  /** Containers nested deeper than this become the marker string `deeperThan(maxDepth)`. */
  readonly maxDepth: number;
  /** One string longer than this is cut and marked. */
  readonly maxString: number;
  /** Characters of all strings and keys together; later strings are cut to what is left. */
  readonly maxChars: number;
  /** Values (scalars and containers) kept; a container past the budget keeps its first entries and says how many more. */
  readonly maxValues: number;
}

/** Far above any real tool input (an Edit of a large file), low enough that 1000 pending requests stay light. */
export const WIRE_LIMITS: WireLimits = { maxDepth: 64, maxString: 100_000, maxChars: 400_000, maxValues: 20_000 };

/** The key that says how many fields of an object were left out. */
export const MORE_KEY = '…';

export interface BoundedCopy {
  readonly value: unknown;
  /** Something was cut or left out. */
  readonly truncated: boolean;
}

type Container = unknown[] | Record<string, unknown>;
interface Task {
  readonly source: unknown;
  readonly target: Container;
  readonly key: string | number;
  readonly depth: number;
}

function setKey(target: Container, key: string | number, value: unknown): void {
  // A JSON.parse'd '__proto__' key is an own property; plain assignment would set the prototype instead.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string | number, unknown>)[key] = value;
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';
const isDropped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * A JSON-safe copy of `value` within `limits`, breadth first (the top of the input survives, deep tails are cut).
 * Never throws: a value that cannot be read becomes a marker string.
 */
export function boundedCopy(value: unknown, limits: WireLimits = WIRE_LIMITS): BoundedCopy {
  let truncated = false;
  let chars = 0;
  let values = 1;
  const clipString = (s: string): string => {
    const room = Math.max(0, Math.min(limits.maxString, limits.maxChars - chars));
    if (s.length <= room) {
      chars += s.length;
      return s;
    }
    truncated = true;
    chars += room;
    return `${s.slice(0, room)}… (${s.length - room} more characters)`;
  };
  const scalar = (v: unknown): unknown => {
    if (typeof v === 'string') return clipString(v);
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'bigint') return `${v}n`;
    return v;
  };
  /** A fresh container for `source`, its children queued; or the marker when it is too deep. */
  const open = (source: object, depth: number, queue: Task[]): unknown => {
    if (depth > limits.maxDepth) {
      truncated = true;
      return deeperThan(limits.maxDepth);
    }
    if (Array.isArray(source)) {
      const room = Math.max(0, limits.maxValues - values);
      const kept = Math.min(source.length, room);
      const target: unknown[] = new Array(kept);
      for (let i = 0; i < kept; i++) queue.push({ source: source[i], target, key: i, depth: depth + 1 });
      values += kept;
      if (kept < source.length) {
        truncated = true;
        target.push(`… (${source.length - kept} more items)`);
      }
      return target;
    }
    const target: Record<string, unknown> = {};
    const keys = Object.keys(source);
    const room = Math.max(0, limits.maxValues - values);
    const kept = Math.min(keys.length, room);
    for (let i = 0; i < kept; i++) {
      const key = keys[i]!;
      queue.push({ source: (source as Record<string, unknown>)[key], target, key: key.length > 1000 ? clipString(key) : key, depth: depth + 1 });
      chars += Math.min(key.length, 1000);
    }
    values += kept;
    if (kept < keys.length) {
      truncated = true;
      setKey(target, MORE_KEY, `${keys.length - kept} more fields`);
    }
    return target;
  };

  try {
    if (!isContainer(value)) return { value: isDropped(value) ? null : scalar(value), truncated };
    const queue: Task[] = [];
    const root = open(value, 1, queue);
    for (let at = 0; at < queue.length; at++) {
      const task = queue[at]!;
      const v = task.source;
      if (isDropped(v)) {
        if (Array.isArray(task.target)) task.target[task.key as number] = null;
        continue;
      }
      setKey(task.target, task.key, isContainer(v) ? open(v, task.depth, queue) : scalar(v));
    }
    return { value: root, truncated };
  } catch (err) {
    return { value: `… (input could not be read: ${err instanceof Error ? err.message : String(err)})`, truncated: true };
  }
}
