// What each stored frame of a remote agent means, once its connection is open: heartbeats, spans and events become
// facts for the sink (the core), approval requests are asked of the sink's approve(), acks release the supervisor
// frames kept for a resend. Per connection; the transport, numbering and journal stay in remoteSession.ts.
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { Logger } from '../../core/log';
import type { AgentStatus } from '../../shared/status';
import type { EventFrame } from '../../shared/protocol/event';
import type { Frame, FrameDraft } from '../../shared/protocol/frames';
import type { ApprovalDecisionFrame } from '../../shared/protocol/approvalDecision';
import type { FrameError } from '../../shared/protocol/parse';
import type { SpanFrame } from '../../shared/protocol/span';
import { eventFact } from './eventFacts';
import { heartbeatFacts, heartbeatProgress } from './heartbeatFacts';
import { RemoteApprovals } from './remoteApprovals';
import type { CountedSpans } from './spanFacts';
import { spanFacts } from './spanFacts';
import type { SupervisorOutbox } from './supervisorOutbox';

export interface RemoteDispatchDeps {
  readonly agent: { readonly id: string; readonly name: string };
  readonly sink: AgentSignalSink;
  readonly log: Logger;
  readonly maxPendingApprovals: number;
  readonly spans: CountedSpans;
  readonly outbox: SupervisorOutbox;
  readonly onSpan?: (agentId: string, span: SpanFrame) => void;
  readonly onEvent?: (agentId: string, event: EventFrame) => void;
  readonly report: (fact: AgentSignal) => void;
  readonly refuse: (error: FrameError) => void;
  readonly sendDecision: (frame: FrameDraft<ApprovalDecisionFrame>) => void;
}

export class RemoteDispatch {
  readonly approvals: RemoteApprovals;
  /** The status of the agent's previous heartbeat, and the model of its latest span (for spans that name none). */
  private lastReported: AgentStatus | undefined;
  private lastModel = 'unknown';

  constructor(private readonly deps: RemoteDispatchDeps) {
    const { agent, log, sink, outbox } = deps;
    this.approvals = new RemoteApprovals({
      log,
      agentName: agent.name,
      approve: (action, abort, options) => sink.approve(agent.id, action, abort, options),
      maxPending: deps.maxPendingApprovals,
      send: (frame) => deps.sendDecision(frame),
      earlierDecision: (requestId) => outbox.decisionFor(requestId),
    });
  }

  dispatch(frame: Frame): void {
    const { agent, report, refuse } = this.deps;
    if ('agent_id' in frame && frame.agent_id !== undefined && frame.agent_id !== agent.id && frame.type !== 'hello') {
      // A runner hosting several agents needs one connection (and hello) per agent for now.
      refuse({
        code: 'bad_frame',
        field: `${frame.type}.agent_id`,
        message: `${frame.type}.agent_id: '${frame.agent_id}' did not say hello on this connection (it is '${agent.id}')`,
        ref_seq: frame.seq,
      });
      return;
    }
    switch (frame.type) {
      case 'heartbeat': {
        for (const fact of heartbeatFacts(frame, this.lastReported, this.approvals.pendingCount > 0)) report(fact);
        const progress = heartbeatProgress(frame);
        if (progress) report(progress);
        if (frame.status !== undefined) this.lastReported = frame.status;
        return;
      }
      case 'span':
        if (frame.model !== undefined) this.lastModel = frame.model;
        for (const fact of spanFacts(frame, this.deps.spans, this.lastModel)) report(fact);
        this.deps.onSpan?.(agent.id, frame);
        return;
      case 'event':
        this.deps.log.debug(`agent ${agent.name}: event ${frame.name}${frame.message ? `: ${frame.message}` : ''}`);
        report(eventFact(frame));
        this.deps.onEvent?.(agent.id, frame);
        return;
      case 'approval_request': {
        const error = this.approvals.request(frame);
        if (error) refuse(error);
        return;
      }
      case 'ack': {
        const next = this.deps.outbox.nextSeq;
        if (frame.ack_seq >= next) {
          refuse({
            code: 'bad_frame',
            field: 'ack.ack_seq',
            message: `ack.ack_seq: ${frame.ack_seq} was never sent (the last supervisor seq is ${next - 1})`,
            ref_seq: frame.seq,
          });
          return;
        }
        this.deps.outbox.acked(frame.ack_seq);
        return;
      }
      case 'error':
        this.deps.log.warn(`agent ${agent.name} refused frame ${frame.ref_seq ?? '?'}: ${frame.code}: ${frame.message}`);
        return;
      case 'hello':
        refuse({ code: 'bad_frame', field: 'type', message: 'type: hello was already accepted on this connection', ref_seq: frame.seq });
        return;
      default:
        // parseFrameText({ from: 'agent' }) refuses supervisor frames; this keeps the switch honest.
        refuse({ code: 'bad_frame', field: 'type', message: `type: an agent does not send '${frame.type}' frames`, ref_seq: frame.seq });
    }
  }
}
