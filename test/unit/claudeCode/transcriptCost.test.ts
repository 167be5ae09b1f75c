// Metering across every transcript of one agent, on real files in a temp dir: a fork (`--resume --fork-session`)
// repeats its parent's lines with the same ids and counts once, a subagent's own file counts and names the
// subagent, 1-hour cache writes travel apart, and pricing the facts one request at a time picks each request's
// own long-context tier (five requests of 46k are never billed at the >200k rate).
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptWatch } from '../../../src/adapters/claudeCode/transcriptWatch';
import type { AgentSignalSink } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { Logger } from '../../../src/core/log';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { assistant } from './transcriptLines';

type UsageFact = Extract<AgentSignal, { type: 'usage' }>;
const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const SONNET = 'claude-sonnet-4-5-20250929';

describe('Claude Code metering across transcripts (forks, subagents, 1-hour cache)', () => {
  let dir: string;
  let facts: UsageFact[];
  let watch: TranscriptWatch;
  const sink: AgentSignalSink = {
    signal: (_id, s) => void (s.type === 'usage' && facts.push(s)),
    approve: () => Promise.resolve({ decision: 'ask', reason: 'test' }),
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-meter-'));
    facts = [];
    watch = new TranscriptWatch({ agentId: 'a1', sink, log });
  });
  afterEach(() => {
    watch.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a forked session repeats the parent lines with the same ids: they count once', async () => {
    const parent = join(dir, 'parent.jsonl');
    const fork = join(dir, 'fork.jsonl');
    const history = assistant({ id: 'msg_1', req: 'req_1', input: 1000, output: 50 }) + assistant({ id: 'msg_2', req: 'req_2', input: 1100, output: 60, cacheRead: 900 });
    writeFileSync(parent, history);
    watch.follow(parent);
    await watch.read();
    writeFileSync(fork, history + assistant({ id: 'msg_3', req: 'req_3', input: 1200, output: 70 }));
    watch.follow(fork);
    await watch.read();
    assert.deepEqual(
      facts.map((f) => [f.requestId, f.delta.input, f.delta.output, f.delta.cacheRead]),
      [
        ['req_1', 1000, 50, 0],
        ['req_2', 1100, 60, 900],
        ['req_3', 1200, 70, 0],
      ],
    );
  });

  it("a subagent's transcript counts for the agent, each fact naming the subagent; 1-hour writes travel apart", async () => {
    const main = join(dir, 'session.jsonl');
    const sub = join(dir, 'session', 'subagents', 'agent-7f3.jsonl');
    mkdirSync(join(dir, 'session', 'subagents'), { recursive: true });
    writeFileSync(main, assistant({ id: 'msg_m1', req: 'req_m1', input: 500, output: 20, cacheCreation: 3000, cacheCreation1h: 2000 }));
    writeFileSync(sub, assistant({ id: 'msg_s1', req: 'req_s1', input: 300, output: 10, agentId: '7f3' }));
    watch.follow(main);
    watch.follow(sub);
    await watch.read();
    appendFileSync(sub, assistant({ id: 'msg_s2', req: 'req_s2', input: 400, output: 15, cacheCreation: 100, agentId: '7f3' }));
    await watch.read();
    assert.deepEqual(
      facts.map((f) => [f.requestId, f.subagent, f.delta.input, f.delta.cacheWrite, f.cacheWrite1h]),
      [
        ['req_m1', undefined, 500, 3000, 2000],
        ['req_s1', '7f3', 300, 0, undefined],
        ['req_s2', '7f3', 400, 100, undefined],
      ],
    );
  });

  it('priced request by request: each request its own tier, 1-hour writes at their rate', async () => {
    const file = join(dir, 'long.jsonl');
    // Five requests of 46k input each (230k together: under the 200k tier each), then one request of 250k.
    let text = '';
    for (let i = 1; i <= 5; i++) text += assistant({ id: `msg_${i}`, req: `req_${i}`, input: 46_000, output: 100 });
    text += assistant({ id: 'msg_6', req: 'req_6', input: 10_000, cacheRead: 200_000, cacheCreation: 40_000, cacheCreation1h: 30_000, output: 1000 });
    writeFileSync(file, text);
    watch.follow(file);
    await watch.read();
    const book = new PriceBook();
    const cost = facts.reduce((sum, f) => {
      const p = book.price(f.model, { ...f.delta, cacheWrite1h: f.cacheWrite1h ?? 0 });
      assert.ok(p.ok);
      return sum + p.costUsd;
    }, 0);
    // Sonnet 4.5: $3 in / $15 out / $0.30 read / $3.75 5m write / $6 1h write; above 200k input: $6 / $22.50 / $0.60 / $7.50 / $12.
    const small = 5 * (46_000 * 3 + 100 * 15);
    const long = 10_000 * 6 + 200_000 * 0.6 + 10_000 * 7.5 + 30_000 * 12 + 1000 * 22.5;
    assert.equal(facts.every((f) => f.model === SONNET), true);
    assert.ok(Math.abs(cost - (small + long) / 1e6) < 1e-12, `${cost} vs ${(small + long) / 1e6}`);
  });
});
