// The Trace panel's host end on a real TraceService and store: nothing before `ready`, a snapshot of the scope,
// live spans batched into one `append` (only the scope's agent), messages valid after JSON, bad input logged.
import assert from 'node:assert/strict';
import { TraceHostEndpoint } from '../../../src/shared/webview/traceHost';
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
});
