// The Agents tree: one row per agent, updated from the fleet's change events, ordered by `flotilla.agents.sortBy`
// (what needs the user first by default) and grouped by `flotilla.agents.groupBy` (default: agents with a group under
// its row with the group's total and budget, agentGroupNodes.ts; the others at the top level). Remote connections are
// host nodes with their agents under them.
// A change that keeps the rows' order refreshes only that agent's row (and its group's row when the group's words
// moved): VS Code then sends the new row to the renderer in one message, where a full refresh costs the renderer a
// second round trip for the children.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { AgentSnapshot, BudgetLimits } from '../shared/agent';
import { isEnded } from '../core/statusMachine';
import { Commands, Settings } from './ids';
import { agentIcon, describe, tooltip } from './agentPresentation';
import { compareAgents, GROUP_BY, SORT_BY, sortAgents } from './agentOrder';
import type { AgentGroupBy, AgentSortBy } from './agentOrder';
import { GroupNodes, groupKey, groupNodeDescription, groupNodeTooltip, groupUse, isGroupNode, layoutGroups } from './agentGroupNodes';
import type { AgentGroupNode } from './agentGroupNodes';
import { hostDescription, hostIcon, hostNode, hostOf, isHostNode } from './remoteConnectionsTree';
import type { RemoteHostNode, RemoteHostSource } from './remoteConnectionsTree';
import type { RunnerConnectionState } from '../adapters/remote/runnerConnection';
import { runnerAgentOf } from '../adapters/remote/runnerFleetAgents';
import { appendPlainText } from './markdownText';

export { isGroupNode };
export type { AgentGroupNode };
export type AgentTreeNode = AgentSnapshot | AgentGroupNode | RemoteHostNode;

/** The tree's order settings, read each refresh (unknown values fall back to the defaults). */
export function treeOrder(): { sortBy: AgentSortBy; groupBy: AgentGroupBy } {
  const c = vscode.workspace.getConfiguration(Settings.section);
  const sortBy = c.get<string>(Settings.agentsSortBy, 'attention');
  const groupBy = c.get<string>(Settings.agentsGroupBy, 'group');
  return {
    sortBy: (SORT_BY as readonly string[]).includes(sortBy) ? (sortBy as AgentSortBy) : 'attention',
    groupBy: (GROUP_BY as readonly string[]).includes(groupBy) ? (groupBy as AgentGroupBy) : 'group',
  };
}

/** The parent entry of the root. */
const ROOT = '';

export class AgentsTreeProvider implements vscode.TreeDataProvider<AgentTreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<AgentTreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly ticker: ReturnType<typeof setInterval>;
  /** The description each row shows now (agents by id, groups and hosts by node id), to tell whether it changed. */
  private readonly shown = new Map<string, string>();
  /**
   * The element VS Code knows for each agent: the first snapshot returned for it. VS Code maps elements to rows by
   * identity, so a row refresh must name this object; getTreeItem reads the agent's current snapshot by its id.
   */
  private readonly elements = new Map<string, AgentSnapshot>();
  private readonly groupNodes = new GroupNodes();
  /** Where each agent's row sits as of the last getChildren (ROOT, a group's or a host's node id). */
  private readonly parents = new Map<string, string>();
  /** The agents' ids under each parent, in the order the tree shows them. */
  private readonly siblings = new Map<string, string[]>();
  /** The group rows' names in the order the root shows them. */
  private shownGroups: string[] = [];
  /** A full refresh is on its way: until its getChildren, every change refreshes the whole tree. */
  private fullRefreshPending = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly hasTerminal: (agentId: string) => boolean,
    onDidChangeTerminals?: vscode.Event<string>,
    /** The credentials an agent gets (names and where from, never values), for the tooltip. */
    private readonly credentialNames?: (agent: AgentSnapshot) => readonly { name: string; from: string }[],
    /** The agent's health scorecard for the tooltip (Markdown, escaped), from fleet health. */
    private readonly healthCard?: (agent: AgentSnapshot) => string,
    /** The remote connections, shown as host nodes with their agents under them. */
    private readonly hosts?: RemoteHostSource & { readonly onDidChange: vscode.Event<void> },
    /** The group budgets in force (the BudgetWatch's scope budgets from settings), for the group rows. */
    private readonly groupBudgets?: () => Readonly<Record<string, BudgetLimits>>,
  ) {
    this.subscriptions.push(fleet.onDidChangeAgent((agent) => this.refreshAgent(agent.id)), fleet.onDidRemoveAgent((id) => {
        this.shown.delete(id);
        this.elements.delete(id);
        this.refresh();
      }));
    // A terminal found again after a reload brings back the row's Stop and Focus Terminal.
    if (onDidChangeTerminals) this.subscriptions.push(onDidChangeTerminals((id) => this.refreshAgent(id)));
    if (hosts) this.subscriptions.push(hosts.onDidChange(() => this.refresh()));
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const order = e.affectsConfiguration(`${Settings.section}.${Settings.agentsSortBy}`) || e.affectsConfiguration(`${Settings.section}.${Settings.agentsGroupBy}`);
        if (order || e.affectsConfiguration(`${Settings.section}.${Settings.budgetGroups}`)) this.refresh();
      }),
    );
    // Elapsed times move while agents run, but a refresh only when a row's words change: VS Code holds a tree's
    // refreshes for 200 ms after the last one, so a tick that changes nothing would delay a status change behind it.
    this.ticker = setInterval(() => {
      const now = Date.now();
      for (const a of this.fleet.list()) if (!isEnded(a.status) && this.shown.get(a.id) !== describe(a, now)) this.refreshAgent(a.id);
      // A host's countdown to its next attempt.
      if (this.hostNames().some(({ name, state }) => this.shown.get(`host:${name}`) !== hostDescription(state, this.hostAgents(name).length, now))) this.refresh();
    }, 5000);
  }

  refresh(): void {
    this.fullRefreshPending = true;
    this._onDidChangeTreeData.fire(undefined);
  }

  /** The element of an agent's row (for reveal): the object VS Code knows the row by. */
  element(agent: AgentSnapshot): AgentSnapshot {
    return this.elements.get(agent.id) ?? agent;
  }

  /**
   * One agent changed: its row alone when it still sits under the same parent between its neighbours (and its
   * group's place at the root holds), plus its group's row when the group's words moved; else the whole tree. Every
   * other row was in order after its own change, so a changed row in order with its neighbours keeps each list sorted;
   * while a full refresh is pending the shown order is stale and every change is a full one.
   */
  private refreshAgent(id: string): void {
    const element = this.elements.get(id);
    const agent = this.fleet.get(id);
    const parent = this.parents.get(id);
    if (!element || !agent || this.fullRefreshPending || parent === undefined || !this.stillFits(agent, parent)) {
      this.refresh();
      return;
    }
    this._onDidChangeTreeData.fire(element);
    if (parent.startsWith('group:') && agent.group !== undefined && this.shown.get(parent) !== this.groupWords(agent.group)) this._onDidChangeTreeData.fire(this.groupNodes.node(agent.group));
  }

  private stillFits(agent: AgentSnapshot, parent: string): boolean {
    const { sortBy, groupBy } = treeOrder();
    if (this.parentOf(agent, groupBy) !== parent) return false;
    const list = this.siblings.get(parent) ?? [];
    const index = list.indexOf(agent.id);
    if (index < 0) return false;
    const compare = compareAgents(sortBy);
    const before = index > 0 ? this.fleet.get(list[index - 1]!) : undefined;
    const after = this.fleet.get(list[index + 1] ?? '');
    if ((before && compare(before, agent) > 0) || (after && compare(agent, after) > 0)) return false;
    // Groups are ordered by their most urgent agent: a member's change may move its group.
    if (parent.startsWith('group:')) return sameList(layoutGroups(this.localAgents(), sortBy).groups.map((g) => g.name), this.shownGroups);
    return true;
  }

  /** Where the agent's row belongs now: its host's node, its group's node, or the root. */
  private parentOf(agent: AgentSnapshot, groupBy: AgentGroupBy): string {
    const host = hostOf(agent, this.hostSet());
    if (host !== undefined) return hostNode(host).id;
    return groupBy === 'group' && agent.group !== undefined ? groupKey(agent.group) : ROOT;
  }

  getChildren(element?: AgentTreeNode): AgentTreeNode[] {
    const { sortBy, groupBy } = treeOrder();
    if (!element) {
      this.fullRefreshPending = false;
      this.parents.clear();
      this.siblings.clear();
      const hosts = [...this.hostSet()].sort().map((name) => hostNode(name));
      if (groupBy === 'none') {
        this.shownGroups = [];
        return [...hosts, ...this.shownUnder(ROOT, sortAgents(this.localAgents(), sortBy))];
      }
      const layout = layoutGroups(this.localAgents(), sortBy);
      this.shownGroups = layout.groups.map((g) => g.name);
      return [...hosts, ...layout.groups.map((g) => this.groupNodes.node(g.name)), ...this.shownUnder(ROOT, layout.loose)];
    }
    if (isHostNode(element)) return this.shownUnder(element.id, sortAgents(this.hostAgents(element.name), sortBy));
    if (isGroupNode(element)) return this.shownUnder(element.id, layoutGroups(this.localAgents(), sortBy).groups.find((g) => g.name === element.name)?.agents ?? []);
    return [];
  }

  /** Records the agents' rows under `parent` in this order and returns the elements VS Code knows them by. */
  private shownUnder(parent: string, agents: readonly AgentSnapshot[]): AgentSnapshot[] {
    this.siblings.set(parent, agents.map((a) => a.id));
    for (const a of agents) this.parents.set(a.id, parent);
    return agents.map((a) => this.known(a));
  }

  /** The element VS Code knows for this agent (the first one returned), so that row refreshes can name it. */
  private known(agent: AgentSnapshot): AgentSnapshot {
    const element = this.elements.get(agent.id);
    if (element) return element;
    this.elements.set(agent.id, agent);
    return agent;
  }

  getParent(element: AgentTreeNode): AgentTreeNode | undefined {
    if (isGroupNode(element) || isHostNode(element)) return undefined;
    const agent = this.fleet.get(element.id) ?? element;
    const host = hostOf(agent, this.hostSet());
    if (host !== undefined) return hostNode(host);
    return treeOrder().groupBy === 'group' && agent.group !== undefined ? this.groupNodes.node(agent.group) : undefined;
  }

  getTreeItem(node: AgentTreeNode): vscode.TreeItem {
    if (isHostNode(node)) {
      const state = this.hostNames().find((h) => h.name === node.name)?.state ?? { phase: 'closed' as const };
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const look = hostIcon(state);
      item.iconPath = new vscode.ThemeIcon(look.icon, look.color === undefined ? undefined : new vscode.ThemeColor(look.color));
      item.description = hostDescription(state, this.hostAgents(node.name).length, Date.now());
      this.shown.set(node.id, item.description);
      item.tooltip = `Remote connection '${node.name}': ${item.description}`;
      item.contextValue = `remoteHost ${state.phase}`;
      item.accessibilityInformation = { label: `${node.name}, ${item.description}` };
      return item;
    }
    if (isGroupNode(node)) {
      const members = this.groupMembers(node.name);
      const budget = this.groupBudgets?.()[node.name];
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      // Past 90 % of the group's budget the icon takes the warning colour, as an agent's row does.
      const now = Date.now();
      const share = groupUse(members, budget, now)?.share ?? 0;
      item.iconPath = new vscode.ThemeIcon('organization', share >= 0.9 ? new vscode.ThemeColor('notificationsWarningIcon.foreground') : undefined);
      item.description = groupNodeDescription(members, budget, now);
      this.shown.set(node.id, item.description);
      item.tooltip = groupNodeTooltip(node.name, members, budget, now);
      item.contextValue = 'agentGroup';
      item.accessibilityInformation = { label: `Group ${node.name}, ${item.description}` };
      return item;
    }
    // The element may be the first snapshot VS Code was given for this row: show the agent as it is now.
    const agent = this.fleet.get(node.id) ?? node;
    const now = Date.now();
    const item = new vscode.TreeItem(agent.name, vscode.TreeItemCollapsibleState.None);
    item.id = agent.id;
    item.iconPath = agentIcon(agent);
    item.description = describe(agent, now);
    this.shown.set(agent.id, item.description);
    const tip = tooltip(agent, now);
    const credentials = this.credentialNames?.(agent) ?? [];
    // Names only: the values stay in SecretStorage and the agent's environment.
    if (credentials.length > 0) appendPlainText(tip.appendMarkdown('  \n'), `Credentials: ${credentials.map((c) => `${c.name} (${c.from})`).join(', ')}`);
    const card = this.healthCard?.(agent);
    if (card) tip.appendMarkdown(card);
    item.tooltip = tip;
    const tags = ['agent', agent.kind];
    if (!isEnded(agent.status)) tags.push('live');
    if (agent.worktree) tags.push('worktree');
    if (agent.quarantine) tags.push('quarantined');
    if (agent.quotaPause && !isEnded(agent.status)) tags.push('quota');
    if (this.hasTerminal(agent.id)) tags.push('terminal');
    // An agent on a runner: Attach and its Open Diff (src/vscode/remoteAgentUi.ts).
    if (runnerAgentOf(agent)) tags.push('runner');

    item.contextValue = tags.join(' ');
    item.accessibilityInformation = { label: `${agent.name}, ${item.description}` };
    if (this.hasTerminal(agent.id)) {
      item.command = { command: Commands.focusTerminal, title: 'Focus Terminal', arguments: [agent] };
    }
    return item;
  }

  private hostNames(): { name: string; state: RunnerConnectionState }[] {
    return this.hosts?.states() ?? [];
  }

  private hostSet(): Set<string> {
    return new Set(this.hostNames().map((h) => h.name));
  }

  /** The agents under a host node. */
  private hostAgents(name: string): AgentSnapshot[] {
    return this.fleet.list().filter((a) => hostOf(a, new Set([name])) === name);
  }

  /** The agents not under a host node (grouped, or at the root). */
  private localAgents(): AgentSnapshot[] {
    const hosts = this.hostSet();
    return this.fleet.list().filter((a) => hostOf(a, hosts) === undefined);
  }

  private groupMembers(name: string): AgentSnapshot[] {
    return this.localAgents().filter((a) => a.group === name);
  }

  /** A group row's description as it would read now. */
  private groupWords(name: string): string {
    return groupNodeDescription(this.groupMembers(name), this.groupBudgets?.()[name], Date.now());
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.subscriptions.forEach((d) => d.dispose());
    this._onDidChangeTreeData.dispose();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
