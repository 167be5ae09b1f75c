// Attach and Open Diff for a runner's agents (docs/protocol.md, "Runners: attach and diff"): the supervisor dials
// `/v1/agents/<id>/pty` (a WebSocket streaming the agent's terminal both ways) and GETs `/v1/agents/<id>/changes` and
// `/v1/agents/<id>/file` (the agent's worktree against its base commit), with the same bearer token as the session.
import { z } from 'zod';
import { PathSchema } from './fields';

/** Sub-paths after `/v1/agents/<id>`. */
export const RUNNER_PTY_SUFFIX = '/pty';
export const RUNNER_CHANGES_SUFFIX = '/changes';
export const RUNNER_FILE_SUFFIX = '/file';

/** One input frame (keystrokes, a paste) at most; a larger one closes the attachment with 1009. */
export const MAX_PTY_INPUT_BYTES = 64 * 1024;
/** The recent output an attachment starts with (and a resync redraws from). */
export const PTY_SCROLLBACK_BYTES = 256 * 1024;
/** A file side larger than this is answered 413 (the diff shows a note instead). */
export const MAX_DIFF_FILE_BYTES = 2 * 1024 * 1024;
/** The changes list names at most this many files (then `truncated`). */
export const MAX_CHANGED_FILES = 5000;
/** The response header saying whether a served file side looks binary (a NUL byte in its first 8000 bytes, as git decides). */
export const BINARY_HEADER = 'x-flotilla-binary';

/** Text frames from the supervisor on a pty socket (binary frames are input bytes). */
export const PtyClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('resize'), cols: z.int().min(1).max(1000), rows: z.int().min(1).max(1000) }),
]);
export type PtyClientMessage = z.infer<typeof PtyClientMessageSchema>;

/** Text frames from the runner on a pty socket (binary frames are output bytes). */
export const PtyServerMessageSchema = z.discriminatedUnion('type', [
  /** First frame: how the agent runs; its scrollback (binary) follows. */
  z.strictObject({ type: z.literal('attached'), mode: z.enum(['pty', 'pipes']), running: z.boolean(), scrollback_bytes: z.int().nonnegative() }),
  /** This attachment fell behind: `dropped_bytes` of output were skipped; the scrollback follows again (a redraw). */
  z.strictObject({ type: z.literal('resync'), dropped_bytes: z.int().nonnegative(), scrollback_bytes: z.int().nonnegative() }),
  /** The agent's process ended; the socket stays open (the output stays readable) until the supervisor closes it. */
  z.strictObject({ type: z.literal('exit'), exit_code: z.int().optional(), signal: z.string().max(32).optional() }),
  /** A text frame the runner could not use (it names the field); the attachment goes on. */
  z.strictObject({ type: z.literal('error'), error: z.string().max(1024) }),
]);
export type PtyServerMessage = z.infer<typeof PtyServerMessageSchema>;

export const ChangedFileSchema = z.strictObject({
  /** Relative to the worktree's root, forward slashes. */
  path: PathSchema,
  status: z.enum(['added', 'modified', 'deleted', 'renamed']),
  /** The path at the base commit (renames). */
  old_path: PathSchema.optional(),
});
export type RemoteChangedFile = z.infer<typeof ChangedFileSchema>;

export const ChangesMessageSchema = z.strictObject({
  /** The commit the worktree started from. */
  base: z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit id'),
  branch: z.string().max(256).optional(),
  files: z.array(ChangedFileSchema).max(MAX_CHANGED_FILES),
  /** More files changed than the list holds. */
  truncated: z.boolean(),
});
export type ChangesMessage = z.infer<typeof ChangesMessageSchema>;

export type DiffSide = 'base' | 'work';

/** Parses a JSON text with a schema; the error names the first bad field. */
export function parseWith<T>(schema: z.ZodType<T>, text: string, what: string): { ok: true; value: T } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: `${what}: not JSON` };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `${what}.${issue.path.join('.')}: ${issue.message}` };
}
