// Per-subagent costs from the real Claude Code CLI: a session that starts a subagent (scripted model server, scenario
// trace-subagent) is metered the way the adapter does it (TranscriptWatch over the main and the subagent transcript),
// each usage fact stored the way the container stores it (its subagent id, and the type read from the meta file
// Claude Code writes beside the subagent's transcript) in a real SQLite store; the Costs report then shows the
// subagent under its agent, typed, with its own requests' dollars, and the tooltip line says the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptWatch } from '../../../src/adapters/claudeCode/transcriptWatch';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { buildCostReport } from '../../../src/core/cost/costReport';
import { SubagentCosts } from '../../../src/core/cost/subagentCosts';
import type { Logger } from '../../../src/core/log';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { openStore } from '../../../src/core/store/openDatabase';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import type { Sandbox } from './claudeRunner';
import { claudeAvailable, createSandbox, runClaude } from './claudeRunner';

type UsageFact = Extract<AgentSignal, { type: 'usage' }>;
const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const SONNET = 'claude-sonnet-4-5-20250929';

describe('real Claude Code CLI: a subagent is costed apart, under its agent', function () {
  this.timeout(120_000);
  let model: ModelServer;
  let sandbox: Sandbox | undefined;
  let dir: string | undefined;

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer({ scenarios: new URL('../../fixtures/traces/scenarios', import.meta.url).pathname });
  });
  after(async () => {
    sandbox?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await model?.stop();
  });

  it("stores the subagent's requests with its id and type, and the report and tooltip show it", async () => {
    sandbox = createSandbox();
    const r = await runClaude({
      sandbox,
      prompt: 'please',
      settings: { permissions: { allow: ['Bash', 'Agent', 'Task'] } },
      modelUrl: model.url,
      // Every conversation (the subagent's too) follows the scenario.
      env: { ANTHROPIC_CUSTOM_HEADERS: 'x-flotilla-scenario: trace-subagent', ANTHROPIC_MODEL: SONNET },
    });
    assert.equal(r.timedOut, false, 'claude did not finish in time');
    assert.equal(r.result?.subtype, 'success', r.stderr);
    const sessionId = String(r.result?.session_id);
    const projects = join(sandbox.configDir, 'projects');
    const project = readdirSync(projects).find((d) => readdirSync(join(projects, d)).includes(`${sessionId}.jsonl`))!;
    const main = join(projects, project, `${sessionId}.jsonl`);
    const subDir = join(projects, project, sessionId, 'subagents');
    const subTranscripts = readdirSync(subDir).filter((f) => f.endsWith('.jsonl'));
    // The scenario's subagent starts another (they nest, each with its own transcript and meta file).
    assert.ok(subTranscripts.length >= 1, `subagent transcripts: ${readdirSync(subDir).join(', ')}`);

    const facts: UsageFact[] = [];
    const watch = new TranscriptWatch({ agentId: 'a1', log, sink: { signal: (_id, s) => void (s.type === 'usage' && facts.push(s)), approve: () => Promise.resolve({ decision: 'ask', reason: 'test' }) } });
    watch.follow(main);
    for (const f of subTranscripts) watch.follow(join(subDir, f));
    await watch.read();
    watch.dispose();

    dir = mkdtempSync(join(tmpdir(), 'flotilla-subagent-cost-'));
    const { store } = openStore(join(dir, 'fleet.db'));
    try {
      store.upsertAgent({ id: 'a1', name: 'lead', kind: 'claude-code', status: 'idle' });
      // As the container's onRequest stores a fact.
      for (const f of facts) {
        const subagent = f.subagent !== undefined ? { subagent: f.subagent, subagentType: f.subagentType } : {};
        store.addUsageRequest({ agentId: 'a1', model: f.model, input: f.delta.input, output: f.delta.output, cacheRead: f.delta.cacheRead, cacheWrite: f.delta.cacheWrite, cacheWrite1h: f.cacheWrite1h ?? 0, ...subagent });
      }
      const book = new PriceBook({});
      const expected = new Map<string, { requests: number; usd: number }>();
      for (const f of facts) {
        if (f.subagent === undefined) continue;
        const p = book.price(f.model, { ...f.delta, cacheWrite1h: f.cacheWrite1h ?? 0 });
        assert.ok(p.ok);
        const e = expected.get(f.subagent) ?? { requests: 0, usd: 0 };
        expected.set(f.subagent, { requests: e.requests + 1, usd: e.usd + p.costUsd });
      }
      const ids = subTranscripts.map((f) => f.replace(/^agent-/, '').replace(/\.jsonl$/, '')).sort();
      assert.deepEqual([...expected.keys()].sort(), ids, 'each subagent transcript\'s requests are metered and name their subagent');
      assert.ok(facts.some((f) => f.subagent === undefined), "the main agent's own requests name no subagent");

      const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
      const report = buildCostReport({ days: 7, now: Date.now(), agents: [{ id: 'a1', name: 'lead', status: 'idle', costUsd: 0, usage }], budgets: { fleet: undefined, groups: {} }, history: store, book });
      const row = report.agents.find((a) => a.id === 'a1')!;
      assert.deepEqual(
        row.subagents?.map((s) => [s.id, s.type, s.requests, s.periodUsd.toFixed(9)]).sort(),
        ids.map((id) => [id, 'general-purpose', expected.get(id)!.requests, expected.get(id)!.usd.toFixed(9)]),
      );
      const subagentsUsd = [...expected.values()].reduce((n, e) => n + e.usd, 0);
      assert.ok(row.periodUsd > subagentsUsd, "the agent's figure includes its subagents' and its own");
      const costs = new SubagentCosts(store, book);
      assert.equal(costs.totals('a1').count, ids.length);
      assert.equal(costs.totals('a1').usd.toFixed(9), subagentsUsd.toFixed(9));
    } finally {
      store.close();
    }
  });
});
