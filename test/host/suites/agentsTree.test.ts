// The Agents tree's refreshes in a real extension host: a change that keeps the rows' order refreshes that row alone
// (named by the element VS Code was given, so VS Code can find the row), a change that moves a row refreshes the whole
// tree, and a row always shows the agent as it is now, even through the first element VS Code knows it by. Agents
// with a group sit under the group's row ("2 agents · $1.20/$5"): a member's change refreshes its row, and the group's
// row when the group's words moved; a change that moves a member or its group refreshes the whole tree.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AgentsTreeProvider, isGroupNode } from '../../../src/vscode/agentsTree';
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

  const start = (name: string, group?: string): AgentSnapshot => {
    const { agent } = fleet.create({ name, kind: 'custom', cwd: '/tmp', command: 'sleep 1', group });
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

  it('refreshes the whole tree when an agent is added or removed, or changes group', async () => {
    const alpha = start('alpha');
    rows();
    fired = [];
    start('bravo');
    assert.ok(fired.includes(undefined), 'a new agent is a new row');
    rows();
    fired = [];
    fleet.remove(alpha.id);
    assert.ok(fired.includes(undefined), 'a removed agent leaves');
    tree.getChildren();
    fired = [];
    const bravo = fleet.list()[0]!;
    fleet.update(bravo.id, { statusReason: 'reading' });
    assert.equal(fired.length, 1, 'no group: a row at the top level');
    fleet.update(bravo.id, { group: 'web' });
    assert.deepEqual(fired.slice(1), [undefined], 'into a group: the whole tree');
  });

  describe('group rows', () => {
    let grouped: AgentsTreeProvider;
    let groupFired: (AgentTreeNode | undefined)[];
    let groupListener: vscode.Disposable;
    beforeEach(() => {
      grouped = new AgentsTreeProvider(fleet, () => false, undefined, undefined, undefined, undefined, () => ({ backend: { usd: 5 } }));
      groupFired = [];
      groupListener = grouped.onDidChangeTreeData((e) => groupFired.push(e));
    });
    afterEach(() => {
      groupListener.dispose();
      grouped.dispose();
    });
    const label = (n: AgentTreeNode) => `${String(grouped.getTreeItem(n).label)}: ${String(grouped.getTreeItem(n).description)}`;

    it('lists grouped agents under their group with its total against its budget, the rest at the top level', () => {
      const alpha = start('alpha', 'backend');
      start('bravo', 'backend');
      start('charlie');
      start('delta', 'web');
      const root = grouped.getChildren();
      assert.deepEqual(root.map((n) => (isGroupNode(n) ? `group ${n.name}` : (n as AgentSnapshot).name)), ['group backend', 'group web', 'charlie']);
      const backend = root[0]!;
      assert.equal(label(backend), 'backend: 2 agents · $0.00/$5');
      assert.equal(label(root[1]!), 'web: 1 agent · $0.00');
      assert.equal(grouped.getTreeItem(backend).accessibilityInformation?.label, 'Group backend, 2 agents · $0.00/$5');
      const members = grouped.getChildren(backend) as AgentSnapshot[];
      assert.deepEqual(members.map((a) => a.name), ['alpha', 'bravo']);
      grouped.getChildren(root[1]!);
      assert.equal(grouped.getParent(members[0]!), backend, 'the same group element VS Code knows');

      // A member's cost moves the group's total: its row and the group's row, nothing else.
      groupFired = [];
      fleet.addUsage(alpha.id, 'claude-sonnet-4-5-20250929', { input: 1000, output: 10, cacheRead: 0, cacheWrite: 0 }, 1.2);
      assert.deepEqual(groupFired, [members[0], backend]);
      assert.equal(label(backend), 'backend: 2 agents · $1.20/$5');
      // Words of the member only: its row alone.
      groupFired = [];
      fleet.update(alpha.id, { statusReason: 'reading files' });
      assert.deepEqual(groupFired, [members[0]]);
      // Past 90 % of the group's budget its icon takes the warning colour.
      assert.equal((grouped.getTreeItem(backend).iconPath as vscode.ThemeIcon).color, undefined);
      fleet.addUsage(alpha.id, 'claude-sonnet-4-5-20250929', { input: 1000, output: 10, cacheRead: 0, cacheWrite: 0 }, 3.4);
      assert.equal(label(backend), 'backend: 2 agents · $4.60/$5');
      assert.equal(((grouped.getTreeItem(backend).iconPath as vscode.ThemeIcon).color as vscode.ThemeColor | undefined)?.id, 'notificationsWarningIcon.foreground');
    });

    it('refreshes the whole tree when a member moves within its group, or its group moves at the top level', () => {
      start('alpha', 'backend');
      const bravo = start('bravo', 'backend');
      const delta = start('delta', 'web');
      const root = grouped.getChildren();
      for (const n of root) if (isGroupNode(n)) grouped.getChildren(n);
      groupFired = [];
      // Bravo needs approval: above alpha within backend (and backend stays first).
      fleet.apply(bravo.id, 'approvalRequested', { statusReason: 'git push' });
      assert.deepEqual(groupFired, [undefined]);
      const again = grouped.getChildren();
      for (const n of again) if (isGroupNode(n)) grouped.getChildren(n);
      assert.deepEqual(grouped.getChildren(again[0]!).map((a) => (a as AgentSnapshot).name), ['bravo', 'alpha']);
      groupFired = [];
      // Delta, alone in web, needs approval: web's row comes up beside backend's (attention: by the best member, then name).
      fleet.apply(bravo.id, 'approvalResolved');
      assert.deepEqual(groupFired, [undefined]);
      const third = grouped.getChildren();
      for (const n of third) if (isGroupNode(n)) grouped.getChildren(n);
      groupFired = [];
      fleet.apply(delta.id, 'approvalRequested', { statusReason: 'rm -rf' });
      assert.deepEqual(groupFired, [undefined]);
      assert.deepEqual(grouped.getChildren().map((n) => (n as { name: string }).name), ['web', 'backend']);
    });
  });
});
