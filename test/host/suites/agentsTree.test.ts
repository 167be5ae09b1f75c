// The Agents tree's refreshes in a real extension host: a change that keeps the rows' order refreshes that row alone
// (named by the element VS Code was given, so VS Code can find the row), a change that moves a row refreshes the whole
// tree, and a row always shows the agent as it is now, even through the first element VS Code knows it by.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AgentsTreeProvider } from '../../../src/vscode/agentsTree';
import type { AgentTreeNode } from '../../../src/vscode/agentsTree';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

describe('Agents tree refreshes', () => {
  let fleet: Fleet;
  let tree: AgentsTreeProvider;
  let fired: (AgentTreeNode | undefined)[];
  let listener: vscode.Disposable;
  let clock = 1_000;

  beforeEach(async () => {
    await vscode.workspace.getConfiguration('flotilla').update('agents.groupBy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('flotilla').update('agents.sortBy', undefined, vscode.ConfigurationTarget.Global);
    fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => (clock += 1000));
    tree = new AgentsTreeProvider(fleet, () => false);
    fired = [];
    listener = tree.onDidChangeTreeData((e) => fired.push(e));
  });

  afterEach(() => {
    listener.dispose();
    tree.dispose();
    fleet.dispose();
  });

  const start = (name: string): AgentSnapshot => {
    const { agent } = fleet.create({ name, kind: 'custom', cwd: '/tmp', command: 'sleep 1' });
    fleet.apply(agent.id, 'launched');
    fleet.apply(agent.id, 'sessionStarted');
    fleet.apply(agent.id, 'promptSubmitted');
    return fleet.get(agent.id)!;
  };
  const rows = (): AgentSnapshot[] => tree.getChildren() as AgentSnapshot[];

  it('refreshes only the changed row while the order holds, by the element VS Code knows', () => {
    const alpha = start('alpha');
    start('bravo');
    const shown = rows();
    fired = [];
    // Usage moves alpha's cost: the same order, so only its row, named by the object getChildren returned.
    fleet.update(alpha.id, { statusReason: 'reading files' });
    assert.equal(fired.length, 1);
    assert.equal(fired[0], shown.find((a) => a.id === alpha.id));
    // That element is an old snapshot (alpha working); the row shows the agent as it is now (idle).
    const element = fired[0]!;
    fleet.apply(alpha.id, 'turnEnded');
    assert.equal(fleet.get(alpha.id)?.status, 'idle');
    const item = tree.getTreeItem(element);
    assert.equal(item.id, alpha.id);
    assert.match(String(item.description), /^idle/);
    // Its tooltip opens the agent's trace (the only commands a tooltip may run: Open Diff and Open Trace).
    const tip = item.tooltip as vscode.MarkdownString;
    assert.ok(tip.value.includes(`command:flotilla.openTrace?${encodeURIComponent(JSON.stringify([alpha.id]))}`), tip.value);
    assert.deepEqual((tip.isTrusted as { enabledCommands: string[] }).enabledCommands, ['flotilla.openDiff', 'flotilla.openTrace']);
  });

  it('refreshes the whole tree when a change moves a row, and every change until the tree has read it again', () => {
    start('alpha');
    const bravo = start('bravo');
    rows();
    fired = [];
    // Bravo now needs approval: it floats above alpha (sort by attention), so the whole tree is refreshed.
    fleet.apply(bravo.id, 'approvalRequested', { statusReason: 'git push' });
    assert.deepEqual(fired, [undefined]);
    // Until VS Code asks for the children again, the order the tree shows is stale: still whole refreshes.
    fleet.update(bravo.id, { statusReason: 'git push origin main' });
    assert.deepEqual(fired, [undefined, undefined]);
    assert.deepEqual(rows().map((a) => a.name), ['bravo', 'alpha']);
    fleet.update(bravo.id, { statusReason: 'git push origin main --force' });
    assert.equal(fired.length, 3);
    assert.equal(fired[2], rows()[0]);
  });

  it('refreshes the whole tree when grouped, and when an agent is added or removed', async () => {
    const alpha = start('alpha');
    rows();
    fired = [];
    start('bravo');
    assert.ok(fired.includes(undefined), 'a new agent is a new row');
    rows();
    fired = [];
    fleet.remove(alpha.id);
    assert.ok(fired.includes(undefined), 'a removed agent leaves');
    await vscode.workspace.getConfiguration('flotilla').update('agents.groupBy', 'group', vscode.ConfigurationTarget.Global);
    tree.getChildren();
    fired = [];
    const bravo = fleet.list()[0]!;
    fleet.update(bravo.id, { statusReason: 'reading' });
    assert.deepEqual(fired, [undefined]);
  });
});
