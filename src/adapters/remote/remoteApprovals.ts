// The approval requests of one remote agent connection: each is asked of the sink (the core's gates, then a human)
// and its verdict goes back as an approval_decision. Closing the connection aborts what is still waiting, so those
// requests go stale and no decision is sent; a request asked again after its decision went out gets that decision.
import type { ApprovalOptions, Verdict } from '../../core/agents/agentAdapter';
import type { ToolAction } from '../../core/agents/agentSignal';
import type { Disposable } from '../../core/events';
import type { Logger } from '../../core/log';
import type { ApprovalDecisionFrame, Decider } from '../../shared/protocol/approvalDecision';
import type { ApprovalRequestFrame } from '../../shared/protocol/approvalRequest';
import type { FrameDraft } from '../../shared/protocol/frames';
import { MAX_TEXT_LENGTH } from '../../shared/protocol/limits';
import type { FrameError } from '../../shared/protocol/parse';

export interface RemoteApprovalsDeps {
  readonly log: Logger;
  readonly agentName: string;
  /** The sink's approve() for this agent. */
  readonly approve: (action: ToolAction, abort: AbortSignal, options?: ApprovalOptions) => Promise<Verdict>;
  readonly send: (frame: FrameDraft<ApprovalDecisionFrame>) => void;
  /** Requests waiting at once; one more is refused with rate_limited. */
  readonly maxPending: number;
  /** The number of waiting requests changed (0 when the last one was answered). */
  readonly onPendingChange?: (pending: number) => void;
  /** The decision already sent for a request id (on an earlier connection whose ack was lost), if any. */
  readonly earlierDecision?: (requestId: string) => FrameDraft<ApprovalDecisionFrame> | undefined;
}

export class RemoteApprovals implements Disposable {
  /** Waiting requests by the agent's request_id. */
  private readonly waiting = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly deps: RemoteApprovalsDeps) {}

  get pendingCount(): number {
    return this.waiting.size;
  }

  /** Asks for a verdict; refuses a request_id that is already waiting (the answer would be ambiguous). */
  request(frame: ApprovalRequestFrame): FrameError | undefined {
    if (this.waiting.has(frame.request_id)) {
      return {
        code: 'bad_frame',
        field: 'approval_request.request_id',
        message: `approval_request.request_id: '${frame.request_id}' is already waiting for a decision`,
        ref_seq: frame.seq,
      };
    }
    const earlier = this.deps.earlierDecision?.(frame.request_id);
    if (earlier) {
      // Asked again after a reconnect although it was answered: the same answer, not a second question to a human.
      this.deps.log.info(`agent ${this.deps.agentName}: approval ${frame.request_id} asked again; sending its decision '${earlier.decision}' again`);
      this.deps.send(earlier);
      return undefined;
    }
    if (this.waiting.size >= this.deps.maxPending) {
      return {
        code: 'rate_limited',
        field: 'approval_request',
        message: `approval_request: ${this.deps.maxPending} requests are already waiting for a decision; send it again once one is answered`,
        ref_seq: frame.seq,
      };
    }
    const abort = new AbortController();
    this.waiting.set(frame.request_id, abort);
    this.deps.onPendingChange?.(this.waiting.size);
    let verdict: Promise<Verdict>;
    try {
      verdict = this.deps.approve(toolAction(frame), abort.signal, frame.when_no_rule === undefined ? undefined : { whenNoGateDecides: frame.when_no_rule });
    } catch (err) {
      verdict = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    verdict.then(
      (v) => this.settled(frame, v),
      // Never an allow by default: the agent falls back to its own prompt.
      (err: unknown) => this.settled(frame, { decision: 'ask', reason: `Flotilla failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
    return undefined;
  }

  /** The connection closed: every waiting request goes stale and no decision is sent. */
  dispose(): void {
    this.closed = true;
    for (const abort of [...this.waiting.values()]) abort.abort();
    this.waiting.clear();
  }

  private settled(frame: ApprovalRequestFrame, verdict: Verdict): void {
    if (this.closed) return;
    this.waiting.delete(frame.request_id);
    const decision = decisionFrame(frame, verdict);
    this.deps.log.info(`agent ${this.deps.agentName}: approval ${frame.request_id} (${frame.tool}) answered '${decision.decision}' by ${decision.decided_by}`);
    this.deps.send(decision);
    this.deps.onPendingChange?.(this.waiting.size);
  }
}

/** The action as the core sees it: the agent's tool, input and one line for the human. */
export function toolAction(frame: ApprovalRequestFrame): ToolAction {
  return {
    tool: frame.tool,
    input: frame.input,
    summary: approvalSummary(frame),
    toolUseId: frame.request_id,
    ...(frame.cwd === undefined ? {} : { cwd: frame.cwd }),
    ...(frame.session_id === undefined ? {} : { sessionId: frame.session_id }),
  };
}

const DECIDERS: Record<'user' | 'policy' | 'supervisor' | 'timeout', Decider> = {
  user: 'user',
  policy: 'policy',
  supervisor: 'policy',
  timeout: 'timeout',
};

/** The answer to send. An 'ask' (timeout, stale, failure) is never an allow: the agent asks its own user. */
export function decisionFrame(frame: ApprovalRequestFrame, verdict: Verdict): FrameDraft<ApprovalDecisionFrame> {
  const base = { type: 'approval_decision' as const, request_id: frame.request_id, ...(frame.agent_id === undefined ? {} : { agent_id: frame.agent_id }) };
  if (verdict.decision === 'ask') {
    // An ask that ran out of time says so (the contract's ask may name who gave up: 'timeout').
    const by = (verdict as { readonly by?: string }).by;
    return { ...base, decision: 'ask', decided_by: by === 'timeout' ? 'timeout' : 'policy', reason: clip(verdict.reason, MAX_TEXT_LENGTH) };
  }
  return {
    ...base,
    decision: verdict.decision,
    decided_by: DECIDERS[verdict.by],
    ...(verdict.reason === undefined ? {} : { reason: clip(verdict.reason, MAX_TEXT_LENGTH) }),
  };
}

/** One line for the human: the agent's own summary, else the tool and its most telling input. */
export function approvalSummary(frame: ApprovalRequestFrame): string {
  if (frame.summary !== undefined && frame.summary.trim() !== '') return clip(frame.summary.trim(), 500);
  const input = frame.input;
  let detail: string;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const record = input as Record<string, unknown>;
    const key = ['command', 'file_path', 'path', 'url', 'pattern'].find((k) => typeof record[k] === 'string');
    detail = key === undefined ? JSON.stringify(input) : (record[key] as string);
  } else {
    detail = JSON.stringify(input);
  }
  return clip(`${frame.tool}: ${detail.replace(/\s+/g, ' ').trim()}`, 200);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
