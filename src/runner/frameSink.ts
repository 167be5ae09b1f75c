// The sink the runner lends the adapters it hosts (Claude Code): each fact becomes protocol v1 frames in the agent's
// outbox (a heartbeat status, a span, an event), and approve() an approval_request answered by the supervisor.
// The supervisor's remote adapter turns the frames back into the same facts (heartbeatFacts, spanFacts).
import { randomUUID } from 'node:crypto';
import type { AgentSignalSink, ApprovalOptions, Verdict } from '../core/agents/agentAdapter';
import type { AgentSignal, ToolAction } from '../core/agents/agentSignal';
import type { AgentFrame, FrameDraft } from '../shared/protocol/frames';
import type { JsonValue } from '../shared/protocol/jsonValue';
import type { HeartbeatFrame } from '../shared/protocol/heartbeat';
import { MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from '../shared/protocol/limits';
import { EXITED_EVENT, QUOTA_EVENT } from '../adapters/remote/eventFacts';
import type { AgentOutbox } from './agentOutbox';

type Status = NonNullable<HeartbeatFrame['status']>;

export class FrameSink implements AgentSignalSink {
  /** Open tool spans without an id of the agent's: by tool name, oldest first. */
  private readonly openTools = new Map<string, string[]>();

  constructor(
    private readonly outboxOf: (agentId: string) => AgentOutbox | undefined,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  signal(agentId: string, signal: AgentSignal): void {
    const outbox = this.outboxOf(agentId);
    if (!outbox) return;
    try {
      for (const frame of this.framesOf(signal)) outbox.push(frame);
    } catch (err) {
      this.log(`agent ${agentId}: a ${signal.type} fact could not be sent: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async approve(agentId: string, action: ToolAction, abort: AbortSignal, options?: ApprovalOptions): Promise<Verdict> {
    const outbox = this.outboxOf(agentId);
    if (!outbox) return { decision: 'ask', reason: 'the runner does not know this agent', by: 'supervisor' };
    const decision = await outbox.ask(
      {
        tool: clip(action.tool, MAX_LABEL_LENGTH),
        input: (action.input ?? null) as JsonValue,
        summary: clip(action.summary, MAX_TEXT_LENGTH),
        ...(action.cwd === undefined ? {} : { cwd: action.cwd }),
        ...(action.sessionId === undefined ? {} : { session_id: action.sessionId.slice(0, 128) }),
        ...(options?.whenNoGateDecides === undefined ? {} : { when_no_rule: options.whenNoGateDecides }),
      },
      abort,
    );
    if (!decision) return { decision: 'ask', reason: 'the request was withdrawn before Flotilla decided', by: 'supervisor' };
    const by = decision.decided_by;
    if (decision.decision === 'allow') return { decision: 'allow', by: by === 'user' ? 'user' : 'policy', ...(decision.reason === undefined ? {} : { reason: decision.reason }) };
    if (decision.decision === 'deny') return { decision: 'deny', reason: decision.reason ?? 'denied by Flotilla', by };
    return { decision: 'ask', reason: decision.reason ?? 'Flotilla did not decide', ...(by === 'timeout' ? { by: 'timeout' as const } : {}) };
  }

  /** The frames of one fact; facts that only the supervisor's side makes (connection) have none. */
  framesOf(signal: AgentSignal): FrameDraft<AgentFrame>[] {
    const now = Math.floor(this.now());
    const status = (s: Status, detail?: string): FrameDraft<AgentFrame> => ({
      type: 'heartbeat',
      elapsed_ms: 0,
      status: s,
      ...(detail === undefined ? {} : { blockers: [clip(detail, MAX_LABEL_LENGTH)] }),
    });
    const event = (name: string, message?: string): FrameDraft<AgentFrame> => ({
      type: 'event',
      kind: 'agent',
      name,
      ts: now,
      ...(message === undefined ? {} : { message: clip(message, MAX_TEXT_LENGTH) }),
    });
    switch (signal.type) {
      case 'session':
        return signal.phase === 'started' ? [event('session started', signal.sessionId)] : [status('done', signal.detail)];
      case 'turn':
        if (signal.phase === 'started') return [status('working')];
        if (signal.phase === 'ended') return [status('idle')];
        if (signal.phase === 'interrupted') return [event('turn interrupted', signal.detail), status('idle')];
        // At the quota wall the turn ends, not the agent: idle, then the event that carries the pause and its reset.
        if (signal.quota) return [status('idle'), { ...event(QUOTA_EVENT, signal.detail), ...(signal.quota.resetsAt !== undefined ? { attrs: { resets_at: signal.quota.resetsAt } } : {}) }];
        return [status('failed', signal.detail ?? 'the turn failed')];
      case 'waiting':
        if (signal.for === 'connection') return [];
        if (signal.for === 'approval') return [status('waiting-approval', signal.detail)];
        return [status('waiting-input', signal.detail)];
      case 'tool':
        return [this.toolSpan(signal, now)];
      case 'usage':
        return [
          {
            type: 'span',
            span_id: clip(signal.requestId ?? `u_${randomUUID()}`, 128),
            kind: 'model',
            name: 'model request',
            status: 'ok',
            started_at: now,
            duration_ms: 0,
            model: clip(signal.model, MAX_LABEL_LENGTH),
            tokens_in: signal.delta.input,
            tokens_out: signal.delta.output,
            cache_read_tokens: signal.delta.cacheRead,
            cache_write_tokens: signal.delta.cacheWrite,
            ...(signal.costUsd === undefined ? {} : { cost_usd: signal.costUsd }),
          },
        ];
      case 'process':
        // The supervisor reads this event as the process ending (eventFacts): 0 done, else failed.
        return [
          {
            type: 'event',
            kind: 'agent',
            name: EXITED_EVENT,
            ts: now,
            ...(signal.exitCode === undefined ? {} : { attrs: { exit_code: signal.exitCode } }),
            ...(signal.detail === undefined ? {} : { message: clip(signal.detail, MAX_TEXT_LENGTH) }),
          },
        ];
      case 'activity':
        return [event('activity', signal.detail)];
      case 'stalled':
        return [status('stalled', signal.detail)];
      default:
        return [];
    }
  }

  private toolSpan(signal: Extract<AgentSignal, { type: 'tool' }>, now: number): FrameDraft<AgentFrame> {
    const tool = signal.action.tool;
    let id = signal.action.toolUseId;
    if (id === undefined) {
      const open = this.openTools.get(tool) ?? [];
      if (signal.phase === 'started') {
        id = `t_${randomUUID()}`;
        open.push(id);
        this.openTools.set(tool, open);
      } else {
        id = open.shift() ?? `t_${randomUUID()}`;
      }
    }
    return {
      type: 'span',
      span_id: clip(id, 128),
      kind: 'tool',
      name: clip(tool, MAX_LABEL_LENGTH),
      status: signal.phase === 'started' ? 'running' : signal.phase === 'ended' ? 'ok' : 'error',
      started_at: now,
      message: clip(signal.phase === 'failed' ? (signal.detail ?? signal.action.summary) : signal.action.summary, MAX_TEXT_LENGTH),
    };
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
