// The approval requests of one remote agent connection: each goes into the ApprovalQueue and its resolution goes
// back as an approval_decision. Closing the connection aborts what is still waiting, so those requests go stale.
import type { ApprovalQueue, NewApproval, Resolution } from '../approvals/approvalQueue';
import type { Disposable } from '../events';
import type { Fleet } from '../fleet/fleet';
import type { Logger } from '../log';
import type { DecidedBy } from '../../shared/approval';
import type { ApprovalDecisionFrame, Decider } from '../../shared/protocol/approvalDecision';
import type { ApprovalRequestFrame } from '../../shared/protocol/approvalRequest';
import type { FrameDraft } from '../../shared/protocol/frames';
import { MAX_TEXT_LENGTH } from '../../shared/protocol/limits';
import type { FrameError } from '../../shared/protocol/parse';
import { applyIfAllowed } from './agentSocketStatus';
import { verdictReason } from '../supervisor/policyGate';
import type { ActionPolicy, ActionVerdict } from '../supervisor/policyGate';

export interface AgentSocketApprovalsDeps {
  readonly approvals: ApprovalQueue;
  readonly fleet: Fleet;
  readonly log: Logger;
  readonly agentId: string;
  readonly agentName: string;
  readonly send: (frame: FrameDraft<ApprovalDecisionFrame>) => void;
  /** Without one, every request waits for a human. */
  readonly policy?: ActionPolicy;
  /** Requests waiting at once; one more is refused with rate_limited. */
  readonly maxPending: number;
}

const DECIDERS: Record<DecidedBy, Decider> = {
  user: 'user',
  terminal: 'user',
  policy: 'policy',
  supervisor: 'policy',
  timeout: 'timeout',
};

export class AgentSocketApprovals implements Disposable {
  /** Waiting requests by the agent's request_id. */
  private readonly waiting = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly deps: AgentSocketApprovalsDeps) {}

  get pendingCount(): number {
    return this.waiting.size;
  }

  /** Queues the request; refuses a request_id that is already waiting (the answer would be ambiguous). */
  request(frame: ApprovalRequestFrame): FrameError | undefined {
    if (this.waiting.has(frame.request_id)) {
      return {
        code: 'bad_frame',
        field: 'approval_request.request_id',
        message: `approval_request.request_id: '${frame.request_id}' is already waiting for a decision`,
        ref_seq: frame.seq,
      };
    }
    if (this.waiting.size >= this.deps.maxPending) {
      return {
        code: 'rate_limited',
        field: 'approval_request',
        message: `approval_request: ${this.deps.maxPending} requests are already waiting for a decision; send it again once one is answered`,
        ref_seq: frame.seq,
      };
    }
    const { approvals, fleet, agentId, agentName } = this.deps;
    const verdict = this.verdict(frame);
    if (verdict.kind === 'allow' || verdict.kind === 'deny') {
      // Decided by the policy on the spot (and audited by it): autonomous and notify allowed, prohibited denied.
      const reason = verdictReason(verdict);
      this.deps.log.info(`agent ${agentName}: approval ${frame.request_id} (${frame.tool}) answered '${verdict.kind}' by policy`);
      this.deps.send(decisionFrame(frame, { kind: 'decided', decision: verdict.kind, decidedBy: 'policy', reason }));
      return undefined;
    }
    const abort = new AbortController();
    this.waiting.set(frame.request_id, abort);
    const request: NewApproval = {
      agentId,
      agentName,
      sessionId: frame.session_id,
      tool: frame.tool,
      summary: approvalSummary(frame),
      input: frame.input,
      cwd: frame.cwd,
      tier: verdict.kind === 'approve' ? verdict.tier : undefined,
      rule: verdict.kind === 'approve' ? verdict.rule : undefined,
    };
    applyIfAllowed(fleet, agentId, 'approvalRequested', { statusReason: `waiting for approval: ${clip(request.summary, 200)}` });
    approvals.request(request, abort.signal).then(
      (resolution) => this.settled(frame, resolution),
      (err: unknown) => this.settled(frame, { kind: 'fallback', why: 'stale', reason: `Flotilla failed: ${String(err)}` }),
    );
    return undefined;
  }

  /** The policy's verdict; with no policy, or if it fails, a human decides (never an allow by default). */
  private verdict(frame: ApprovalRequestFrame): ActionVerdict {
    const { policy, fleet, agentId, log } = this.deps;
    const agent = fleet.get(agentId);
    if (!policy || !agent) return { kind: 'pass' };
    try {
      return policy({ ...agent, sessionId: frame.session_id ?? agent.sessionId }, frame.tool, frame.input, frame.cwd ?? agent.cwd);
    } catch (err) {
      log.error(`agent ${agent.name}: the policy failed on ${frame.tool}, a human decides: ${err instanceof Error ? err.message : String(err)}`);
      return { kind: 'pass' };
    }
  }

  /** The connection closed: every waiting request goes stale and no decision is sent. */
  dispose(): void {
    this.closed = true;
    for (const abort of [...this.waiting.values()]) abort.abort();
    this.waiting.clear();
  }

  private settled(frame: ApprovalRequestFrame, resolution: Resolution): void {
    if (this.closed) return;
    this.waiting.delete(frame.request_id);
    const decision = decisionFrame(frame, resolution);
    this.deps.log.info(`agent ${this.deps.agentName}: approval ${frame.request_id} (${frame.tool}) answered '${decision.decision}' by ${decision.decided_by}`);
    this.deps.send(decision);
    if (this.waiting.size === 0) applyIfAllowed(this.deps.fleet, this.deps.agentId, 'approvalResolved');
  }
}

/** The answer to send. A fallback (timeout, stale) is 'ask', never 'allow': the agent asks its own user. */
export function decisionFrame(frame: ApprovalRequestFrame, resolution: Resolution): FrameDraft<ApprovalDecisionFrame> {
  const base = { type: 'approval_decision' as const, request_id: frame.request_id, ...(frame.agent_id === undefined ? {} : { agent_id: frame.agent_id }) };
  if (resolution.kind === 'decided') {
    return {
      ...base,
      decision: resolution.decision,
      decided_by: DECIDERS[resolution.decidedBy],
      ...(resolution.reason === undefined ? {} : { reason: clip(resolution.reason, MAX_TEXT_LENGTH) }),
    };
  }
  return {
    ...base,
    decision: 'ask',
    decided_by: resolution.why === 'timeout' ? 'timeout' : 'policy',
    reason: clip(resolution.reason, MAX_TEXT_LENGTH),
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
