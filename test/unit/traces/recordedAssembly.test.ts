// Span assembly from hook payloads and transcript lines recorded from the real Claude Code CLI (2.1.x, scripted model
// server; test/fixtures/traces/record.ts): concurrent tools whose ends come out of order (and a failed one), the same
// session with every end delivered before its start, nested subagents, an interrupt that leaves a tool without its
// PostToolUse, and a supervisor restart in the middle of a turn.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadScenarios, scenarioUsage } from '../../fixtures/modelServer/scenario';
import { loadRecordedTrace } from '../../fixtures/traces/recordedTrace';
import type { RecordedTrace } from '../../fixtures/traces/recordedTrace';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { AGENT, endsBeforeStarts, replay } from './replayRecorded';
import { TraceHarness } from './traceKit';

const scenarios = loadScenarios(join(new URL('../../fixtures/traces/scenarios', import.meta.url).pathname));

const toolUseId = (s: TraceSpan) => s.attributes['tool.use_id'] as string | undefined;
const spanOf = (spans: TraceSpan[], id: string) => {
  const found = spans.find((s) => toolUseId(s) === id);
  assert.ok(found, `no span for tool call ${id}`);
  return found;
};
/** Tool calls as the recording has them: [tool_use_id, tool name, subagent that made it] per PreToolUse. */
const toolCalls = (t: RecordedTrace) =>
  t.events.flatMap((e) => (e.hook?.hook_event_name === 'PreToolUse' ? [[String(e.hook.tool_use_id), String(e.hook.tool_name), e.hook.agent_id as string | undefined] as const] : []));
/** Distinct model requests in the transcripts (request id -> subagent id), side queries without tools left out. */
const requests = (t: RecordedTrace) => {
  const out = new Map<string, string | undefined>();
  for (const e of t.events) if (e.line?.type === 'assistant' && typeof e.line.requestId === 'string') out.set(e.line.requestId, e.line.agentId as string | undefined);
  return out;
};

describe('trace assembly from a real Claude Code session (recorded)', () => {
  let h: TraceHarness;
  beforeEach(() => (h = new TraceHarness()));
  afterEach(() => h.dispose());

  describe('concurrent tools, a failure, writes and a secret (trace-tools)', () => {
    const rec = loadRecordedTrace('trace-tools');
    const calls = toolCalls(rec);

    /** `exactParents`: each tool under the very request that asked for it (with every end first, only under a request). */
    function assertSpans(spans: TraceSpan[], exactParents = true): void {
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one task, one trace');
      const [task, ...rest] = spans.filter((s) => s.kind === 'task');
      assert.equal(rest.length, 0);
      assert.equal(task!.status, 'ok');
      assert.ok(task!.sessionId, 'the task knows its session');
      const models = spans.filter((s) => s.kind === 'model');
      assert.equal(models.length, requests(rec).size, 'one model span per request');
      assert.ok(models.every((m) => m.parentSpanId === task!.spanId && m.end! >= m.start));
      // Tokens add up to what the model server served.
      const served = scenarioUsage(scenarios.get('trace-tools')!).get('claude-sonnet-4-5-20250929')!;
      const sum = (f: (s: TraceSpan) => number) => models.reduce((n, s) => n + f(s), 0);
      assert.deepEqual([sum((s) => s.tokens!.input), sum((s) => s.tokens!.output), sum((s) => s.tokens!.cacheRead), sum((s) => s.tokens!.cacheWrite)], [served.input, served.output, served.cacheRead, served.cacheCreation]);
      assert.ok(models.every((m) => m.costUsd! > 0));
      // Every recorded tool call is one span, under the request that asked for it.
      const tools = spans.filter((s) => s.kind === 'tool');
      assert.equal(tools.length, calls.length);
      const modelOf = new Map(models.map((m) => [m.spanId, m.attributes['model.request_id']]));
      for (const [id] of calls) {
        const span = spanOf(spans, id);
        const request = /^toolu_(fx\d+)_/.exec(id)?.[1];
        if (exactParents) assert.equal(modelOf.get(span.parentSpanId!), `req_${request}`, `${id} hangs under the request that asked for it`);
        else assert.ok(modelOf.has(span.parentSpanId!), `${id} hangs under a request`);
      }
      const reads = calls.filter(([, name]) => name === 'Read').map(([id]) => spanOf(spans, id));
      assert.deepEqual(reads.map((s) => s.status).sort(), ['error', 'ok', 'ok']);
      assert.match(String(reads.find((s) => s.status === 'error')!.attributes['tool.detail']), /does not exist/);
      for (const name of ['Write', 'Edit']) assert.equal(spanOf(spans, calls.find(([, n]) => n === name)![0]).attributes['files'], '/sandbox/repo/notes.md');
      const bash = spanOf(spans, calls.find(([, n]) => n === 'Bash')![0]);
      assert.equal(bash.status, 'ok');
      assert.match(String(bash.attributes['tool.input']), /<img src=x onerror=alert\(1\)>/, 'markup is kept as text');
      assert.ok(!JSON.stringify(spans).includes('hunter2'), 'the password in the command is not stored');
      assert.ok(spans.every((s) => s.status !== 'running'));
    }

    it('as it happened: the three Reads end in another order than they started', async () => {
      const ends = rec.events.filter((e) => e.hook?.hook_event_name?.toString().startsWith('PostToolUse')).map((e) => e.hook!.tool_use_id);
      const starts = rec.events.filter((e) => e.hook?.hook_event_name === 'PreToolUse').map((e) => e.hook!.tool_use_id);
      assert.notDeepEqual(ends, starts, 'the recording has ends out of start order');
      await replay(h, rec);
      const spans = h.service.spans(AGENT);
      assertSpans(spans);
      assert.ok(spans.every((s) => !s.problems), 'nothing to mark');
    });

    it('every tool end delivered before its start: the same spans, each marked once', async () => {
      await replay(h, rec, endsBeforeStarts(rec.events));
      const spans = h.service.spans(AGENT);
      // Which request a call belongs to is told by the order of hooks and usage; with every end first, that order is
      // gone: the calls still land under a request of their turn, not necessarily their own.
      assertSpans(spans, false);
      const tools = spans.filter((s) => s.kind === 'tool');
      assert.ok(tools.every((s) => s.problems?.length === 1 && /start was not seen/.test(s.problems[0]!)));
    });

    it('Flotilla restarts while the Bash call runs: the stored span is closed by its end, nothing doubles', async () => {
      const bashStart = rec.events.findIndex((e) => e.hook?.hook_event_name === 'PreToolUse' && e.hook.tool_name === 'Bash');
      await replay(h, rec, rec.events, { restartAfter: bashStart });
      const spans = h.service.spans(AGENT);
      assertSpans(spans);
      assert.ok(spans.every((s) => !s.problems));
    });
  });

  describe('subagents (trace-subagent)', () => {
    const rec = loadRecordedTrace('trace-subagent');

    it('each Agent call is a subagent span; the subagent’s tools and requests hang under it, nested as they ran', async () => {
      await replay(h, rec);
      const spans = h.service.spans(AGENT);
      const calls = toolCalls(rec);
      // Which subagent each Agent call started: the next subagent transcript that appears after its PreToolUse.
      const startedBy = new Map<string, string>();
      for (const [i, e] of rec.events.entries()) {
        if (e.hook?.hook_event_name !== 'PreToolUse' || e.hook.tool_name !== 'Agent') continue;
        const next = rec.events.slice(i).find((x) => x.transcript?.includes('/subagents/') && !Object.values(Object.fromEntries(startedBy)).some((a) => x.transcript!.includes(a)));
        const agent = /agent-([0-9a-f]+)\.jsonl$/.exec(next?.transcript ?? '')?.[1];
        if (agent) startedBy.set(agent, String(e.hook.tool_use_id));
      }
      assert.ok(startedBy.size >= 2, 'the recording has nested subagents');
      const agentCalls = calls.filter(([, name]) => name === 'Agent');
      for (const [id] of agentCalls) {
        const span = spanOf(spans, id);
        assert.equal(span.kind, 'subagent');
        assert.equal(span.name, 'Agent: inspect the repo');
        assert.equal(span.status, 'ok');
      }
      for (const [id, name, agent] of calls) {
        const span = spanOf(spans, id);
        if (agent === undefined) continue;
        assert.equal(span.parentSpanId, spanOf(spans, startedBy.get(agent)!).spanId, `${name} ${id} of subagent ${agent} hangs under the call that started it`);
      }
      const models = spans.filter((s) => s.kind === 'model');
      assert.equal(models.length, requests(rec).size);
      for (const m of models) {
        const agent = requests(rec).get(String(m.attributes['model.request_id']));
        if (agent === undefined) continue;
        assert.equal(m.attributes['model.subagent'], agent);
        assert.equal(m.parentSpanId, spanOf(spans, startedBy.get(agent)!).spanId, `request ${m.attributes['model.request_id']} of ${agent}`);
      }
      // The main agent's own Bash call after the subagents: under its own request, not under a finished subagent.
      const mainBash = calls.find(([, name, agent]) => name === 'Bash' && agent === undefined)!;
      assert.equal(spans.find((s) => s.spanId === spanOf(spans, mainBash[0]).parentSpanId)?.kind, 'model');
      assert.equal(spans.find((s) => s.kind === 'task')!.status, 'ok');
      assert.ok(spans.every((s) => s.status !== 'running'));
    });
  });

  describe('an interrupt (trace-interrupt)', () => {
    const rec = loadRecordedTrace('trace-interrupt');

    it('the Bash call never gets its PostToolUse: it ends interrupted with its turn, and says why', async () => {
      assert.ok(!rec.events.some((e) => e.hook?.hook_event_name === 'PostToolUse' && e.hook.tool_name === 'Bash'), 'the recording has no end for Bash');
      await replay(h, rec);
      const spans = h.service.spans(AGENT);
      const [read, bash] = toolCalls(rec).map(([id]) => spanOf(spans, id));
      assert.equal(read!.status, 'ok');
      assert.equal(bash!.status, 'interrupted');
      assert.match(String(bash!.attributes['interrupted.why']), /interrupted/);
      assert.ok(bash!.end! - bash!.start >= 1000, 'it ran until the interrupt');
      const task = spans.find((s) => s.kind === 'task')!;
      assert.equal(task.status, 'interrupted');
      assert.equal(task.end, bash!.end);
      assert.equal(spans.filter((s) => s.kind === 'model').length, requests(rec).size);
      assert.ok(spans.every((s) => s.status !== 'running'));
    });
  });
});
