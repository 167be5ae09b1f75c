// Facts -> statuses: the core's AgentSignalSink. Every fact an adapter reports moves the agent through the status
// machine with the details it carries (session, transcript, current tool, reason, exit code); a fact the machine
// refuses is logged with the agent and ignored (Fleet.apply writes nothing then). Approvals go through the gate
// chain and the queue (ActionApprover) with the agent shown waiting for approval while a human decides.
// Nothing an adapter sends can throw back into it: a bad fact is logged, never the adapter's problem.
import type { AgentSnapshot, Usage } from '../../shared/agent';
import type { AgentSignalSink, ApprovalOptions, Verdict } from '../agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../agents/agentSignal';
import type { ApprovalQueue } from '../approvals/approvalQueue';
import type { ActionApprover } from '../approvals/actionApprover';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { Emitter } from '../events';
import type { Event } from '../events';
import { errorMessage } from '../../shared/errorMessage';
import type { Logger } from '../log';
import { STATUS_TABLE } from '../statusMachine';
import type { StatusEvent } from '../statusMachine';
import type { Fleet, Patch } from './fleet';
import type { StallWatch } from './stallWatch';

export interface SignalRouterOptions {
  readonly fleet: Fleet;
  readonly approver: ActionApprover;
  /** To end requests the agent moved past (answered in its terminal, turn over). */
  readonly approvals: ApprovalQueue;
  readonly log: Logger;
  readonly stall?: StallWatch;
  /**
   * The price of ONE request's tokens (its own long-context tier; `request.cacheWrite1h`: its 1-hour cache writes);
   * undefined: unknown model (its tokens count, its cost does not).
   */
  readonly price?: (model: string, usage: Usage, request?: { readonly cacheWrite1h?: number }) => number | undefined;
  /** Each model request as it is counted (the store keeps it so a price change can re-price history). */
  readonly onRequest?: (agentId: string, request: Extract<AgentSignal, { type: 'usage' }>) => void;
  /** Whether a budget covers the agent (AgentSignalSink.budgetBinds); unknown: assume it does. */
  readonly budgetBinds?: (agent: AgentSnapshot) => boolean;
  readonly clock?: Clock;
}

const TURN_REASON = { ended: undefined, interrupted: 'interrupted by the user', failed: 'the turn failed' } as const;

/** The quota pause a quota fact starts: the reset time only as reported (absent when the agent named none). */
const quotaPause = (until: number | undefined, reason: string | undefined, since: number): NonNullable<AgentSnapshot['quotaPause']> => ({
  since,
  ...(until !== undefined ? { until } : {}),
  reason: (reason ?? 'the model API refused the turn at a rate or usage limit').slice(0, 2048),
});

export class SignalRouter implements AgentSignalSink {
  private readonly clock: Clock;
  private readonly _onDidSignal = new Emitter<{ readonly agentId: string; readonly signal: AgentSignal }>();
  /** Every fact of a known agent, after it was routed (the trace recorder listens). */
  readonly onDidSignal: Event<{ readonly agentId: string; readonly signal: AgentSignal }> = this._onDidSignal.event;

  constructor(private readonly options: SignalRouterOptions) {
    this.clock = options.clock ?? systemClock;
  }

  signal(agentId: string, signal: AgentSignal): void {
    try {
      const agent = this.options.fleet.get(agentId);
      if (!agent) {
        this.options.log.warn(`${signal.type} fact for unknown agent ${agentId} ignored`);
        return;
      }
      this.options.stall?.touch(agentId, signal.type === 'tool' ? signal.action.summary : undefined);
      this.route(agent, signal);
      this._onDidSignal.fire({ agentId, signal });
    } catch (err) {
      this.options.log.error(`agent ${agentId}: ${signal.type} fact not applied: ${errorMessage(err)}`);
    }
  }

  budgetBinds(agentId: string): boolean {
    const agent = this.options.fleet.get(agentId);
    if (!agent || !this.options.budgetBinds) return true;
    try {
      return this.options.budgetBinds(agent);
    } catch {
      return true;
    }
  }

  async approve(agentId: string, action: ToolAction, abort: AbortSignal, options: ApprovalOptions = {}): Promise<Verdict> {
    const agent = this.options.fleet.get(agentId);
    if (!agent) return { decision: 'ask', reason: 'unknown agent' };
    // The user stopped it: nothing more runs, and nobody is asked (a call Stop made stale would otherwise come back
    // as the agent's own permission request while it shuts down).
    if (agent.status === 'stopped') {
      this.options.log.info(`${agent.name}: ${action.summary} denied: the agent was stopped`);
      return { decision: 'deny', by: 'supervisor', reason: `${agent.name} was stopped from Flotilla; nothing more runs.` };
    }
    this.options.stall?.touch(agentId, action.summary);
    const { fleet } = this.options;
    try {
      return await this.options.approver.decide(agent, action, abort, options, {
        waiting: () => fleet.apply(agentId, 'approvalRequested', { currentTool: this.tool(action), waitingFor: 'approval', statusReason: undefined }),
        answered: () => {
          if (fleet.get(agentId)?.status === 'waiting-approval') fleet.apply(agentId, 'approvalResolved');
        },
      });
    } catch (err) {
      this.options.log.error(`${agent.name}: approval of ${action.summary} failed: ${errorMessage(err)}`);
      return { decision: 'ask', reason: `Flotilla could not decide: ${errorMessage(err)}` };
    }
  }

  private route(agent: AgentSnapshot, s: AgentSignal): void {
    const { fleet } = this.options;
    switch (s.type) {
      case 'session': {
        if (s.phase === 'ended') {
          this.moveOn(agent, `the session ended${s.detail ? ` (${s.detail})` : ''}`);
          this.apply(agent, s.stopped ? 'stopRequested' : 'completed', { statusReason: s.detail });
          return;
        }
        const paths = s.transcriptPath && !agent.transcriptPaths.includes(s.transcriptPath) ? [...agent.transcriptPaths, s.transcriptPath] : agent.transcriptPaths;
        const patch: Patch = {
          ...(s.sessionId !== undefined ? { sessionId: s.sessionId } : {}),
          ...(s.transcriptPath !== undefined ? { transcriptPath: s.transcriptPath, transcriptPaths: paths } : {}),
        };
        // A session that starts while the agent works (a resumed or cleared session mid-turn) is a sign of life.
        this.apply(agent, this.allows(agent, 'sessionStarted') ? 'sessionStarted' : 'activity', patch);
        return;
      }
      case 'turn':
        this.moveOn(agent, `the turn ${s.phase === 'started' ? 'restarted' : s.phase}`);
        if (s.phase === 'started') this.apply(agent, 'promptSubmitted', { lastTurn: undefined, statusReason: s.detail, quotaPause: undefined });
        // At the quota wall the turn ends, not the agent (never 'failed'): idle, paused until the quota resets.
        else if (s.phase === 'failed' && s.quota) this.apply(agent, 'turnEnded', { lastTurn: 'failed', statusReason: s.detail ?? 'quota reached', quotaPause: quotaPause(s.quota.resetsAt, s.detail, this.clock.now()) });
        else this.apply(agent, 'turnEnded', { lastTurn: s.phase, statusReason: s.detail ?? TURN_REASON[s.phase], quotaPause: undefined });
        return;
      case 'tool':
        if (s.phase === 'started') {
          this.apply(agent, 'activity', { currentTool: this.tool(s.action, s.timeoutMs), statusReason: undefined, quotaPause: undefined });
        } else {
          this.options.approver.toolCallSettled(agent.id, s.action);
          this.apply(agent, 'activity', { currentTool: undefined, statusReason: s.phase === 'failed' ? s.detail : undefined });
        }
        return;
      case 'waiting':
        switch (s.for) {
          case 'input':
          case 'terminal':
            this.apply(agent, 'inputRequested', { waitingFor: s.for, statusReason: s.detail });
            return;
          case 'approval':
            this.apply(agent, 'approvalRequested', { waitingFor: 'approval', statusReason: s.detail });
            return;
          case 'connection':
            if (agent.status === 'starting' || agent.status === 'disconnected') fleet.update(agent.id, { waitingFor: 'connection', statusReason: s.detail });
            else this.options.log.info(`agent ${agent.name}: waiting for its connection while ${agent.status}; ignored`);
            return;
        }
        return;
      case 'usage':
        fleet.addUsage(agent.id, s.model, s.delta, s.costUsd ?? this.options.price?.(s.model, s.delta, s.cacheWrite1h !== undefined ? { cacheWrite1h: s.cacheWrite1h } : {}));
        this.options.onRequest?.(agent.id, s);
        return;
      case 'process': {
        this.moveOn(agent, 'the process exited');
        if (s.exitCode === undefined) {
          // Gone without a code (its terminal vanished): maybe still running unseen; hooks revive it if so.
          this.apply(agent, 'connectionLost', { statusReason: s.detail ?? 'its process ended, exit code unknown' });
          return;
        }
        const failed = s.exitCode !== 0;
        this.apply(agent, failed ? 'errored' : 'completed', { exitCode: s.exitCode, statusReason: s.detail ?? (failed ? `exited with code ${s.exitCode}` : undefined) });
        return;
      }
      case 'connection':
        if (s.phase === 'lost') this.apply(agent, 'connectionLost', { statusReason: s.detail });
        else if (s.phase === 'unreachable') this.apply(agent, 'hostUnreachable', { statusReason: s.detail });
        else if (this.allows(agent, 'sessionStarted') && agent.status !== 'idle') this.apply(agent, 'sessionStarted', { statusReason: s.detail });
        return;
      case 'stalled':
        this.apply(agent, 'stallDetected', { statusReason: s.detail ?? 'the agent reports it is stuck' });
        return;
      case 'activity':
        // Alive (a subagent's step, a heartbeat): a stalled agent works again, and its progress (the detail) is shown;
        // otherwise nothing changes.
        if (agent.status === 'stalled' || agent.status === 'working') this.apply(agent, 'activity', s.detail !== undefined ? { statusReason: s.detail } : {});
        return;
    }
  }

  private tool(action: ToolAction, timeoutMs?: number): NonNullable<AgentSnapshot['currentTool']> {
    return { name: action.tool, summary: action.summary, since: this.clock.now(), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }

  private allows(agent: AgentSnapshot, event: StatusEvent): boolean {
    return STATUS_TABLE[agent.status][event] !== undefined;
  }

  /** Refused moves are logged by the fleet (with the agent) and write nothing. */
  private apply(agent: AgentSnapshot, event: StatusEvent, patch: Patch): void {
    this.options.fleet.apply(agent.id, event, patch);
  }

  /** Requests of this agent's session are stale once its session moved past them (a late click is refused). */
  private moveOn(agent: AgentSnapshot, why: string): void {
    this.options.approvals.invalidate((r) => r.agentId === agent.id && (agent.sessionId === undefined || r.sessionId === undefined || r.sessionId === agent.sessionId), why);
  }
}
