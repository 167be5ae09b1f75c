// What a remote agent's heartbeat means for the fleet: which status event to apply and the reason line to show.
// The mapping is pure (tested without sockets); applyHeartbeat puts it into the fleet.
import type { Fleet } from '../fleet/fleet';
import { isEnded } from '../statusMachine';
import type { StatusEvent } from '../statusMachine';
import type { AgentStatus } from '../../shared/status';
import type { HeartbeatFrame } from '../../shared/protocol/heartbeat';
import { applyIfAllowed } from './agentSocketStatus';

/** Statuses an agent may report about itself, and the event that moves the fleet there. */
const REPORTED: Partial<Record<AgentStatus, StatusEvent>> = {
  working: 'activity',
  'waiting-input': 'inputRequested',
  'waiting-approval': 'approvalRequested',
  idle: 'turnEnded',
  stalled: 'stallDetected',
  done: 'completed',
  failed: 'errored',
  stopped: 'stopRequested',
  // 'starting', 'disconnected' and 'quarantined' are the supervisor's to decide: a connected agent cannot be them.
};

/** Reported statuses that end the agent: they win even over a pending approval. */
const FINAL: ReadonlySet<AgentStatus> = new Set(['done', 'failed', 'stopped']);

export interface HeartbeatEffect {
  /** The status event to apply; undefined: keep the status, only refresh the details. */
  readonly event: StatusEvent | undefined;
  /** "3/7 running the test suite · blocked: waiting for CI"; undefined when the heartbeat says nothing. */
  readonly reason: string | undefined;
}

/**
 * A heartbeat without `status` is a timer tick, not evidence of work: it keeps the status, except that it
 * ends a stall the supervisor detected. While one of the agent's approval requests waits for a human, the
 * fleet shows 'waiting-approval' whatever the heartbeat timer says, unless the agent reports it has ended.
 */
export function heartbeatEffect(frame: HeartbeatFrame, current: AgentStatus, approvalsPending: boolean): HeartbeatEffect {
  const reason = heartbeatReason(frame);
  const reported = frame.status === undefined ? undefined : REPORTED[frame.status];
  if (approvalsPending && !(frame.status !== undefined && FINAL.has(frame.status))) return { event: undefined, reason };
  if (reported !== undefined) return { event: reported, reason };
  return { event: current === 'stalled' ? 'activity' : undefined, reason };
}

export function heartbeatReason(frame: HeartbeatFrame): string | undefined {
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

/** Applies a heartbeat to the fleet: its status move (when allowed) and its reason line. */
export function applyHeartbeat(fleet: Fleet, agentId: string, frame: HeartbeatFrame, approvalsPending: boolean): void {
  const agent = fleet.get(agentId);
  if (!agent || agent.status === 'quarantined' || isEnded(agent.status)) return;
  const effect = heartbeatEffect(frame, agent.status, approvalsPending);
  // While a request waits, its "waiting for approval: ..." reason is what the human needs to see.
  const patch = approvalsPending ? {} : { statusReason: effect.reason };
  if (effect.event !== undefined) applyIfAllowed(fleet, agentId, effect.event, patch);
  // Fleet.apply keeps the old reason when the status did not change; the heartbeat's reason is the current one.
  if (!approvalsPending && fleet.get(agentId)?.statusReason !== effect.reason) fleet.update(agentId, patch);
}
