// The hot path of frame parsing: a hand check of the two frames that come by the thousand (event, ack), exactly as
// strict as their zod schemas (same fields, types and limits). It only ever says "valid as is": anything it does
// not accept (a bad field, an unusual shape) goes on to zod, which finds the same frame valid or names the bad field.
// test/unit/protocol/fastFrames.test.ts checks that both agree on every frame it tries.
import type { AckFrame } from './ack';
import { EVENT_LEVELS } from './event';
import type { EventFrame } from './event';
import { MAX_ATTR_KEY_LENGTH, MAX_ATTR_VALUE_LENGTH, MAX_ATTRS, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from './limits';
import { SPAN_KINDS } from './span';

type Obj = Record<string, unknown>;

const isPlain = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isText = (value: unknown, min: number, max: number): boolean => typeof value === 'string' && value.length >= min && value.length <= max;
const isId = (value: unknown): boolean => isText(value, 1, MAX_ID_LENGTH);

const ID_FIELDS = new Set(['agent_id', 'fleet', 'group', 'task_id', 'trace_id', 'span_id']);
const KINDS = new Set<unknown>(SPAN_KINDS);
const LEVELS = new Set<unknown>(EVENT_LEVELS);

/** Each field of an event frame and whether the value is right (the keys of EventFrameSchema). */
function eventFieldOk(key: string, value: unknown): boolean {
  if (ID_FIELDS.has(key)) return isId(value);
  switch (key) {
    case 'type':
      return value === 'event';
    case 'seq':
    case 'ts':
      return isCount(value);
    case 'kind':
      return KINDS.has(value);
    case 'name':
      return isText(value, 1, MAX_LABEL_LENGTH);
    case 'level':
      return LEVELS.has(value);
    case 'message':
      return isText(value, 0, MAX_TEXT_LENGTH);
    case 'attrs':
      return attrsOk(value);
    default:
      return false;
  }
}

/** A flat record of at most MAX_ATTRS scalars (AttrsSchema), without a '__proto__' key. */
function attrsOk(value: unknown): boolean {
  if (!isPlain(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (++count > MAX_ATTRS || key === '__proto__' || key.length < 1 || key.length > MAX_ATTR_KEY_LENGTH) return false;
    const v = value[key];
    if (typeof v === 'string' ? v.length > MAX_ATTR_VALUE_LENGTH : !(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) return false;
  }
  return true;
}

function isEventFrame(value: Obj): value is EventFrame {
  let required = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key) || !eventFieldOk(key, value[key])) return false;
    if (key === 'type' || key === 'seq' || key === 'kind' || key === 'name' || key === 'ts') required++;
  }
  return required === 5;
}

function isAckFrame(value: Obj): value is AckFrame {
  let keys = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    keys++;
  }
  return keys === 3 && value.type === 'ack' && isCount(value.seq) && isCount(value.ack_seq);
}

/**
 * The frame itself when it is a valid event or ack frame of a plain shape; undefined means "ask zod" (which may
 * still accept it, or names what is wrong).
 */
export function fastFrame(value: unknown): EventFrame | AckFrame | undefined {
  if (!isPlain(value)) return undefined;
  if (value.type === 'event') return isEventFrame(value) ? value : undefined;
  if (value.type === 'ack') return isAckFrame(value) ? value : undefined;
  return undefined;
}
