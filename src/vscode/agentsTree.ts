// The Agents tree: one row per agent, updated from the fleet's change events (only the changed row refreshes).
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { AgentSnapshot } from '../shared/agent';
import { isEnded } from '../core/statusMachine';
import { Commands } from './ids';
import { agentIcon, describe, tooltip } from './agentPresentation';

export class AgentsTreeProvider implements vscode.TreeDataProvider<AgentSnapshot>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<AgentSnapshot | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly fleet: Fleet,
    private readonly hasTerminal: (agentId: string) => boolean,
    onDidChangeTerminals?: vscode.Event<string>,
  ) {
    // A full refresh on every change keeps the order and the row identity simple; the tree is small.
    this.subscriptions.push(fleet.onDidChangeAgent(() => this.refresh()), fleet.onDidRemoveAgent(() => this.refresh()));
    // A terminal found again after a reload brings back the row's Stop and Focus Terminal.
    if (onDidChangeTerminals) this.subscriptions.push(onDidChangeTerminals(() => this.refresh()));
    // Elapsed times move while agents run.
    this.ticker = setInterval(() => {
      if (this.fleet.list().some((a) => !isEnded(a.status))) this.refresh();
    }, 5000);
  }

  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  getChildren(element?: AgentSnapshot): AgentSnapshot[] {
    return element ? [] : this.fleet.list();
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(agent: AgentSnapshot): vscode.TreeItem {
    const now = Date.now();
    const item = new vscode.TreeItem(agent.name, vscode.TreeItemCollapsibleState.None);
    item.id = agent.id;
    item.iconPath = agentIcon(agent);
    item.description = describe(agent, now);
    item.tooltip = tooltip(agent, now);
    const tags = ['agent', agent.kind];
    if (!isEnded(agent.status)) tags.push('live');
    if (agent.worktree) tags.push('worktree');
    if (agent.quarantine) tags.push('quarantined');
    if (this.hasTerminal(agent.id)) tags.push('terminal');

    item.contextValue = tags.join(' ');
    item.accessibilityInformation = { label: `${agent.name}, ${item.description}` };
    if (this.hasTerminal(agent.id)) {
      item.command = { command: Commands.focusTerminal, title: 'Focus Terminal', arguments: [agent] };
    }
    return item;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.subscriptions.forEach((d) => d.dispose());
    this._onDidChangeTreeData.dispose();
  }
}
