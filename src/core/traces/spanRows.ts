// TraceSpan (the shared DTO) <-> the spans table's rows, and the checks every span passes before it is stored:
// an end before its start or an attribute too large is kept with the problem marked, never dropped.
import type { SpanInput, SpanRow } from '../store/spansRepo';
import { SpanKindSchema, SpanStatusSchema } from '../../shared/webview/traceSpan';
import type { SpanAttributes, TraceSpan } from '../../shared/webview/traceSpan';

/** Longest attribute text kept; the rest is cut with a marker saying how much. */
export const MAX_ATTRIBUTE_CHARS = 4_000;

export function cutText(text: string, max = MAX_ATTRIBUTE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [cut: ${text.length - max} more characters]`;
}

/** A copy safe to store: attributes cut to size, the end not before the start (problems say what was fixed). */
export function checkedSpan(span: TraceSpan): TraceSpan {
  const problems = [...(span.problems ?? [])];
  const attributes: SpanAttributes = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (typeof value === 'string' && value.length > MAX_ATTRIBUTE_CHARS) {
      attributes[key] = cutText(value);
      const note = `attribute ${key} was cut (${value.length} characters)`;
      if (!problems.includes(note)) problems.push(note);
    } else attributes[key] = value;
  }
  let end = span.end;
  if (end !== undefined && end < span.start) {
    const note = `ended ${span.start - end} ms before it started (end set to its start)`;
    if (!problems.includes(note)) problems.push(note);
    end = span.start;
  }
  return { ...span, attributes, ...(end !== undefined ? { end } : {}), ...(problems.length > 0 ? { problems } : {}) };
}

export function spanToInput(span: TraceSpan): SpanInput {
  return {
    agentId: span.agentId,
    sessionId: span.sessionId ?? null,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? null,
    kind: span.kind,
    name: span.name,
    startedAt: span.start,
    endedAt: span.end ?? null,
    durationMs: span.end !== undefined ? span.end - span.start : null,
    tokensIn: span.tokens?.input ?? 0,
    tokensOut: span.tokens?.output ?? 0,
    cacheRead: span.tokens?.cacheRead ?? 0,
    cacheWrite: span.tokens?.cacheWrite ?? 0,
    costUsd: span.costUsd ?? 0,
    model: span.model ?? null,
    status: span.status,
    data: {
      attributes: span.attributes,
      ...(span.problems ? { problems: span.problems } : {}),
      ...(span.agentName ? { agentName: span.agentName } : {}),
      ...(span.costUsd !== undefined ? { priced: true } : {}),
    },
  };
}

/** Tolerant read of a stored row: an unknown kind or status is shown as such with a problem, never a crash. */
export function rowToSpan(row: SpanRow): TraceSpan {
  const problems: string[] = Array.isArray(row.data.problems) ? row.data.problems.filter((p): p is string => typeof p === 'string') : [];
  const kind = SpanKindSchema.safeParse(row.kind);
  const status = SpanStatusSchema.safeParse(row.status ?? 'ok');
  if (!kind.success) problems.push(`unknown kind ${JSON.stringify(row.kind)} (shown as a tool)`);
  if (!status.success) problems.push(`unknown status ${JSON.stringify(row.status)} (shown as ok)`);
  const attributes: SpanAttributes = {};
  const raw = row.data.attributes;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[k] = v;
    }
  }
  const tokens = row.tokensIn || row.tokensOut || row.cacheRead || row.cacheWrite
    ? { input: row.tokensIn, output: row.tokensOut, cacheRead: row.cacheRead, cacheWrite: row.cacheWrite }
    : undefined;
  return {
    traceId: row.traceId ?? `row-${row.id}`,
    spanId: row.spanId ?? `row-${row.id}`,
    ...(row.parentSpanId ? { parentSpanId: row.parentSpanId } : {}),
    agentId: row.agentId,
    ...(typeof row.data.agentName === 'string' ? { agentName: row.data.agentName } : {}),
    ...(row.sessionId ? { sessionId: row.sessionId } : {}),
    kind: kind.success ? kind.data : 'tool',
    name: row.name,
    start: row.startedAt,
    ...(row.endedAt !== null ? { end: row.endedAt } : {}),
    status: status.success ? status.data : 'ok',
    ...(tokens ? { tokens } : {}),
    ...(row.costUsd || row.data.priced === true ? { costUsd: row.costUsd } : {}),
    ...(row.model ? { model: row.model } : {}),
    attributes,
    ...(problems.length > 0 ? { problems } : {}),
  };
}
