// Size limits of the wire protocol, in one table so the schemas, the docs and the supervisor agree.
// String lengths count UTF-16 code units (JavaScript's `length`); the frame limit counts UTF-8 bytes.

/** Largest frame accepted, in UTF-8 bytes, checked before JSON.parse. */
export const MAX_FRAME_BYTES = 256 * 1024;

/** Ids: agent, session, task, trace, span and request ids. */
export const MAX_ID_LENGTH = 128;
/** Short human text: names, labels, blockers, tool names, model names. */
export const MAX_LABEL_LENGTH = 512;
/** Free text: log messages, control messages, approval summaries, reasons. */
export const MAX_TEXT_LENGTH = 16 * 1024;
/** Auth token sent in hello. */
export const MAX_TOKEN_LENGTH = 4096;
/** File system paths (cwd). */
export const MAX_PATH_LENGTH = 4096;

export const MAX_CAPABILITY_LENGTH = 64;
export const MAX_CAPABILITIES = 32;
export const MAX_BLOCKERS = 16;

/** Span/event attributes: a flat record of scalars. */
export const MAX_ATTRS = 64;
export const MAX_ATTR_KEY_LENGTH = 128;
export const MAX_ATTR_VALUE_LENGTH = 1024;

/** Approval tool input: any JSON, bounded in depth, node count and serialized size. */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_NODES = 10_000;
export const MAX_APPROVAL_INPUT_CHARS = 128 * 1024;

/**
 * Any frame, checked before its schema: no container `MAX_JSON_DEPTH` levels below the frame object (the approval
 * input is the only deep field), at most MAX_FRAME_NODES values in all.
 */
export const MAX_FRAME_NODES = 5 * MAX_JSON_NODES;

/**
 * Flood control per connection, a token bucket: up to FRAME_BURST frames at once, refilled at FRAME_RATE_PER_SECOND.
 * A frame over it is refused with `rate_limited`; after MAX_RATE_LIMITED_FRAMES refusals, without a pause long enough
 * for half the burst to come back, the connection is closed (code 1008).
 */
export const FRAME_RATE_PER_SECOND = 100;
export const FRAME_BURST = 1000;
export const MAX_RATE_LIMITED_FRAMES = 1000;
/** Approval requests of one connection waiting for a decision; one more is refused with `rate_limited`. */
export const MAX_PENDING_APPROVALS = 32;

export const MIN_HEARTBEAT_INTERVAL_MS = 1_000;
export const MAX_HEARTBEAT_INTERVAL_MS = 10 * 60_000;

/** A connection that has not said hello by then is refused (`not_ready`) and closed. */
export const HELLO_TIMEOUT_MS = 5_000;
/** Supervisor frames an agent may leave unread (waiting to be sent); past this it is not reading, and is closed. */
export const MAX_UNREAD_BYTES = 4 * MAX_FRAME_BYTES;
