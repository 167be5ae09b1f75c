// What the adapter keeps per attached Claude Code agent: its session, its transcripts (usage, interruption lines) and
// Claude Code's own status file for its session. A turn that goes idle without a Stop hook was interrupted (Escape
// before the model answered leaves no transcript line): reported after a short grace, so a Stop hook that arrives
// just after the status change still ends the turn normally.
import type { AgentSignal } from '../../core/agents/agentSignal';
import type { AgentSignalSink } from '../../core/agents/agentAdapter';
import { toDisposable } from '../../core/events';
import type { Disposable, DisposableStore } from '../../core/events';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import type { ClaudeAgentState } from './hookRoute';
import { sessionsDirOf } from './sessionStatus';
import type { ClaudeSessionStatuses } from './sessionStatus';
import { TranscriptWatch } from './transcriptWatch';
import type { StoredRequest } from './transcriptCatchUp';

/** How long a Stop hook may trail Claude Code's idle status before the turn counts as interrupted. */
export const INTERRUPT_GRACE_MS = 400;
/**
 * How long a PreToolUse hook waits for its call's transcript line (its request's usage) before it is decided: the
 * line lands 70-100 ms after the hook starts (2.1.197, loaded machine); a subagent's calls are in a transcript not
 * followed yet (named at SubagentStop), so they wait this long: keep it short.
 */
export const TOOL_USE_WAIT_MS = 400;

const INTERRUPTED: AgentSignal = { type: 'turn', phase: 'interrupted', detail: 'interrupted by the user in the terminal' };

export class ClaudeAgent implements ClaudeAgentState {
  sessionId?: string;
  private turnOpen = false;
  private grace: ReturnType<typeof setTimeout> | undefined;
  private readonly transcripts: TranscriptWatch;
  private readonly followed = new Map<string, Disposable>();
  private disposed = false;

  constructor(
    private readonly agent: AgentSnapshot,
    readonly sink: AgentSignalSink,
    private readonly statuses: ClaudeSessionStatuses,
    private readonly log: Logger,
    scope: DisposableStore,
    stored?: readonly StoredRequest[],
  ) {
    if (agent.sessionId !== undefined) this.sessionId = agent.sessionId;
    // After a reload a working agent is mid-turn: an idle status then still ends it.
    this.turnOpen = agent.status === 'working' || agent.status === 'waiting-approval' || agent.status === 'stalled';
    this.transcripts = scope.add(
      new TranscriptWatch({ agentId: agent.id, sink, log, known: { paths: agent.transcriptPaths, counted: agent.usageByModel, ...(stored ? { stored } : {}) }, onInterrupt: () => this.interrupted() }),
    );
    if (agent.transcriptPath && agent.sessionId) this.followStatus(agent.transcriptPath, agent.sessionId);
    scope.add(toDisposable(() => this.dispose()));
  }

  report(fact: AgentSignal): void {
    if (fact.type === 'turn') {
      this.turnOpen = fact.phase === 'started';
      this.cancelGrace();
    } else if (fact.type === 'session' && fact.phase === 'ended') {
      this.turnOpen = false;
      this.cancelGrace();
    }
    this.sink.signal(this.agent.id, fact);
  }

  followTranscript(path: string): void {
    this.transcripts.follow(path);
    if (this.sessionId) this.followStatus(path, this.sessionId);
  }

  async readTranscripts(toolUseId?: string): Promise<void> {
    if (toolUseId === undefined) return this.transcripts.read();
    if (!(await this.transcripts.readUntilToolUse(toolUseId, TOOL_USE_WAIT_MS))) this.log.debug(`agent ${this.agent.name}: no transcript line for tool call ${toolUseId} within ${TOOL_USE_WAIT_MS} ms; deciding on the usage known`);
  }

  private followStatus(transcriptPath: string, sessionId: string): void {
    const dir = sessionsDirOf(transcriptPath);
    const key = `${dir}\0${sessionId}`;
    if (this.followed.has(key)) {
      this.statuses.rewatch(dir);
      return;
    }
    this.followed.set(
      key,
      this.statuses.follow(dir, sessionId, (status) => {
        if (status === 'busy') this.cancelGrace();
        else if (status === 'idle' && this.turnOpen && this.grace === undefined && !this.disposed) this.grace = setTimeout(() => this.interrupted(), INTERRUPT_GRACE_MS);
      }),
    );
  }

  private interrupted(): void {
    this.cancelGrace();
    if (!this.turnOpen || this.disposed) return;
    this.turnOpen = false;
    this.sink.signal(this.agent.id, INTERRUPTED);
  }

  private cancelGrace(): void {
    if (this.grace !== undefined) clearTimeout(this.grace);
    this.grace = undefined;
  }

  private dispose(): void {
    this.disposed = true;
    this.cancelGrace();
    for (const d of this.followed.values()) d.dispose();
    this.followed.clear();
  }
}
