// What a remote agent's heartbeat says, as facts: the status it reports about itself becomes a turn, waiting or
// session fact when it changes; every other heartbeat only shows the agent is alive. Pure, tested without sockets.
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { AgentStatus } from '../../shared/status';
import type { HeartbeatFrame } from '../../shared/protocol/heartbeat';

/** Reported statuses that end the agent's work: they are reported even while an approval request waits. */
const FINAL: ReadonlySet<AgentStatus> = new Set(['done', 'failed', 'stopped']);

/** The fact for a status an agent reports about itself; undefined for statuses only the supervisor decides. */
export function reportedStatusFact(status: AgentStatus, detail: string | undefined): AgentSignal | undefined {
  const withDetail = detail === undefined ? {} : { detail };
  switch (status) {
    case 'working':
      return { type: 'turn', phase: 'started', ...withDetail };
    case 'idle':
      return { type: 'turn', phase: 'ended', ...withDetail };
    case 'waiting-input':
      return { type: 'waiting', for: 'input', ...withDetail };
    case 'waiting-approval':
      // Its own permission prompt, not one of its approval requests (those go through the sink's approve()).
      return { type: 'waiting', for: 'approval', ...withDetail };
    case 'failed':
      return { type: 'turn', phase: 'failed', detail: detail ?? 'the agent reports it failed' };
    case 'done':
      return { type: 'session', phase: 'ended', detail: detail ?? 'the agent reports its work done' };
    case 'stopped':
      return { type: 'session', phase: 'ended', stopped: true, detail: detail ?? 'the agent reports it stopped' };
    default:
      // 'starting', 'stalled', 'disconnected', 'unreachable', 'quarantined' are the supervisor's to decide: a connected agent cannot be them.
      return undefined;
  }
}

/**
 * The facts of one heartbeat. `lastReported` is the status of the previous heartbeat on this connection: a status
 * repeated by the agent's timer is not a new turn, only a sign of life. While one of the agent's approval requests
 * waits, the timer's "working" is not news either (the agent is blocked on Flotilla): only a final status counts.
 */
export function heartbeatFacts(frame: HeartbeatFrame, lastReported: AgentStatus | undefined, approvalsPending: boolean): AgentSignal[] {
  const detail = approvalsPending ? undefined : heartbeatDetail(frame);
  const status = frame.status;
  const changed = status !== undefined && status !== lastReported;
  if (changed && (!approvalsPending || FINAL.has(status))) {
    const fact = reportedStatusFact(status, detail);
    if (fact) return [fact];
    if (status === 'stalled') return [{ type: 'activity', detail: detail === undefined ? 'the agent reports it is stalled' : `stalled: ${detail}` }];
  }
  return [detail === undefined ? { type: 'activity' } : { type: 'activity', detail }];
}

/** The heartbeat's step and blockers as a progress fact (the core's health module shows "3/7 label"); none without a step. */
export function heartbeatProgress(frame: HeartbeatFrame): AgentSignal | undefined {
  const step = frame.step;
  if (!step) return undefined;
  return {
    type: 'progress',
    step: step.k,
    ...(step.n !== undefined ? { of: step.n } : {}),
    ...(step.label !== undefined ? { label: step.label } : {}),
    ...(frame.blockers && frame.blockers.length > 0 ? { blockers: frame.blockers } : {}),
  };
}

/** "3/7 running the test suite · blocked: waiting for CI"; undefined when the heartbeat says nothing. */
export function heartbeatDetail(frame: HeartbeatFrame): string | undefined {
  const parts: string[] = [];
  const step = frame.step;
  if (step) {
    const position = step.n === undefined ? `step ${step.k}` : `${step.k}/${step.n}`;
    parts.push(step.label === undefined ? position : `${position} ${step.label}`);
  }
  if (frame.blockers && frame.blockers.length > 0) parts.push(`blocked: ${frame.blockers.join('; ')}`);
  return parts.length === 0 ? undefined : clip(parts.join(' · '), 2048);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
