// The scripted model server fixture on its own (no Claude Code): routes, scenario choice per conversation,
// turn choice from the history, the SSE it streams, and scenario validation.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import { loadScenarios, scenarioUsage } from '../../fixtures/modelServer/scenario';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split('\n');
      return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) as Record<string, unknown> };
    });
}

/** The text an event stream carries, assembled from its deltas. */
const streamText = (body: string): string =>
  parseSse(body)
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { text?: string; partial_json?: string }).text ?? (e.data.delta as { partial_json: string }).partial_json)
    .join('');

const TOOLS = [{ name: 'Bash', input_schema: { type: 'object' } }];

describe('scripted model server', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.stop());

  const post = async (body: unknown, headers: Record<string, string> = {}, path = '/v1/messages?beta=true') =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers count_tokens and 404s anything else', async () => {
    const counted = await post({ messages: [] }, {}, '/v1/messages/count_tokens');
    assert.equal(counted.status, 200);
    assert.ok(((await counted.json()) as { input_tokens: number }).input_tokens > 0);
    assert.equal((await fetch(`${server.url}/v1/models`)).status, 404);
    assert.equal((await fetch(`${server.url}/`, { method: 'HEAD' })).status, 404);
  });

  it('streams the first turn of the scenario named in the prompt, with a request-id header', async () => {
    const res = await post(
      { tools: TOOLS, messages: [{ role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }, { type: 'text', text: '[scenario:write-file] go' }] }] },
      { 'x-claude-code-session-id': 'conv-a' },
    );
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.match(res.headers.get('request-id') ?? '', /^req_fx\d+$/);
    const events = parseSse(await res.text());
    assert.deepEqual(events.map((e) => e.event), ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const start = events[0]!.data.message as { model: string; usage: Record<string, number> };
    assert.equal(start.model, 'claude-sonnet-4-5-20250929');
    assert.deepEqual(start.usage, {
      input_tokens: 1200,
      output_tokens: 1,
      cache_read_input_tokens: 300,
      cache_creation_input_tokens: 40,
      cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 0 },
    });
    assert.deepEqual((events[1]!.data.content_block as { name: string }).name, 'Bash');
    assert.deepEqual(JSON.parse((events[2]!.data.delta as { partial_json: string }).partial_json), { command: 'echo hi > out.txt', description: 'Write hi to out.txt' });
    assert.deepEqual(events[4]!.data, { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 85 } });
    const last = server.requests.at(-1)!;
    assert.equal(last.kind, 'turn');
    assert.equal(last.scenario, 'write-file');
    assert.equal(last.turn, 0);
    assert.equal(last.conversation, 'conv-a');
  });

  it('serves the next turn once the history holds the tool call and its tool_result, and records the result', async () => {
    const res = await post(
      {
        tools: TOOLS,
        messages: [
          { role: 'user', content: '[scenario:write-file] go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'denied: no writes' }] },
        ],
      },
      { 'x-claude-code-session-id': 'conv-a' },
    );
    const body = await res.text();
    const events = parseSse(body);
    assert.deepEqual(events[1]!.data.content_block, { type: 'text', text: '' });
    assert.equal(streamText(body), 'done');
    assert.deepEqual((events.find((e) => e.event === 'message_delta')!.data.delta as { stop_reason: string }).stop_reason, 'end_turn');
    const last = server.requests.at(-1)!;
    assert.equal(last.turn, 1);
    assert.deepEqual(last.toolResults, [{ toolUseId: 't1', isError: true, text: 'denied: no writes' }]);
  });

  it('keeps concurrent conversations apart; the scenario header works without a marker', async () => {
    const [a, b] = await Promise.all([
      post({ tools: TOOLS, messages: [{ role: 'user', content: 'hello' }] }, { 'x-claude-code-session-id': 'conv-b', 'x-flotilla-scenario': 'text-only' }),
      post({ tools: TOOLS, messages: [{ role: 'user', content: '[scenario:ask-push] go' }] }, { 'x-claude-code-session-id': 'conv-c' }),
    ]);
    assert.equal(streamText(await a.text()), 'Hello from the scripted model.');
    assert.match(streamText(await b.text()), /git push origin feature/);
    // conv-b keeps its scenario on a later request that carries no header.
    const later = await post(
      { tools: TOOLS, messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'more' }] },
      { 'x-claude-code-session-id': 'conv-b' },
    );
    assert.equal(streamText(await later.text()), '[scenario text-only has no turn 1]');
    assert.equal(server.requests.at(-1)!.kind, 'exhausted');
  });

  it('refuses a request naming no scenario, or an unknown one, with a 400 that says so', async () => {
    const none = await post({ tools: TOOLS, messages: [{ role: 'user', content: 'hi' }] }, { 'x-claude-code-session-id': 'conv-d' });
    assert.equal(none.status, 400);
    assert.match(((await none.json()) as { error: { message: string } }).error.message, /no scenario/);
    const unknown = await post({ tools: TOOLS, messages: [{ role: 'user', content: '[scenario:nope] hi' }] });
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /unknown scenario 'nope'/);
  });

  it('holds a gated turn until its gate opens, then serves every held request and later ones at once', async () => {
    const gated = await startModelServer({
      scenarios: new Map([['gated', { name: 'gated', model: 'm', turns: [{ gate: 'go', text: 'released', usage: { input: 1, output: 1, cacheRead: 0, cacheCreation: 0 } }] }]]),
      defaultScenario: 'gated',
    });
    try {
      const ask = (conversation: string) =>
        fetch(`${gated.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-claude-code-session-id': conversation },
          body: JSON.stringify({ tools: TOOLS, messages: [{ role: 'user', content: 'hi' }] }),
        }).then((r) => r.text());
      const answers = [ask('g1'), ask('g2')];
      await gated.whenHeld('go', 2);
      assert.equal(gated.requests.filter((r) => r.kind === 'turn').length, 0, 'nothing is served while the gate is shut');
      gated.openGate('go');
      assert.deepEqual((await Promise.all(answers)).map(streamText), ['released', 'released']);
      assert.equal(streamText(await ask('g3')), 'released', 'an open gate no longer holds');
      assert.equal(gated.requests.filter((r) => r.kind === 'turn').length, 3);
    } finally {
      await gated.stop();
    }
  });

  it("answers Claude Code's tool-less side queries without moving the script", async () => {
    const res = await post({ messages: [{ role: 'user', content: '[scenario:write-file] title this' }] }, { 'x-claude-code-session-id': 'conv-e' });
    assert.equal(streamText(await res.text()), 'ok');
    assert.equal(server.requests.at(-1)!.kind, 'side');
  });
});

describe('scenario files', () => {
  it('the shipped scenarios load, and their usage sums per model', () => {
    const folder = new URL('../../fixtures/modelServer/scenarios', import.meta.url).pathname;
    const scenarios = loadScenarios(folder);
    // Every file in the folder loads, under its own name.
    const files = readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
    assert.ok(files.length >= 20, `${files.length} scenario files`);
    assert.deepEqual([...scenarios.keys()].sort(), files);
    assert.deepEqual(Object.fromEntries(scenarioUsage(scenarios.get('write-file')!)), {
      'claude-sonnet-4-5-20250929': { input: 2550, output: 97, cacheRead: 1800, cacheCreation: 40, cacheCreation1h: 0 },
    });
  });

  it('a bad scenario file is refused with the file and the field named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-scenarios-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', model: 'm', turns: [{ text: 'x', usage: { input: 1, output: -1 } }] }));
      assert.throws(() => loadScenarios(dir), /bad\.json: turns\.0\.usage\.output: /);
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'other', model: 'm', turns: [{ text: 'x', usage: { input: 1, output: 1 } }] }));
      assert.throws(() => loadScenarios(dir), /does not match the file name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
