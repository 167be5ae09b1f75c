// The Approvals view: what waits for a human right now, one row per request, with a badge counting them.
import * as vscode from 'vscode';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import type { PendingApproval } from '../shared/approval';
import { formatDuration } from '../core/format';
import { Commands } from './ids';
import { appendPlainText } from './markdownText';

export class ApprovalsTreeProvider implements vscode.TreeDataProvider<PendingApproval>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly queue: ApprovalQueue) {
    this.subscription = queue.onDidChange(() => this._onDidChangeTreeData.fire(undefined));
  }

  getChildren(element?: PendingApproval): PendingApproval[] {
    return element ? [] : this.queue.pending();
  }

  getTreeItem(request: PendingApproval): vscode.TreeItem {
    const item = new vscode.TreeItem(request.summary, vscode.TreeItemCollapsibleState.None);
    item.id = request.id;
    item.description = `${request.agentName} · ${formatDuration(Date.now() - request.createdAt)} ago`;
    item.iconPath = new vscode.ThemeIcon(request.escalated ? 'warning' : 'shield', new vscode.ThemeColor('charts.orange'));
    const tip = new vscode.MarkdownString();
    // Everything here comes from the agent or its policy rule: plain text, never a link.
    const lines = [`${request.agentName} wants to run ${request.summary}`];
    if (request.cwd) lines.push(`in ${request.cwd}`);
    if (request.rule) lines.push(`sent here by rule ${request.rule}${request.tier ? ` (${request.tier})` : ''}`);
    if (request.reason) lines.push(request.reason);
    appendPlainText(tip, lines.join('\n'));
    item.tooltip = tip;
    item.contextValue = 'approval';
    // A click opens the panel, where the whole input can be read before deciding; Allow / Deny sit inline.
    item.command = { command: Commands.openApprovals, title: 'Open Approvals' };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this._onDidChangeTreeData.dispose();
  }
}
