// The Trace panel's webview protocol, declared once and imported by the host (src/vscode) and the webview.
// The webview says `ready` (with the scope it shows, so a restored panel asks for what it showed); only then does the
// host send a `snapshot`, then `append` batches as spans are written.
import * as z from 'zod';
import { parseMessage } from './messages';
import type { MessageOf } from './messages';
import { TraceSpanSchema } from './traceSpan';

export const TRACE_LIMITS = { idLength: 200, spansPerMessage: 100_000, pathLength: 4096 } as const;

const Id = z.string().min(1).max(TRACE_LIMITS.idLength);

// Webview -> host.
export const TraceReadySchema = z.strictObject({ type: z.literal('ready') });
export const TraceExportSchema = z.strictObject({ type: z.literal('export'), traceId: Id });

/** A file a tool span touched: the host opens its diff in the agent's worktree against the agent's base commit. */
export const TraceOpenFileSchema = z.strictObject({ type: z.literal('openFile'), agentId: Id, path: z.string().min(1).max(TRACE_LIMITS.pathLength) });

export const TRACE_WEBVIEW_TO_HOST = { ready: TraceReadySchema, export: TraceExportSchema, openFile: TraceOpenFileSchema } as const;
export type TraceWebviewMessage = MessageOf<typeof TRACE_WEBVIEW_TO_HOST>;

// Host -> webview.
export const TraceSnapshotSchema = z.strictObject({
  type: z.literal('snapshot'),
  /** "Trace: alpha" or "Fleet Timeline". */
  title: z.string(),
  /** The agent shown; absent for the fleet timeline. */
  agentId: z.string().optional(),
  spans: z.array(TraceSpanSchema).max(TRACE_LIMITS.spansPerMessage),
  /** The host's clock, so running spans grow to "now" without trusting the webview's clock. */
  now: z.number(),
});
export type TraceSnapshot = z.infer<typeof TraceSnapshotSchema>;

export const TraceAppendSchema = z.strictObject({
  type: z.literal('append'),
  /** New spans and new versions of spans already sent (same trace + span id). */
  spans: z.array(TraceSpanSchema).max(TRACE_LIMITS.spansPerMessage),
  now: z.number(),
});
export type TraceAppend = z.infer<typeof TraceAppendSchema>;

/** One agent's scorecard (fleet health: turns, tool errors, approvals, denials, loops, risk), as lines of text. */
export const TraceScorecardSchema = z.strictObject({
  type: z.literal('scorecard'),
  lines: z.array(z.string().max(500)).max(20),
});

export const TRACE_HOST_TO_WEBVIEW = { snapshot: TraceSnapshotSchema, append: TraceAppendSchema, scorecard: TraceScorecardSchema } as const;
export type TraceHostMessage = MessageOf<typeof TRACE_HOST_TO_WEBVIEW>;

export const parseTraceWebviewMessage = (raw: unknown) => parseMessage(TRACE_WEBVIEW_TO_HOST, raw);
export const parseTraceHostMessage = (raw: unknown) => parseMessage(TRACE_HOST_TO_WEBVIEW, raw);
