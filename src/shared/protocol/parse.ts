// The protocol boundary: turns untrusted socket input into a typed Frame or a typed error naming the bad field,
// and turns outgoing frames into text only after checking them (a write-side bug throws instead of sending garbage).
import type { ErrorCode, ErrorFrame } from './error';
import { fastFrame } from './fastFrames';
import type { Frame, FrameSender } from './frames';
import { FRAME_SCHEMAS, FRAME_TYPES, isFrameType, mayBeSentBy } from './frames';
import { clip, describeValue, fieldPath, reportIssue } from './issues';
import { jsonLimitProblem } from '../jsonLimits';
import { MAX_FRAME_BYTES, MAX_FRAME_NODES, MAX_JSON_DEPTH, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from './limits';
import { SUPPORTED_VERSIONS } from './version';

export interface FrameError {
  code: ErrorCode;
  /** Names the field first, e.g. "heartbeat.step.k: expected number, received string". */
  message: string;
  /** Dotted path of the first bad field, prefixed with the frame type; '' when the frame as a whole is bad. */
  field: string;
  /** seq of the refused frame, when it had a valid one. */
  ref_seq?: number;
}

export type ParseResult = { ok: true; frame: Frame } | { ok: false; error: FrameError };

export interface ParseOptions {
  /** Who sent the frame; a frame type the other side sends is refused. Unset: any frame type is accepted. */
  from?: FrameSender;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function fail(code: ErrorCode, field: string, message: string, raw?: unknown): ParseResult {
  const error: FrameError = { code, message, field };
  const seq = raw !== null && typeof raw === 'object' ? (raw as { seq?: unknown }).seq : undefined;
  if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) error.ref_seq = seq;
  return { ok: false, error };
}

/** UTF-8 length of `text`, counting no further than `limit + 1`. */
export function utf8ByteLength(text: string, limit = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Validates an already-decoded frame (e.g. from JSON.parse). */
export function parseFrame(value: unknown, options: ParseOptions = {}): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('bad_frame', '', `frame: expected a JSON object, received ${describeValue(value)}`);
  }
  const type = (value as { type?: unknown }).type;
  if (type === undefined) {
    return fail('bad_frame', 'type', `type: required field missing (one of ${FRAME_TYPES.join(', ')})`, value);
  }
  if (typeof type !== 'string') {
    return fail('bad_frame', 'type', `type: expected string, received ${describeValue(type)}`, value);
  }
  if (!isFrameType(type)) {
    return fail('unknown_frame_type', 'type', `unknown frame type '${clip(type, 64)}'`, value);
  }
  if (options.from !== undefined && !mayBeSentBy(type, options.from)) {
    const sender = options.from === 'agent' ? 'an agent' : 'the supervisor';
    return fail('bad_frame', 'type', `type: ${sender} does not send '${type}' frames`, value);
  }
  // The common frames, checked by hand (as strict as their schemas); anything else, or anything wrong, goes to zod.
  const fast = fastFrame(value);
  if (fast !== undefined) return { ok: true, frame: fast };
  if (type === 'hello') {
    const v = (value as { v?: unknown }).v;
    if (typeof v === 'number' && !SUPPORTED_VERSIONS.includes(v)) {
      return fail(
        'unsupported_version',
        'hello.v',
        `hello.v: unsupported protocol version ${v} (supported: ${SUPPORTED_VERSIONS.join(', ')})`,
        value,
      );
    }
  }
  // Bounded before zod walks it: its recursive check overflows the stack on a deep enough value.
  const limit = jsonLimitProblem(value, { maxDepth: MAX_JSON_DEPTH, maxNodes: MAX_FRAME_NODES, maxStringLength: MAX_FRAME_BYTES });
  if (limit !== undefined) {
    const field = fieldPath(type, limit.field === '' ? [] : [limit.field]);
    return fail('bad_frame', clip(field, MAX_LABEL_LENGTH), `${field}: ${limit.message}`, value);
  }
  const result = FRAME_SCHEMAS[type].safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, frame: result.data as Frame };
  const report = reportIssue(type, result.error.issues[0]!);
  return fail('bad_frame', clip(report.field, MAX_LABEL_LENGTH), clip(report.message, MAX_TEXT_LENGTH), value);
}

/** Validates a frame as received from the socket: size first, then JSON, then the schema. */
export function parseFrameText(data: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  let text: string;
  if (typeof data === 'string') {
    // A string has at least as many UTF-8 bytes as UTF-16 units, so `length` alone can refuse cheaply.
    if (data.length > MAX_FRAME_BYTES || utf8ByteLength(data, MAX_FRAME_BYTES) > MAX_FRAME_BYTES) {
      return tooLarge();
    }
    text = data;
  } else {
    if (data.byteLength > MAX_FRAME_BYTES) return tooLarge(data.byteLength);
    try {
      text = utf8Decoder.decode(data);
    } catch {
      return fail('bad_frame', '', 'frame: not valid UTF-8');
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('bad_frame', '', `frame: not valid JSON (${clip((error as Error).message, 200)})`);
  }
  return parseFrame(value, options);
}

function tooLarge(bytes?: number): ParseResult {
  const size = bytes === undefined ? 'larger than the limit' : `${bytes} bytes`;
  return fail('frame_too_large', '', `frame: ${size} (max ${MAX_FRAME_BYTES} bytes)`);
}

/** Thrown by encodeFrame: the caller built a frame the protocol does not allow. */
export class FrameEncodeError extends Error {
  constructor(readonly error: FrameError) {
    super(`refusing to send an invalid frame: ${error.message}`);
    this.name = 'FrameEncodeError';
  }
}

/** Validates and serializes an outgoing frame; throws FrameEncodeError instead of sending something invalid. */
export function encodeFrame(frame: Frame): string {
  const checked = parseFrame(frame);
  if (!checked.ok) throw new FrameEncodeError(checked.error);
  // Serialize what was validated: strict schemas mean nothing outside the schema can ride along.
  const text = JSON.stringify(checked.frame);
  const bytes = utf8ByteLength(text, MAX_FRAME_BYTES);
  if (bytes > MAX_FRAME_BYTES) {
    throw new FrameEncodeError({
      code: 'frame_too_large',
      field: '',
      message: `frame: ${frame.type} is larger than the limit (max ${MAX_FRAME_BYTES} bytes)`,
      ref_seq: frame.seq,
    });
  }
  return text;
}

/** The error frame that answers a refused frame. */
export function toErrorFrame(error: FrameError, seq: number): ErrorFrame {
  const frame: ErrorFrame = { type: 'error', seq, code: error.code, message: clip(error.message, MAX_TEXT_LENGTH) };
  if (error.ref_seq !== undefined) frame.ref_seq = error.ref_seq;
  if (error.field !== '') frame.field = clip(error.field, MAX_LABEL_LENGTH);
  if (error.code === 'unsupported_version') frame.supported_versions = [...SUPPORTED_VERSIONS];
  return frame;
}
