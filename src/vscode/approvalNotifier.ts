// Approval notifications: requests arriving within the batch window make ONE notification, never stealing focus
// (plain, non-modal notifications: VS Code's Do Not Disturb sends them to the notification center).
// A single request reads "agent-3 wants to run Bash: git push origin feature"; a batch names its agents, tools and
// leading action. VS Code cannot close a shown notification, so each stays clickable but only the newest one offering
// a request answers it (an escalation supersedes the first); a click on an ended or superseded request says the truth
// (who answered, how, when). Texts: core/approvals/noticeText; ownership: core/approvals/noticeOwnership.
import * as vscode from 'vscode';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import type { PendingApproval } from '../shared/approval';
import { batchNotice, clickOutcomeText, NoticeButton, requestNotice } from '../core/approvals/noticeText';
import { NoticeOwnership } from '../core/approvals/noticeOwnership';
import { Commands } from './ids';

/** Where a notification's own decision is said to come from (late clicks elsewhere quote it). */
const VIA_NOTIFICATION = 'a notification';

export class ApprovalNotifier implements vscode.Disposable {
  private batch: PendingApproval[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ownership = new NoticeOwnership();
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly queue: ApprovalQueue,
    private readonly batchWindowMs: () => number,
    private readonly showAgent: (agentId: string) => void,
  ) {
    this.subscriptions.push(
      queue.onDidAdd((r) => this.add(r)),
      queue.onDidEscalate((r) => void this.notify([r], true)),
      queue.onDidSettle(({ request }) => this.ownership.release(request.id)),
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
    const serial = this.ownership.claim(batch);
    const notice = batch.length === 1 ? requestNotice(batch[0]!, { escalated, now: Date.now() }) : batchNotice(batch);
    const show = escalated ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(notice.text, ...notice.buttons);
    if (choice === NoticeButton.allow || choice === NoticeButton.allowAll) this.answer(batch, serial, 'allow');
    else if (choice === NoticeButton.deny || choice === NoticeButton.denyAll) this.answer(batch, serial, 'deny');
    else if (choice === NoticeButton.review) await vscode.commands.executeCommand(Commands.openApprovals);
    else if (choice === NoticeButton.showAgent) this.showAgent(batch[0]!.agentId);
  }

  /** Answers what this notification still owns; says the truth about the rest. */
  private answer(batch: readonly PendingApproval[], serial: number, decision: 'allow' | 'deny'): void {
    const split = this.ownership.split(batch, serial, this.queue);
    const refused = split.live.filter((r) => !this.queue.decide(r.id, decision, 'user', decision === 'deny' ? 'Denied by the user in Flotilla' : undefined, VIA_NOTIFICATION).ok);
    const text = clickOutcomeText({ ...split, live: split.live.filter((r) => !refused.includes(r)), settled: [...split.settled, ...refused.flatMap((r) => this.queue.settled(r.id) ?? [])] }, decision, Date.now());
    if (text) void vscode.window.showInformationMessage(text);
  }
}

/**
 * A user's decision on requests they were shown (a row of the Approvals view). What is no longer pending is refused by
 * the queue and the user told how it ended (who, how, when): an old click never re-runs an old command. Returns how
 * many were decided.
 */
export function decideAsUser(queue: ApprovalQueue, batch: readonly PendingApproval[], decision: 'allow' | 'deny', via = 'the Approvals view'): number {
  const refused = batch.filter((r) => !queue.decide(r.id, decision, 'user', decision === 'deny' ? 'Denied by the user in Flotilla' : undefined, via).ok);
  const settled = refused.flatMap((r) => queue.settled(r.id) ?? []);
  const text = clickOutcomeText(
    { live: batch.filter((r) => !refused.includes(r)), superseded: [], settled, forgotten: refused.filter((r) => !queue.settled(r.id)) },
    decision,
    Date.now(),
  );
  if (text) void vscode.window.showInformationMessage(text);
  return batch.length - refused.length;
}
