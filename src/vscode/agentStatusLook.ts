// What an agent's status means to the user, as words, an icon and a colour: "done — ready for review" after a
// finished turn, "needs input" only when the agent asked, "needs you in the terminal", "waiting for connection".
// The states that need the user are the loud ones. vscode-free (icon and colour ids only), tested in plain Node.
import type { AgentSnapshot } from '../shared/agent';
import type { AgentStatus } from '../shared/status';

/** The fields the core adds for presentation (issue 10); read defensively so older snapshots still show. */
export type PresentedAgent = AgentSnapshot & {
  readonly waitingFor?: 'input' | 'approval' | 'terminal' | 'connection';
  readonly lastTurn?: 'ended' | 'interrupted' | 'failed';
  readonly activeMs?: number;
  readonly activeSince?: number;
};

/** Every state a row can be in; finer than AgentStatus where the user must tell them apart. */
export type AgentLook =
  | 'starting'
  | 'awaiting-connection'
  | 'working'
  | 'needs-input'
  | 'needs-approval'
  | 'needs-terminal'
  | 'ready-for-review'
  | 'interrupted'
  | 'turn-failed'
  | 'quota-paused'
  | 'idle'
  | 'stalled'
  | 'disconnected'
  | 'unreachable'
  | 'failed'
  | 'done'
  | 'stopped'
  | 'quarantined';

interface LookStyle {
  readonly label: string;
  readonly icon: string;
  /** A ThemeColor id. Notification icon colours are defined by every theme, high contrast included. */
  readonly color?: string;
  /** The user is expected to act (the row is loud; its label says what to do). */
  readonly needsUser: boolean;
}

const WARN = 'notificationsWarningIcon.foreground';
const ERROR = 'notificationsErrorIcon.foreground';

export const LOOKS: Record<AgentLook, LookStyle> = {
  starting: { label: 'starting', icon: 'loading~spin', needsUser: false },
  'awaiting-connection': { label: 'waiting for connection', icon: 'plug', color: 'descriptionForeground', needsUser: false },
  working: { label: 'working', icon: 'sync~spin', needsUser: false },
  'needs-input': { label: 'needs input', icon: 'comment-unresolved', color: WARN, needsUser: true },
  'needs-approval': { label: 'waiting for approval', icon: 'shield', color: ERROR, needsUser: true },
  'needs-terminal': { label: 'needs you in the terminal', icon: 'terminal', color: WARN, needsUser: true },
  'ready-for-review': { label: 'done — ready for review', icon: 'check', color: 'testing.iconPassed', needsUser: false },
  interrupted: { label: 'interrupted', icon: 'debug-pause', needsUser: false },
  'turn-failed': { label: 'turn failed', icon: 'warning', color: ERROR, needsUser: true },
  // The model API's rate or usage limit: nothing to do but wait for the reset (the row says when), then resume.
  'quota-paused': { label: 'paused — quota', icon: 'history', color: 'descriptionForeground', needsUser: false },
  idle: { label: 'idle', icon: 'circle-outline', needsUser: false },
  stalled: { label: 'stalled', icon: 'watch', color: WARN, needsUser: true },
  disconnected: { label: 'disconnected', icon: 'debug-disconnect', color: 'disabledForeground', needsUser: false },
  // Not loud: it may come back by itself; past its grace it is failed, and that is loud.
  unreachable: { label: 'unreachable', icon: 'cloud-offline', color: 'descriptionForeground', needsUser: false },
  failed: { label: 'failed', icon: 'error', color: ERROR, needsUser: true },
  done: { label: 'done', icon: 'pass', color: 'testing.iconPassed', needsUser: false },
  stopped: { label: 'stopped', icon: 'debug-stop', color: 'disabledForeground', needsUser: false },
  quarantined: { label: 'quarantined', icon: 'lock', color: ERROR, needsUser: true },
};

const BY_STATUS: Record<AgentStatus, AgentLook> = {
  starting: 'starting',
  working: 'working',
  'waiting-input': 'needs-input',
  'waiting-approval': 'needs-approval',
  idle: 'idle',
  stalled: 'stalled',
  disconnected: 'disconnected',
  unreachable: 'unreachable',
  failed: 'failed',
  done: 'done',
  stopped: 'stopped',
  quarantined: 'quarantined',
};

const ENDED: readonly AgentStatus[] = ['done', 'failed', 'stopped'];

export function agentLook(agent: PresentedAgent): AgentLook {
  const ended = ENDED.includes(agent.status);
  // A quarantined agent that may still act shows the lock whatever it does.
  if (agent.quarantine && !ended) return 'quarantined';
  if (!ended && agent.status !== 'working' && agent.status !== 'idle') {
    if (agent.waitingFor === 'terminal') return 'needs-terminal';
    if (agent.waitingFor === 'connection') return 'awaiting-connection';
  }
  if (agent.status === 'idle') {
    if (agent.lastTurn === 'ended') return 'ready-for-review';
    if (agent.lastTurn === 'interrupted') return 'interrupted';
    if (agent.quotaPause) return 'quota-paused';
    if (agent.lastTurn === 'failed') return 'turn-failed';
  }
  return BY_STATUS[agent.status];
}

/** Time spent working (or waiting for an approval that blocks work), not time spent waiting for the user. */
export function activeMs(agent: PresentedAgent, now: number): number | undefined {
  if (agent.activeMs === undefined) return undefined;
  return agent.activeMs + (agent.activeSince !== undefined ? Math.max(0, (agent.endedAt ?? now) - agent.activeSince) : 0);
}

/** Wall time since the agent started. */
export function wallMs(agent: AgentSnapshot, now: number): number {
  return (agent.endedAt ?? now) - (agent.startedAt ?? agent.createdAt);
}
