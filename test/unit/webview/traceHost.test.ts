// The Trace panel's host end on a real TraceService and store: nothing before `ready`, a snapshot of the scope,
// live spans batched into one `append` (only the scope's agent), messages valid after JSON, bad input logged.
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import { SNAPSHOT_CHUNK_SPANS, SNAPSHOT_FIRST_SPANS, TraceHostEndpoint } from '../../../src/shared/webview/traceHost';
import type { TraceSpan } from '../../../src/shared/webview/traceSpan';
import { parseTraceHostMessage } from '../../../src/shared/webview/traceProtocol';
import type { TraceHostMessage } from '../../../src/shared/webview/traceProtocol';
import { bash, TraceHarness } from '../traces/traceKit';

describe('trace panel host endpoint', () => {
  let h: TraceHarness;
  let posted: TraceHostMessage[];
  let warnings: string[];
  const endpoint = (agentId?: string) =>
    new TraceHostEndpoint({
      source: h.service,
      ...(agentId ? { agentId } : {}),
      title: 'Trace',
      coalesceMs: 20,
      post: (m) => {
        const parsed = parseTraceHostMessage(JSON.parse(JSON.stringify(m)));
        if (!parsed.ok) throw new Error(parsed.error.message);
        posted.push(parsed.message);
      },
      log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) },
    });
  beforeEach(() => {
    h = new TraceHarness();
    posted = [];
    warnings = [];
  });
  afterEach(() => h.dispose());

  it("sends an agent's scorecard after its snapshot and again only when it changed (as text lines; none for the fleet)", async () => {
    let lines = ['Risk: 0 of 10 (nothing in the last 30 minutes)', '1 turn finished · 2 tool calls'];
    const sent: TraceHostMessage[] = [];
    const written = new Emitter<readonly TraceSpan[]>();
    const span: TraceSpan = { traceId: 't', spanId: 's', agentId: 'a1', kind: 'tool', name: 'Bash', start: 1, status: 'running', attributes: {} };
    const make = (agentId?: string) =>
      new TraceHostEndpoint({ source: { spans: () => [], onDidWrite: written.event }, ...(agentId ? { agentId } : {}), title: 'Trace', coalesceMs: 0, scorecard: () => lines, post: (m) => void sent.push(m), log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) } });
    const e = make('a1');
    e.receive({ type: 'ready' });
    assert.deepEqual(sent.map((m) => m.type), ['snapshot', 'scorecard']);
    written.fire([span]);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(sent.map((m) => m.type), ['snapshot', 'scorecard', 'append'], 'unchanged: not sent again');
    lines = ['Risk: 3.5 of 10', '  1 prohibited attempt: curl … | sh (3.5)', '1 turn finished · 3 tool calls'];
    written.fire([{ ...span, status: 'ok', end: 2 }]);
    await new Promise((r) => setTimeout(r, 10));
    const last = sent.at(-1)!;
    assert.deepEqual(last.type === 'scorecard' && last.lines, lines);
    e.dispose();
    sent.length = 0;
    const fleet = make();
    fleet.receive({ type: 'ready' });
    assert.deepEqual(sent.map((m) => m.type), ['snapshot']);
    fleet.dispose();
  });

  it('sends nothing before ready, then the scope\'s spans, then batched appends of that agent only', async () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a2', { type: 'turn', phase: 'started' });
    const e = endpoint('a1');
    h.service.writer.flush();
    assert.equal(posted.length, 0);
    e.receive({ type: 'ready' });
    assert.equal(posted.length, 1);
    const snap = posted[0]!;
    assert.equal(snap.type, 'snapshot');
    assert.deepEqual(snap.spans.map((s) => s.agentId), ['a1']);
    for (let i = 0; i < 50; i++) {
      h.fact('a1', { type: 'tool', phase: 'started', action: bash('x', `t${i}`) });
      h.fact('a2', { type: 'tool', phase: 'started', action: bash('y', `u${i}`) });
      h.service.writer.flush();
    }
    await new Promise((r) => setTimeout(r, 60));
    const appends = posted.filter((m) => m.type === 'append');
    assert.equal(appends.length, 1, 'fifty writes, one message');
    assert.equal(appends[0]!.spans.length, 50);
    assert.ok(appends[0]!.spans.every((s) => s.agentId === 'a1'));
    e.dispose();
  });

  it('the fleet timeline gets every agent; a bad message is logged, not thrown', () => {
    h.fact('a1', { type: 'turn', phase: 'started' });
    h.fact('a2', { type: 'turn', phase: 'started' });
    const e = endpoint();
    e.receive({ type: 'ready', extra: 1 });
    e.receive({ type: 'export' });
    assert.equal(posted.length, 0);
    assert.equal(warnings.length, 2);
    e.receive({ type: 'ready' });
    assert.deepEqual(posted[0]!.type === 'snapshot' && posted[0]!.spans.map((s) => s.agentId).sort(), ['a1', 'a2']);
    e.dispose();
  });

  it('a file link asks the host to open that agent\'s file; a link without a path is refused by name', () => {
    const opened: [string, string][] = [];
    const e = new TraceHostEndpoint({ source: h.service, title: 'Trace', post: () => undefined, log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) }, openFile: (a, f) => void opened.push([a, f]) });
    e.receive({ type: 'openFile', agentId: 'a1', path: '/w/notes.md' });
    e.receive({ type: 'openFile', agentId: 'a1', path: '' });
    assert.deepEqual(opened, [['a1', '/w/notes.md']]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /path/);
    e.dispose();
  });

  it('a big trace: the first spans in the snapshot, the rest in chunks on later turns; a span written meanwhile is not overwritten by its older copy', async () => {
    const total = SNAPSHOT_FIRST_SPANS + SNAPSHOT_CHUNK_SPANS + 5;
    const spans: TraceSpan[] = Array.from({ length: total }, (_, i) => ({ traceId: 't', spanId: `s${i}`, agentId: 'a', kind: 'tool', name: 'Bash', start: i, status: 'running', attributes: {} }));
    const written = new Emitter<readonly TraceSpan[]>();
    const sent: TraceHostMessage[] = [];
    const e = new TraceHostEndpoint({ source: { spans: () => spans, onDidWrite: written.event }, title: 'Trace', coalesceMs: 0, post: (m) => void sent.push(m), log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) } });
    e.receive({ type: 'ready' });
    assert.equal(sent.length, 1, 'the snapshot goes at once');
    assert.equal(sent[0]!.type === 'snapshot' && sent[0]!.spans.length, SNAPSHOT_FIRST_SPANS);
    const last = spans.at(-1)!;
    written.fire([{ ...last, status: 'ok', end: last.start + 5 }]);
    for (let i = 0; i < 400 && sent.length < 4; i++) await new Promise((r) => setTimeout(r, 5));
    const shown = new Map<string, TraceSpan>();
    for (const m of sent) if (m.type !== 'scorecard') for (const s of m.spans) shown.set(s.spanId, s);
    assert.equal(shown.size, total, 'every span arrives');
    assert.equal(shown.get(last.spanId)!.status, 'ok', 'the live version stands');
    // The live append and the first chunk may go in either order; the chunk holding the span leaves it out.
    assert.deepEqual(sent.map((m) => `${m.type}:${m.type === 'scorecard' ? m.lines.length : m.spans.length}`).sort(), ['append:1', `append:${SNAPSHOT_CHUNK_SPANS}`, 'append:4', `snapshot:${SNAPSHOT_FIRST_SPANS}`]);
    e.dispose();
  });
});
