// What the supervisor sends one remote agent, across its connections (docs/protocol.md, Reconnecting): the seq
// numbering of a session, which continues after a resumed hello; the decisions and control frames the agent has not
// acked yet, sent again (with new seq numbers) after it resumes; and the decisions already made, by request id, so an
// approval the agent asks again after a reconnect gets the same answer instead of a second question to a human.
import type { ApprovalDecisionFrame } from '../../shared/protocol/approvalDecision';
import type { ControlFrame } from '../../shared/protocol/control';
import type { FrameDraft } from '../../shared/protocol/frames';

export type ResendableDraft = FrameDraft<ApprovalDecisionFrame> | FrameDraft<ControlFrame>;

/** Unacked frames kept for a resend, and decisions remembered, at most (the oldest go first). */
export const MAX_KEPT_SUPERVISOR_FRAMES = 1000;
export const MAX_REMEMBERED_DECISIONS = 256;

export class SupervisorOutbox {
  private sessionId: string | undefined;
  private seq = 0;
  private unacked: Array<{ readonly seq: number; readonly draft: ResendableDraft }> = [];
  private readonly decisions = new Map<string, FrameDraft<ApprovalDecisionFrame>>();

  /** The seq the next frame gets. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Frames sent but not acked by the agent. */
  get unackedCount(): number {
    return this.unacked.length;
  }

  /**
   * A connection of `sessionId` was accepted; `resumedAfter` is hello.resume.last_seq when the hello resumed it.
   * Numbering never goes below `floor` (what this connection already used). Returns what to send again, in order.
   */
  begin(sessionId: string, resumedAfter: number | undefined, floor: number): ResendableDraft[] {
    let again: ResendableDraft[] = [];
    if (resumedAfter !== undefined && this.sessionId === sessionId) {
      again = this.unacked.filter((e) => e.seq > resumedAfter).map((e) => e.draft);
    }
    // After a restart of Flotilla the session is resumed from the store but its numbering is not known here: continue
    // after what the agent has seen, so its resume.last_seq keeps meaning what it says.
    const base = resumedAfter === undefined ? 0 : resumedAfter + 1;
    this.seq = Math.max(floor, base, this.sessionId === sessionId && resumedAfter !== undefined ? this.seq : 0);
    this.sessionId = sessionId;
    this.unacked = [];
    return again;
  }

  /** A frame goes out with the next seq: decisions and control frames are kept until acked; decisions are remembered. */
  sent(draft: { readonly type: string } | undefined): void {
    const seq = this.seq++;
    if (draft?.type !== 'approval_decision' && draft?.type !== 'control') return;
    const resendable = draft as ResendableDraft;
    this.unacked.push({ seq, draft: resendable });
    if (this.unacked.length > MAX_KEPT_SUPERVISOR_FRAMES) this.unacked.shift();
    if (resendable.type === 'approval_decision') {
      this.decisions.delete(resendable.request_id);
      this.decisions.set(resendable.request_id, resendable);
      if (this.decisions.size > MAX_REMEMBERED_DECISIONS) this.decisions.delete(this.decisions.keys().next().value!);
    }
  }

  /** The agent processed our frames up to `ackSeq`. */
  acked(ackSeq: number): void {
    let n = 0;
    while (n < this.unacked.length && this.unacked[n]!.seq <= ackSeq) n++;
    if (n > 0) this.unacked.splice(0, n);
  }

  /** The decision already sent for this request, if any. */
  decisionFor(requestId: string): FrameDraft<ApprovalDecisionFrame> | undefined {
    return this.decisions.get(requestId);
  }
}
