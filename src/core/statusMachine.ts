// The agent status state machine: a pure table from (status, event) to the next status.
// Everything that changes an agent's status goes through `transition`, so illegal moves are refused in one place.
import type { AgentStatus } from '../shared/status';

export const STATUS_EVENTS = [
  'launched', // a process or session is being started for the agent
  'sessionStarted', // the agent reported its session (Claude Code SessionStart, remote hello)
  'promptSubmitted', // a prompt reached the agent: it starts a turn
  'activity', // the agent is doing something (a tool starts or ends, a model turn, a heartbeat)
  'approvalRequested', // the agent waits for a human to allow a risky action
  'approvalResolved', // that request was answered (by the user, the policy, a timeout or in the terminal)
  'inputRequested', // the agent asks the user something and waits
  'turnEnded', // the agent finished its turn and waits for the next prompt
  'stallDetected', // no sign of progress for longer than the stall threshold, or a loop was detected
  'connectionLost', // the supervisor lost the agent (socket closed, bridge could not come back)
  'completed', // the task or session ended normally (process exited 0, SessionEnd, task done)
  'errored', // the process exited non-zero or the agent reported a fatal error
  'stopRequested', // the user stopped the agent
  'quarantined', // the supervisor isolated a misbehaving agent
  'released', // the user released it from quarantine
  'hostUnreachable', // a remote agent's connection broke without a goodbye (its host died, the network failed, no heartbeats)
] as const;

export type StatusEvent = (typeof STATUS_EVENTS)[number];

type Table = Record<AgentStatus, Partial<Record<StatusEvent, AgentStatus>>>;

/** Events a live (not yet ended) agent accepts, whatever it is doing. */
const live: Partial<Record<StatusEvent, AgentStatus>> = {
  promptSubmitted: 'working',
  activity: 'working',
  approvalRequested: 'waiting-approval',
  inputRequested: 'waiting-input',
  turnEnded: 'idle',
  stallDetected: 'stalled',
  connectionLost: 'disconnected',
  hostUnreachable: 'unreachable',
  completed: 'done',
  errored: 'failed',
  stopRequested: 'stopped',
  quarantined: 'quarantined',
};

/** An ended agent can only be started again (a resumed session, a relaunch). */
const ended: Partial<Record<StatusEvent, AgentStatus>> = {
  launched: 'starting',
  sessionStarted: 'idle',
};

export const STATUS_TABLE: Table = {
  starting: { ...live, sessionStarted: 'idle', turnEnded: 'idle' },
  working: { ...live, approvalResolved: 'working' },
  // sessionStarted: the user got past a prompt in the terminal (a trust dialog) and the session began.
  'waiting-input': { ...live, approvalResolved: 'working', sessionStarted: 'idle' },
  'waiting-approval': { ...live, approvalResolved: 'working', activity: 'working' },
  idle: { ...live, sessionStarted: 'idle', approvalResolved: 'idle' },
  stalled: { ...live, approvalResolved: 'working', stallDetected: 'stalled' },
  disconnected: {
    ...live,
    connectionLost: 'disconnected',
    sessionStarted: 'idle',
    launched: 'starting',
  },
  // Not heard from, maybe back soon: reconnecting resumes it; the unreachable watch fails it after its grace.
  unreachable: {
    ...live,
    sessionStarted: 'idle',
    launched: 'starting',
  },
  failed: ended,
  done: ended,
  stopped: ended,
  // A quarantined agent stays put whatever it reports; only the user can release or stop it.
  quarantined: { released: 'idle', stopRequested: 'stopped', completed: 'done', errored: 'failed' },
};

export type TransitionResult =
  | { readonly ok: true; readonly status: AgentStatus; readonly changed: boolean }
  | { readonly ok: false; readonly status: AgentStatus; readonly reason: string };

export function transition(from: AgentStatus, event: StatusEvent): TransitionResult {
  const to = STATUS_TABLE[from][event];
  if (to === undefined) {
    return { ok: false, status: from, reason: `'${event}' is not allowed while the agent is ${from}` };
  }
  return { ok: true, status: to, changed: to !== from };
}

/** Statuses after which the agent does nothing until it is started again. */
export function isEnded(status: AgentStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'stopped';
}

/** Statuses whose time counts as active (the elapsed time the tree shows). */
export function isActive(status: AgentStatus): boolean {
  return status === 'working' || status === 'waiting-approval';
}

/** Statuses in which a human is expected to act. */
export function needsAttention(status: AgentStatus): boolean {
  return status === 'waiting-approval' || status === 'waiting-input' || status === 'stalled' || status === 'failed';
}
