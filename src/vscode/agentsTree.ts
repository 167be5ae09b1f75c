// The Agents tree: one row per agent, updated from the fleet's change events, ordered by `flotilla.agents.sortBy`
// (what needs the user first by default) and optionally grouped by `flotilla.agents.groupBy` (order: agentOrder).
// A change that keeps the rows' order refreshes only that agent's row: VS Code then sends the new row to the
// renderer in one message, where a full refresh costs the renderer a second round trip for the children.
// With remote connections (and no grouping), each connection is a host node with its state and its agents under it.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { AgentSnapshot } from '../shared/agent';
import { isEnded } from '../core/statusMachine';
import { Commands, Settings } from './ids';
import { agentIcon, describe, tooltip } from './agentPresentation';
import { compareAgents, GROUP_BY, groupAgents, groupDescription, SORT_BY, sortAgents } from './agentOrder';
import type { AgentGroupBy, AgentSortBy } from './agentOrder';
import { hostDescription, hostIcon, hostNode, hostOf, isHostNode } from './remoteConnectionsTree';
import type { RemoteHostNode, RemoteHostSource } from './remoteConnectionsTree';
import type { RunnerConnectionState } from '../adapters/remote/runnerConnection';
import { connectionOfAddress } from '../adapters/remote/runnerFleetAgents';

/** A group row (flotilla.agents.groupBy = group); agents without a group sit under "no group". */
export interface AgentGroupNode {
  readonly type: 'group';
  readonly id: string;
  readonly name: string | undefined;
}
export type AgentTreeNode = AgentSnapshot | AgentGroupNode | RemoteHostNode;

export const isGroupNode = (node: unknown): node is AgentGroupNode => typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'group';

/** The tree's order settings, read each refresh (unknown values fall back to the defaults). */
export function treeOrder(): { sortBy: AgentSortBy; groupBy: AgentGroupBy } {
  const c = vscode.workspace.getConfiguration(Settings.section);
  const sortBy = c.get<string>(Settings.agentsSortBy, 'attention');
  const groupBy = c.get<string>(Settings.agentsGroupBy, 'none');
  return {
    sortBy: (SORT_BY as readonly string[]).includes(sortBy) ? (sortBy as AgentSortBy) : 'attention',
    groupBy: (GROUP_BY as readonly string[]).includes(groupBy) ? (groupBy as AgentGroupBy) : 'none',
  };
}

export class AgentsTreeProvider implements vscode.TreeDataProvider<AgentTreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<AgentTreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly ticker: ReturnType<typeof setInterval>;
  /** The description each agent's row shows now, to tell whether a tick changes anything. */
  private readonly shown = new Map<string, string>();
  /**
   * The element VS Code knows for each agent: the first snapshot returned for it. VS Code maps elements to rows by
   * identity, so a row refresh must name this object; getTreeItem reads the agent's current snapshot by its id.
   */
  private readonly elements = new Map<string, AgentSnapshot>();
  /** The agents' ids in the order the tree shows them (as of the last getChildren); undefined when grouped. */
  private shownOrder: string[] | undefined;
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
  ) {
    // A full refresh on every change keeps the order and the row identity simple; the tree is small.
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
        if (e.affectsConfiguration(`${Settings.section}.${Settings.agentsSortBy}`) || e.affectsConfiguration(`${Settings.section}.${Settings.agentsGroupBy}`)) this.refresh();
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
   * One agent changed: its row alone when it still sits between its neighbours (the tree not grouped), else the whole
   * tree. Every other row was in order after its own change, so a changed row in order with its neighbours keeps the
   * whole list sorted; while a full refresh is pending the shown order is stale and every change is a full one.
   */
  private refreshAgent(id: string): void {
    const element = this.elements.get(id);
    const agent = this.fleet.get(id);
    const index = this.shownOrder?.indexOf(id) ?? -1;
    if (!element || !agent || this.fullRefreshPending || index < 0 || !this.inOrder(agent, index)) {
      this.refresh();
      return;
    }
    this._onDidChangeTreeData.fire(element);
  }

  private inOrder(agent: AgentSnapshot, index: number): boolean {
    const { sortBy, groupBy } = treeOrder();
    if (groupBy !== 'none' || !this.shownOrder) return false;
    const compare = compareAgents(sortBy);
    const before = index > 0 ? this.fleet.get(this.shownOrder[index - 1]!) : undefined;
    const after = this.fleet.get(this.shownOrder[index + 1] ?? '');
    return (!before || compare(before, agent) <= 0) && (!after || compare(agent, after) <= 0);
  }

  getChildren(element?: AgentTreeNode): AgentTreeNode[] {
    const { sortBy, groupBy } = treeOrder();
    const agents = this.fleet.list();
    const hosts = new Set(this.hostNames().map((h) => h.name));
    if (groupBy === 'none' && hosts.size > 0) {
      // Rows move between hosts and the root: every change refreshes the whole tree.
      this.shownOrder = undefined;
      this.fullRefreshPending = false;
      if (isHostNode(element)) return sortAgents(this.hostAgents(element.name), sortBy).map((a) => this.known(a));
      if (element) return [];
      const loose = sortAgents(agents.filter((a) => hostOf(a, hosts) === undefined), sortBy);
      return [...[...hosts].sort().map((name) => hostNode(name)), ...loose.map((a) => this.known(a))];
    }
    if (groupBy === 'none') {
      if (element) return [];
      const sorted = sortAgents(agents, sortBy);
      this.shownOrder = sorted.map((a) => a.id);
      this.fullRefreshPending = false;
      return sorted.map((a) => this.known(a));
    }
    this.shownOrder = undefined;
    this.fullRefreshPending = false;
    const groups = groupAgents(agents, sortBy);
    if (!element) return groups.map((g) => groupNode(g.name));
    if (!isGroupNode(element)) return [];
    return (groups.find((g) => g.name === element.name)?.agents ?? []).map((a) => this.known(a));
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
    if (treeOrder().groupBy === 'none') {
      const host = hostOf(this.fleet.get(element.id) ?? element, new Set(this.hostNames().map((h) => h.name)));
      return host === undefined ? undefined : hostNode(host);
    }
    return groupNode((this.fleet.get(element.id) ?? element).group);
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
      const group = groupAgents(this.fleet.list().filter((a) => a.group === node.name), 'attention')[0];
      const item = new vscode.TreeItem(node.name ?? 'no group', vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('folder');
      item.description = group ? groupDescription(group) : '';
      item.contextValue = 'agentGroup';
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
    if (credentials.length > 0) tip.appendMarkdown('  \n').appendText(`Credentials: ${credentials.map((c) => `${c.name} (${c.from})`).join(', ')}`);
    const card = this.healthCard?.(agent);
    if (card) tip.appendMarkdown(card);
    item.tooltip = tip;
    const tags = ['agent', agent.kind];
    if (!isEnded(agent.status)) tags.push('live');
    if (agent.worktree) tags.push('worktree');
    if (agent.quarantine) tags.push('quarantined');
    if (this.hasTerminal(agent.id)) tags.push('terminal');
    // An agent on a runner: Attach and its Open Diff (src/vscode/remoteAgentUi.ts).
    if (agent.kind === 'remote' && connectionOfAddress(agent.command) !== undefined) tags.push('runner');

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

  /** The agents under a host node. */
  private hostAgents(name: string): AgentSnapshot[] {
    return this.fleet.list().filter((a) => hostOf(a, new Set([name])) === name);
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.subscriptions.forEach((d) => d.dispose());
    this._onDidChangeTreeData.dispose();
  }
}

/** Group rows are rebuilt on each refresh; the id keeps their expansion state. */
function groupNode(name: string | undefined): AgentGroupNode {
  return { type: 'group', id: `group:${name ?? ''}`, name };
}
