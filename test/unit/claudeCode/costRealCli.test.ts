// Flotilla's cost of a real Claude Code session equals Claude Code's own `total_cost_usd`, to the cent and beyond:
// the real CLI against the scripted model server, a request with 1-hour cache writes and a request of 196k input;
// the two together pass 200k, so pricing summed tokens (the old way) would bill the whole session at the >200k tier.
// (A single request above 200k is not compared: Claude Code 2.1.197 prices Sonnet 4.5 flat there, also with [1m],
// while the price catalog still carries the retired >200k tier; see the report of issue 11.) The transcript is metered the way the adapter
// does it (TranscriptWatch facts) and each fact priced on its own the way the container does (PriceBook).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TranscriptWatch } from '../../../src/adapters/claudeCode/transcriptWatch';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { Logger } from '../../../src/core/log';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import type { ModelServer } from '../../fixtures/modelServer/modelServer';
import { startModelServer } from '../../fixtures/modelServer/modelServer';
import { loadScenarios, scenarioUsage } from '../../fixtures/modelServer/scenario';
import type { Sandbox } from './claudeRunner';
import { claudeAvailable, createSandbox, runClaude } from './claudeRunner';

type UsageFact = Extract<AgentSignal, { type: 'usage' }>;
const log: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const scenarios = loadScenarios(new URL('../../fixtures/modelServer/scenarios', import.meta.url).pathname);

function transcriptOf(s: Sandbox, sessionId: string): string {
  const projects = join(s.configDir, 'projects');
  for (const dir of readdirSync(projects)) {
    if (readdirSync(join(projects, dir)).includes(`${sessionId}.jsonl`)) return join(projects, dir, `${sessionId}.jsonl`);
  }
  throw new Error(`no transcript for session ${sessionId} under ${projects}`);
}

describe('real Claude Code CLI: our cost equals its total_cost_usd', function () {
  this.timeout(120_000);
  let model: ModelServer;
  let sandbox: Sandbox | undefined;

  before(async function () {
    if (!claudeAvailable()) {
      console.warn('skipped: node_modules/.bin/claude is not installed (dev dependency @anthropic-ai/claude-code)');
      this.skip();
    }
    model = await startModelServer();
  });
  after(async () => {
    sandbox?.dispose();
    await model?.stop();
  });

  it('1-hour cache writes, and two requests under 200k each but over it together: the same dollars', async () => {
    sandbox = createSandbox();
    const r = await runClaude({ sandbox, prompt: '[scenario:cost-exact] please', settings: { permissions: { allow: ['Bash'] } }, modelUrl: model.url,
      // Claude Code prices under the model it asks for: ask for the one the server answers with (tiered above 200k).
      env: { ANTHROPIC_MODEL: 'claude-sonnet-4-5-20250929' } });
    assert.equal(r.timedOut, false, 'claude did not finish in time');
    assert.equal(r.result?.subtype, 'success', r.stderr);
    const claudeCost = r.result?.total_cost_usd as number;

    const facts: UsageFact[] = [];
    const watch = new TranscriptWatch({
      agentId: 'a1',
      log,
      sink: { signal: (_id, s) => void (s.type === 'usage' && facts.push(s)), approve: () => Promise.resolve({ decision: 'ask', reason: 'test' }) },
    });
    watch.follow(transcriptOf(sandbox, String(r.result?.session_id)));
    await watch.read();
    watch.dispose();

    // To the token: the two scripted requests, the 1-hour part apart.
    const served = scenarioUsage(scenarios.get('cost-exact')!).get('claude-sonnet-4-5-20250929')!;
    const sum = (pick: (f: UsageFact) => number): number => facts.reduce((n, f) => n + pick(f), 0);
    assert.deepEqual(
      [sum((f) => f.delta.input), sum((f) => f.delta.output), sum((f) => f.delta.cacheRead), sum((f) => f.delta.cacheWrite), sum((f) => f.cacheWrite1h ?? 0)],
      [served.input, served.output, served.cacheRead, served.cacheCreation, served.cacheCreation1h],
    );
    assert.equal(facts.length, 2);

    // To the cent (and closer): each request priced on its own, then added.
    const book = new PriceBook();
    const ours = facts.reduce((usd, f) => {
      const p = book.price(f.model, { ...f.delta, cacheWrite1h: f.cacheWrite1h ?? 0 });
      assert.ok(p.ok, p.ok ? '' : p.reason);
      return usd + p.costUsd;
    }, 0);
    console.log(`      ours $${ours.toFixed(6)} vs Claude Code $${claudeCost.toFixed(6)}`);
    assert.equal(Math.round(ours * 100), Math.round(claudeCost * 100), `ours ${ours} vs Claude Code ${claudeCost}`);
    assert.ok(Math.abs(ours - claudeCost) < 1e-9, `ours ${ours} vs Claude Code ${claudeCost}`);

    // What the old way billed: summed tokens (the whole session at the >200k tier), 1-hour writes as 5-minute ones.
    const summed = book.price('claude-sonnet-4-5-20250929', { input: served.input, output: served.output, cacheRead: served.cacheRead, cacheWrite: served.cacheCreation });
    assert.ok(summed.ok && Math.abs(summed.costUsd - claudeCost) > 0.01, 'the summed price would differ by more than a cent');
  });
});
