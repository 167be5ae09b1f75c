// Approval notifications: requests arriving within the batch window make ONE notification, never stealing focus.
// A single request reads "agent-3 wants to run Bash: git push origin feature" with Allow / Deny / Show Agent;
// a batch reads "7 actions from 3 agents need approval (Bash 5, Edit 2)" with Approve All / Review… / Reject All.
// An action the text cannot show whole gets Review… instead of Allow / Approve All (texts: core/approvals/noticeText).
import * as vscode from 'vscode';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import type { PendingApproval } from '../shared/approval';
import { batchNotice, NoticeButton, requestNotice } from '../core/approvals/noticeText';
import { Commands } from './ids';

export class ApprovalNotifier implements vscode.Disposable {
  private batch: PendingApproval[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly queue: ApprovalQueue,
    private readonly batchWindowMs: () => number,
    private readonly showAgent: (agentId: string) => void,
  ) {
    this.subscriptions.push(
      queue.onDidAdd((r) => this.add(r)),
      queue.onDidEscalate((r) => void this.notify([r], true)),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((d) => d.dispose());
  }

  private add(request: PendingApproval): void {
    this.batch.push(request);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const batch = this.batch.filter((r) => this.queue.get(r.id));
      this.batch = [];
      if (batch.length > 0) void this.notify(batch, false);
    }, this.batchWindowMs());
  }

  private async notify(batch: PendingApproval[], escalated: boolean): Promise<void> {
    if (batch.length === 1) {
      const r = batch[0]!;
      const notice = requestNotice(r, { escalated, now: Date.now() });
      const show = escalated ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      const choice = await show(notice.text, ...notice.buttons);
      // Allow is offered only when the text shows the whole action (else the first button is Review…).
      if (choice === NoticeButton.allow || choice === NoticeButton.deny) decideAsUser(this.queue, [r], choice === NoticeButton.allow ? 'allow' : 'deny');
      else if (choice === NoticeButton.review) await vscode.commands.executeCommand(Commands.openApprovals);
      else if (choice === NoticeButton.showAgent) this.showAgent(r.agentId);
      return;
    }
    const notice = batchNotice(batch);
    const choice = await vscode.window.showInformationMessage(notice.text, ...notice.buttons);
    if (choice === NoticeButton.approveAll || choice === NoticeButton.rejectAll) decideAsUser(this.queue, batch, choice === NoticeButton.approveAll ? 'allow' : 'deny');
    else if (choice === NoticeButton.review) await vscode.commands.executeCommand(Commands.openApprovals);
  }
}

/**
 * A user's decision on requests they were shown (a notification, a row of the Approvals view). What is no longer
 * pending is refused by the queue and the user told so: an old click never re-runs an old command. Returns how many
 * were decided.
 */
export function decideAsUser(queue: ApprovalQueue, batch: readonly PendingApproval[], decision: 'allow' | 'deny'): number {
  const refused = batch.filter((r) => !queue.decide(r.id, decision, 'user', decision === 'deny' ? 'Denied by the user in Flotilla' : undefined).ok);
  if (refused.length > 0) {
    void vscode.window.showWarningMessage(
      refused.length === batch.length && batch.length === 1
        ? `That request is no longer pending (${refused[0]!.agentName} moved on); nothing was ${decision === 'allow' ? 'allowed' : 'denied'}.`
        : `${refused.length} of ${batch.length} requests were no longer pending and were left alone.`,
    );
  }
  return batch.length - refused.length;
}
