// The OpenTelemetry usage route on the payload Claude Code 2.1.197 really sent (test/fixtures/otel): only the requests
// no transcript holds count (title, compaction), each request id once however often a batch is resent; events without
// a request id and unknown kinds are not counted; a malformed body is refused naming the field. And the launch: the
// OTEL variables only when the user has no OpenTelemetry set-up of their own.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeSettingsFiles, OtelUsage, otelEnv, userTelemetry } from '../../../src/adapters/claudeCode/otelUsage';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { AgentSignalSink } from '../../../src/core/agents/agentAdapter';
import { newFleet } from '../core/fleetKit';

interface Recorded {
  readonly modelRequests: { kind: string; requestId?: string }[];
  readonly transcriptKeys: string[];
  readonly posts: { path: string; body: unknown }[];
}
const recorded = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/otel/claudeCodeLogs.json'), 'utf8')) as Recorded;

type UsageFact = Extract<AgentSignal, { type: 'usage' }>;

/** A copy of the recorded body with every api_request's tokens set (the model server answers side queries with 0). */
function withTokens(body: unknown, tokens: number): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as { resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[] };
  for (const rl of copy.resourceLogs)
    for (const sl of rl.scopeLogs)
      for (const lr of sl.logRecords) for (const a of lr.attributes) if (a.key === 'input_tokens') a.value = { intValue: tokens };
  return copy;
}

describe("Claude Code's OpenTelemetry usage route", () => {
  const { fleet, log } = newFleet();
  const agent = fleet.create({ name: 'otel', kind: 'claude-code', cwd: '/tmp' }).agent;
  let facts: UsageFact[];
  const sink: AgentSignalSink = { signal: (_id, s) => void (s.type === 'usage' && facts.push(s)), approve: () => Promise.resolve({ decision: 'ask', reason: 'test' }) };
  beforeEach(() => (facts = []));

  it('the recording: every request has its id in the event; the title and compaction ids are in no transcript', () => {
    const transcriptIds = new Set(recorded.transcriptKeys.map((k) => k.split('/')[1]));
    const served = recorded.modelRequests.filter((r) => r.requestId !== undefined).map((r) => r.requestId!);
    const events = recorded.posts.flatMap((p) => JSON.stringify(p.body).match(/"request_id","value":\{"stringValue":"[^"]+"/g) ?? []);
    assert.ok(served.length >= 5);
    for (const id of served) assert.ok(events.some((e) => e.includes(`"${id}"`)), `${id} has an event`);
    const text = JSON.stringify(recorded.posts);
    for (const source of ['generate_session_title', 'compact', 'repl_main_thread']) assert.ok(text.includes(`"${source}"`), source);
    assert.deepEqual(served.filter((id) => !transcriptIds.has(id)).length, served.length - transcriptIds.size, 'only the side queries are missing');
  });

  it('counts the title and compaction requests, once each, even when a batch is sent again; never the main thread', () => {
    const usage = new OtelUsage(log);
    const bodies = recorded.posts.map((p) => withTokens(p.body, 700));
    for (const body of [...bodies, ...bodies]) assert.equal(usage.handle({ agent, body }, sink).status, 200);
    const transcriptIds = new Set(recorded.transcriptKeys.map((k) => k.split('/')[1]));
    assert.ok(facts.length >= 3, `facts: ${JSON.stringify(facts)}`);
    assert.equal(new Set(facts.map((f) => f.requestId)).size, facts.length, 'each request once');
    for (const f of facts) {
      assert.ok(!transcriptIds.has(f.requestId!), `${f.requestId} is the transcript's`);
      assert.equal(f.delta.input, 700);
    }
  });

  it('after a reload, a batch sent again counts nothing the store already holds (its request ids seed the memory)', () => {
    const bodies = recorded.posts.map((p) => withTokens(p.body, 700));
    const before = new OtelUsage(log);
    for (const body of bodies) before.handle({ agent, body }, sink);
    const stored = facts.map((f) => f.requestId!);
    assert.ok(stored.length >= 3);
    facts.length = 0;
    // A new window: the memory is gone; the store's request ids stand for it.
    const after = new OtelUsage(log, (id) => (id === agent.id ? stored : []));
    for (const body of bodies) after.handle({ agent, body }, sink);
    assert.deepEqual(facts, [], 'nothing counted twice');
  });

  it('an event without a request id, or of a kind not known to stay out of transcripts, is not counted', () => {
    const usage = new OtelUsage(log);
    const event = (attrs: Record<string, string | number>) => ({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } })) }] }] }],
    });
    const base = { 'event.name': 'api_request', model: 'claude-haiku-4-5', input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_creation_tokens: 0 };
    usage.handle({ agent, body: event({ ...base, query_source: 'compact' }) }, sink);
    usage.handle({ agent, body: event({ ...base, query_source: 'something_new', request_id: 'req_a' }) }, sink);
    usage.handle({ agent, body: event({ ...base, query_source: 'agent:builtin:general-purpose', request_id: 'req_b' }) }, sink);
    usage.handle({ agent, body: event({ ...base, query_source: 'compact', request_id: 'req_c', input_tokens: '12' as unknown as number }) }, sink);
    assert.deepEqual(facts.map((f) => f.requestId), ['req_c']);
    assert.ok(log.lines.some((l) => l.includes('"something_new"') && l.includes('not counted')));
  });

  it('a malformed body is refused with the field named', () => {
    const usage = new OtelUsage(log);
    const r = usage.handle({ agent, body: { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'x', value: { intValue: 'lots' } }] }] }] }] } }, sink);
    assert.equal(r.status, 400);
    assert.match(String((r.body as { field: string }).field), /^resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.attributes\.0\.value\.intValue$/);
    assert.equal(usage.handle({ agent, body: 'nope' }, sink).status, 400);
  });

  describe('launch', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-otel-env-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("adds the variables only when the user exports nothing: their environment or a Claude Code settings file's env", async () => {
      const files = claudeSettingsFiles({ CLAUDE_CONFIG_DIR: path.join(dir, 'cfg') }, path.join(dir, 'wt'), dir);
      assert.equal(await userTelemetry([{ PATH: '/bin' }, {}], files), undefined);
      assert.match((await userTelemetry([{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }], files))!, /OTEL_EXPORTER_OTLP_ENDPOINT in the environment/);
      fs.mkdirSync(path.join(dir, 'wt', '.claude'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'wt', '.claude', 'settings.json'), JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' } }));
      assert.match((await userTelemetry([{}], files))!, /CLAUDE_CODE_ENABLE_TELEMETRY in .*wt\/\.claude\/settings\.json/);
      const env = otelEnv('http://127.0.0.1:4000/', 'tok');
      assert.equal(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, 'http://127.0.0.1:4000/claude-code/otel/v1/logs');
      assert.equal(env.OTEL_EXPORTER_OTLP_LOGS_HEADERS, 'Authorization=Bearer tok');
      assert.equal(env.OTEL_METRICS_EXPORTER, undefined, 'metrics are not asked for');
    });
  });
});
