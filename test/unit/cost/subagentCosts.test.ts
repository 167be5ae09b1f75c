// Per-subagent costs on a real SQLite file: the tooltip's line ("incl. 2 subagents $0.14") sums each subagent's
// requests priced one by one, follows new requests and a price change; and a subagent's type is read from the file
// Claude Code writes beside its transcript (<session>/subagents/agent-<id>.meta.json), never from a path it builds
// out of a strange id.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claudeSubagentType } from '../../../src/adapters/claudeCode/subagentMeta';
import { SubagentCosts } from '../../../src/core/cost/subagentCosts';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { describeEachDriver } from '../store/storeTestKit';

const SONNET = 'claude-sonnet-4-5-20250929';

describeEachDriver('subagent costs', (t) => {
  it("sums each agent's subagents for its tooltip, refreshed on a new request and on a price change", () => {
    const store = t.open();
    for (const id of ['a1', 'a2']) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    const req = (agentId: string, input: number, output: number, subagent?: string) =>
      store.addUsageRequest({ agentId, model: SONNET, input, output, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, ...(subagent ? { subagent } : {}) });
    req('a1', 100_000, 0); // its own: not a subagent's
    req('a1', 10_000, 6000, 'sub-1'); // 0.03 + 0.09 = $0.12
    req('a1', 1000, 1000, 'sub-2'); // $0.018
    let overrides: unknown = {};
    const costs = new SubagentCosts(store, new PriceBook(() => overrides));
    assert.equal(costs.line('a1'), 'incl. 2 subagents $0.14');
    assert.equal(costs.line('a2'), undefined);

    req('a2', 1000, 1000, 'sub-3');
    assert.equal(costs.line('a2'), undefined, 'kept until told');
    costs.changed('a2');
    assert.equal(costs.line('a2'), 'incl. 1 subagent $0.02');

    overrides = { 'claude-sonnet-*': { input: 6, output: 30 } };
    costs.pricesChanged();
    assert.equal(costs.line('a1'), 'incl. 2 subagents $0.28');
    overrides = { 'claude-sonnet-*': 'not rates' };
    costs.pricesChanged();
    assert.equal(costs.line('a1'), 'incl. 2 subagents $0.14', 'a bad override is ignored: the catalog prices');
    store.addUsageRequest({ agentId: 'a1', model: 'my-local-model', input: 1, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, subagent: 'sub-4' });
    costs.changed('a1');
    assert.equal(costs.line('a1'), 'incl. 3 subagents $0.14 (some without a price)');
  });

  it("reads a subagent's type from Claude Code's meta file beside its transcript", () => {
    const main = path.join(t.dir, 'project', '40284c82.jsonl');
    const subagents = path.join(t.dir, 'project', '40284c82', 'subagents');
    fs.mkdirSync(subagents, { recursive: true });
    fs.writeFileSync(main, '');
    fs.writeFileSync(path.join(subagents, 'agent-afec4626.meta.json'), JSON.stringify({ agentType: 'Explore', toolUseId: 'toolu_1' }));
    fs.writeFileSync(path.join(subagents, 'agent-bad.meta.json'), JSON.stringify({ agentType: 42 }));
    assert.equal(claudeSubagentType([path.join(t.dir, 'other.jsonl'), main], 'afec4626'), 'Explore');
    assert.equal(claudeSubagentType([main], 'bad'), undefined, 'a type that is not text');
    assert.equal(claudeSubagentType([main], 'later'), undefined, 'no file yet');
    fs.writeFileSync(path.join(subagents, 'agent-later.meta.json'), JSON.stringify({ agentType: 'Plan' }));
    assert.equal(claudeSubagentType([main], 'later'), 'Plan', 'found once it is written');
    assert.equal(claudeSubagentType([main], '../../etc/passwd'), undefined, 'an id that is not a plain name');
  });
});
