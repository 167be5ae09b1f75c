// The rollout reader on files shaped like Codex 0.171's: lines arriving in pieces, usage per response id once,
// the model from turn_context, interrupted turns, the token_count fallback; and the session following a rollout
// after a reload (only what is new counts) and refusing paths that are not rollouts.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodexSession, isRolloutPath } from '../../../src/adapters/codex/codexSession';
import { RolloutReader } from '../../../src/adapters/codex/rolloutReader';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { Logger } from '../../../src/core/log';

const line = (type: string, payload: unknown): string => `${JSON.stringify({ timestamp: 't', type, payload })}\n`;
const usage = (input: number, cached: number, output: number) => ({
  input_tokens: input,
  cached_input_tokens: cached,
  cache_write_input_tokens: 0,
  output_tokens: output,
  reasoning_output_tokens: 1,
  total_tokens: input + output,
});
const record = (id: string, input: number, cached: number, output: number): string =>
  line('token_usage_record', { response_id: id, usage: usage(input, cached, output), turn_token_usage: {}, thread_token_usage: {} });
const tokenCount = (input: number, cached: number, output: number): string =>
  line('event_msg', { type: 'token_count', info: { total_token_usage: usage(0, 0, 0), last_token_usage: usage(input, cached, output) } });

describe('Codex rollout reader', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-rollout-'));
    file = join(dir, 'rollout-2026-11-30T03-40-16-abc.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('yields nothing for a file that does not exist yet', async () => {
    assert.deepEqual(await new RolloutReader(file).read(), []);
  });

  it('reports each response once, with the model and the uncached input, across partial writes', async () => {
    const reader = new RolloutReader(file);
    const first = line('turn_context', { model: 'gpt-5-codex' }) + record('resp_1', 1200, 200, 40);
    writeFileSync(file, first.slice(0, first.length - 30));
    assert.deepEqual(await reader.read(), []);
    appendFileSync(file, first.slice(first.length - 30) + tokenCount(1200, 200, 40) + record('resp_1', 1200, 200, 40));
    assert.deepEqual(await reader.read(), [{ type: 'usage', model: 'gpt-5-codex', responseId: 'resp_1', delta: { input: 1000, cacheRead: 200, cacheWrite: 0, output: 40 } }]);
    appendFileSync(file, 'not json\n' + line('event_msg', { type: 'turn_aborted', reason: 'interrupted' }));
    assert.deepEqual(await reader.read(), [{ type: 'interrupted', reason: 'interrupted' }]);
  });

  it('falls back to token_count.last_token_usage when the version writes no token_usage_record', async () => {
    writeFileSync(file, tokenCount(900, 0, 12) + line('event_msg', { type: 'token_count', info: null }) + tokenCount(1000, 800, 5));
    const events = await new RolloutReader(file).read();
    assert.deepEqual(
      events.map((e) => (e.type === 'usage' ? [e.model, e.delta.input, e.delta.cacheRead, e.delta.output] : e.type)),
      [
        ['codex', 900, 0, 12],
        ['codex', 200, 800, 5],
      ],
    );
  });

  it('a session found again after a reload counts only what the rollout gains from then on', async () => {
    writeFileSync(file, record('resp_1', 100, 0, 1));
    const facts: AgentSignal[] = [];
    const session = new CodexSession('a1', { signal: (_id, f) => void facts.push(f), approve: () => Promise.reject(new Error('no')) }, silentLog(), { pollMs: 50 });
    try {
      session.follow(file, 'end');
      await session.flush();
      appendFileSync(file, record('resp_2', 300, 100, 2));
      await session.flush();
      assert.deepEqual(facts, [{ type: 'usage', model: 'codex', delta: { input: 200, cacheRead: 100, cacheWrite: 0, output: 2 }, requestId: 'resp_2' }]);
    } finally {
      session.dispose();
    }
  });

  it('follows only absolute paths to rollout-*.jsonl files', () => {
    assert.equal(isRolloutPath(file), true);
    assert.equal(isRolloutPath('/home/u/.ssh/id_rsa'), false);
    assert.equal(isRolloutPath('sessions/rollout-1.jsonl'), false);
    const warnings: string[] = [];
    const session = new CodexSession('a1', { signal: () => undefined, approve: () => Promise.reject(new Error('no')) }, { ...silentLog(), warn: (m) => void warnings.push(m) });
    session.follow('/etc/passwd', 'start');
    session.dispose();
    assert.match(warnings[0] ?? '', /not a rollout file/);
  });
});

function silentLog(): Logger {
  return { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
}
