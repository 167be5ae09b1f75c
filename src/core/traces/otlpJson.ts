// A trace as OTLP/JSON (OpenTelemetry's ExportTraceServiceRequest, JSON encoding: hex ids, nanosecond times as
// strings, enum numbers), with the GenAI semantic conventions (gen_ai.*) on model, tool and agent spans, so Jaeger,
// Langfuse, Phoenix or an OTel collector loads it. Hand-mapped: @opentelemetry/otlp-transformer wants SDK ReadableSpans
// (and five SDK packages) for what is a plain mapping of stored rows.
import { createHash } from 'node:crypto';
import type { TraceSpan } from '../../shared/webview/traceSpan';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface OtlpKeyValue {
  key: string;
  value: AnyValue;
}

/** SpanKind: INTERNAL 1, CLIENT 3. StatusCode: UNSET 0, OK 1, ERROR 2. */
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;

const hexId = (id: string, bytes: number): string => (new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, bytes * 2));
const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

function value(v: string | number | boolean): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

function attributes(span: TraceSpan): OtlpKeyValue[] {
  const out: Record<string, string | number | boolean> = {
    'flotilla.span.kind': span.kind,
    'flotilla.span.status': span.status,
    'gen_ai.agent.id': span.agentId,
  };
  if (span.agentName) out['gen_ai.agent.name'] = span.agentName;
  if (span.sessionId) out['gen_ai.conversation.id'] = span.sessionId;
  if (span.kind === 'model') {
    out['gen_ai.operation.name'] = 'chat';
    if (span.model) out['gen_ai.request.model'] = span.model;
  }
  if (span.kind === 'tool') {
    out['gen_ai.operation.name'] = 'execute_tool';
    out['gen_ai.tool.name'] = span.name;
  }
  if (span.kind === 'subagent' || span.kind === 'task') out['gen_ai.operation.name'] = 'invoke_agent';
  if (span.tokens) {
    out['gen_ai.usage.input_tokens'] = span.tokens.input + span.tokens.cacheRead + span.tokens.cacheWrite;
    out['gen_ai.usage.output_tokens'] = span.tokens.output;
    out['gen_ai.usage.cache_read.input_tokens'] = span.tokens.cacheRead;
    out['gen_ai.usage.cache_creation.input_tokens'] = span.tokens.cacheWrite;
  }
  if (span.costUsd !== undefined) out['flotilla.cost_usd'] = span.costUsd;
  const useId = span.attributes['tool.use_id'];
  if (useId !== undefined) out['gen_ai.tool.call.id'] = String(useId);
  for (const [k, v] of Object.entries(span.attributes)) out[`flotilla.${k}`] = v;
  if (span.problems?.length) out['flotilla.problems'] = span.problems.join('\n');
  return Object.entries(out).map(([key, v]) => ({ key, value: value(v) }));
}

export function toOtlpJson(spans: readonly TraceSpan[], version = '0.0.0'): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'flotilla' } }] },
        scopeSpans: [
          {
            scope: { name: 'flotilla.traces', version },
            spans: spans.map((s) => ({
              traceId: hexId(s.traceId, 16),
              spanId: hexId(s.spanId, 8),
              ...(s.parentSpanId ? { parentSpanId: hexId(s.parentSpanId, 8) } : {}),
              name: s.name,
              kind: s.kind === 'model' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
              startTimeUnixNano: nanos(s.start),
              endTimeUnixNano: nanos(s.end ?? s.start),
              attributes: attributes(s),
              status: s.status === 'ok' ? { code: 1 } : s.status === 'running' ? { code: 0 } : { code: 2, message: s.status },
            })),
          },
        ],
      },
    ],
  };
}
