// An agent's subagents in its tooltip, in a real extension host: the Agents tree's tooltip says what the subagents
// cost ("Cost: $0.15 (incl. 2 subagents $0.14)") from a real SQLite store's requests that name a subagent, follows a
// new subagent request, and has no such line for an agent that ran none.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { SubagentCosts } from '../../../src/core/cost/subagentCosts';
import { Fleet } from '../../../src/core/fleet/fleet';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { AgentsTreeProvider } from '../../../src/vscode/agentsTree';
import type { AgentTreeNode } from '../../../src/vscode/agentsTree';
import { setSubagentCostLine } from '../../../src/vscode/subagentCostLine';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

const SONNET = 'claude-sonnet-4-5-20250929';

describe('Subagents in the agent tooltip', () => {
  let dir: string;
  let store: FleetStore;
  let fleet: Fleet;
  let tree: AgentsTreeProvider;
  let line: { dispose(): void };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-subagent-tip-'));
    store = openStore(join(dir, 'flotilla.db')).store;
    fleet = new Fleet(new MemoryPersistence(), memoryLogger());
    tree = new AgentsTreeProvider(fleet, () => false);
  });

  afterEach(() => {
    line.dispose();
    tree.dispose();
    fleet.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what its subagents cost, and nothing for an agent without any', () => {
    const costs = new SubagentCosts(store, new PriceBook({}));
    line = setSubagentCostLine((id) => costs.line(id));
    const lead = fleet.create({ name: 'lead', kind: 'claude-code', cwd: '/tmp' }).agent.id;
    const solo = fleet.create({ name: 'solo', kind: 'claude-code', cwd: '/tmp' }).agent.id;
    for (const id of [lead, solo]) store.upsertAgent({ id, name: id, kind: 'claude-code', status: 'idle' });
    const req = (agentId: string, input: number, output: number, subagent?: string) =>
      store.addUsageRequest({ agentId, model: SONNET, input, output, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, ...(subagent ? { subagent, subagentType: 'Explore' } : {}) });
    req(lead, 1000, 1000); // its own, $0.018
    req(lead, 10_000, 6000, 'sub-1'); // $0.12
    req(lead, 1000, 1000, 'sub-2'); // $0.018
    fleet.addUsage(lead, SONNET, { input: 12_000, output: 8000, cacheRead: 0, cacheWrite: 0 }, 0.156);
    req(solo, 1000, 1000);
    const tip = (id: string) => (tree.getTreeItem(fleet.get(id)! as AgentTreeNode).tooltip as vscode.MarkdownString).value;
    assert.match(tip(lead), /Cost: \$0\.16 \(incl\\\. 2 subagents \\\$0\\\.14\)/);
    assert.doesNotMatch(tip(solo), /subagent/);

    req(lead, 1000, 1000, 'sub-3');
    costs.changed(lead);
    assert.match(tip(lead), /\(incl\\\. 3 subagents \\\$0\\\.16\)/);
  });
});
