// Parsing of webview messages, either direction: a table of zod schemas keyed by `type`, a bad message turned
// into one line naming the field ("decide.ids.2: expected string, received number"), never a throw.
import type { z } from 'zod';
import { clip, describeValue, reportIssue } from '../protocol/issues';

/** Message schemas keyed by their `type` literal. */
export type MessageTable = Readonly<Record<string, z.ZodType<{ type: string }>>>;

/** The union of the messages a table accepts. */
export type MessageOf<T extends MessageTable> = z.infer<T[keyof T]>;

export interface MessageError {
  /** Dotted path of the first bad field, prefixed with the message type; '' when the message as a whole is bad. */
  field: string;
  /** Names the field first, e.g. "decide.decision: expected one of 'allow', 'deny', received \"maybe\"". */
  message: string;
}

export type ParsedMessage<M> = { ok: true; message: M } | { ok: false; error: MessageError };

function failure<M>(field: string, message: string): ParsedMessage<M> {
  return { ok: false, error: { field, message } };
}

/** Validates a message received over postMessage against the table of messages that side accepts. */
export function parseMessage<T extends MessageTable>(table: T, raw: unknown): ParsedMessage<MessageOf<T>> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return failure('', `message: expected an object, received ${describeValue(raw)}`);
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) {
    const known = Object.keys(table).map((t) => `'${t}'`).join(', ');
    const received = type === undefined ? 'nothing' : typeof type === 'string' ? JSON.stringify(clip(type, 48)) : describeValue(type);
    return failure('type', `type: expected one of ${known}, received ${received}`);
  }
  const result = table[type]!.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, message: result.data as MessageOf<T> };
  const issue = result.error.issues[0];
  if (!issue) return failure(type, `${type}: invalid message`);
  const report = reportIssue(type, issue);
  return failure(report.field, report.message);
}
