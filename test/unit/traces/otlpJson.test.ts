// OTLP/JSON export of a recorded trace, checked against the OTLP JSON shape (hex ids of the right length, nanosecond
// strings, enum numbers, typed attribute values) with a zod schema written from the proto, and the GenAI attributes.
import assert from 'node:assert/strict';
import { toOtlpJson } from '../../../src/core/traces/otlpJson';
import { OtlpRequestSchema as Request } from './otlpSchema';
import { bash, TraceHarness, usage } from './traceKit';

describe('trace export as OTLP JSON', () => {
  it('a recorded trace fits the OTLP JSON shape and carries the GenAI attributes', () => {
    const h = new TraceHarness();
    try {
      h.fact('a1', { type: 'turn', phase: 'started' });
      h.fact('a1', { type: 'usage', model: 'claude-x', delta: usage(100, 20), requestId: 'r1' }, 100);
      h.fact('a1', { type: 'tool', phase: 'started', action: bash('ls', 'toolu_1') }, 1);
      h.fact('a1', { type: 'tool', phase: 'failed', action: bash('ls', 'toolu_1') }, 2);
      h.fact('a1', { type: 'turn', phase: 'ended' }, 3);
      const spans = h.service.spans('a1');
      const json = JSON.parse(JSON.stringify(toOtlpJson(spans, '1.2.3')));
      const parsed = Request.parse(json);
      const out = parsed.resourceSpans[0]!.scopeSpans[0]!.spans;
      assert.equal(out.length, 3);
      const attr = (s: (typeof out)[number], k: string) => s.attributes.find((a) => a.key === k)?.value;
      const model = out.find((s) => attr(s, 'gen_ai.operation.name')?.['stringValue' as never] === 'chat')!;
      assert.deepEqual(attr(model, 'gen_ai.request.model'), { stringValue: 'claude-x' });
      assert.deepEqual(attr(model, 'gen_ai.usage.input_tokens'), { intValue: '100' });
      assert.equal(model.kind, 3);
      const tool = out.find((s) => s.name === 'Bash')!;
      assert.deepEqual(attr(tool, 'gen_ai.tool.call.id'), { stringValue: 'toolu_1' });
      assert.deepEqual(tool.status, { code: 2, message: 'error' });
      assert.equal(tool.parentSpanId, model.spanId);
      assert.equal(BigInt(tool.endTimeUnixNano) - BigInt(tool.startTimeUnixNano), 2_000_000n);
    } finally {
      h.dispose();
    }
  });
});
