// Decides an action an agent asked to take: the gate chain first (budget, policy, quarantine), then a human through
// the ApprovalQueue (audited by the queue's recorder). Returns the contract's Verdict; nothing defaults to allow:
// a timeout, a stale request, an unknown agent or an error is an 'ask' (the agent's own check stays in force).
import type { AgentSnapshot } from '../../shared/agent';
import type { DecidedBy } from '../../shared/approval';
import type { ApprovalOptions, Verdict } from '../agents/agentAdapter';
import type { ToolAction } from '../agents/agentSignal';
import type { Logger } from '../log';
import type { ApprovalQueue } from './approvalQueue';
import type { ActionGate } from './gateChain';
import { verdictReason } from './policyGate';

/** Status moves around a human's decision (the signal router moves the agent to waiting-approval and back). */
export interface HumanWait {
  waiting(): void;
  answered(): void;
}

const by = (d: DecidedBy): 'policy' | 'user' | 'timeout' | 'supervisor' => (d === 'policy' || d === 'user' || d === 'timeout' ? d : 'supervisor');

export class ActionApprover {
  /** Requests waiting for a human, by queue id: the action they are about. */
  private readonly open = new Map<string, { readonly agentId: string; readonly action: ToolAction }>();

  constructor(
    private readonly gate: ActionGate,
    private readonly queue: ApprovalQueue,
    private readonly log: Logger,
  ) {}

  async decide(agent: AgentSnapshot, action: ToolAction, abort: AbortSignal, options: ApprovalOptions, wait: HumanWait): Promise<Verdict> {
    // The action's session, not the snapshot's: session rules are pinned to the session the request carried.
    const withSession = action.sessionId ? { ...agent, sessionId: action.sessionId } : agent;
    const cwd = action.cwd ?? agent.cwd;
    const verdict = this.gate({ agent: withSession, action, cwd });
    if (verdict.kind === 'allow') return { decision: 'allow', by: 'policy', reason: verdictReason(verdict) };
    if (verdict.kind === 'deny') return { decision: 'deny', by: 'policy', reason: verdictReason(verdict) };
    if (verdict.kind === 'pass' && options.whenNoGateDecides === 'agent') return { decision: 'ask', reason: 'no Flotilla rule decides this; the agent asks itself' };
    wait.waiting();
    let id: string | undefined;
    try {
      const resolution = await this.queue.request(
        {
          agentId: agent.id,
          agentName: agent.name,
          sessionId: withSession.sessionId,
          tool: action.tool,
          summary: action.summary,
          input: action.input,
          cwd,
          tier: verdict.kind === 'approve' ? verdict.tier : undefined,
          rule: verdict.kind === 'approve' ? verdict.rule : undefined,
          reason: verdict.kind === 'approve' ? verdict.reason : undefined,
        },
        abort,
        (added) => {
          id = added.id;
          this.open.set(added.id, { agentId: agent.id, action });
        },
      );
      if (resolution.kind !== 'decided') {
        this.log.info(`${agent.name}: ${action.summary} left to the agent's own check (${resolution.reason})`);
        return { decision: 'ask', reason: resolution.reason, by: resolution.why === 'timeout' ? 'timeout' : 'supervisor' };
      }
      if (resolution.decision === 'deny') return { decision: 'deny', by: by(resolution.decidedBy), reason: resolution.reason ?? 'Denied in Flotilla' };
      return { decision: 'allow', by: by(resolution.decidedBy) === 'timeout' ? 'supervisor' : (by(resolution.decidedBy) as 'policy' | 'user' | 'supervisor'), ...(resolution.reason !== undefined ? { reason: resolution.reason } : {}) };
    } finally {
      if (id !== undefined) this.open.delete(id);
      wait.answered();
    }
  }

  /**
   * The agent ran (or failed) a tool call it was asking about: it was answered in its terminal, so the request is
   * stale. Matched on the call's id when both have one, else on the tool name (Claude Code's PermissionRequest has
   * no id), within the same session when both name one. Returns how many requests ended.
   */
  toolCallSettled(agentId: string, done: ToolAction): number {
    const ids = new Set<string>();
    for (const [id, { agentId: owner, action }] of this.open) {
      if (owner !== agentId || action.tool !== done.tool) continue;
      if (action.sessionId !== undefined && done.sessionId !== undefined && action.sessionId !== done.sessionId) continue;
      if (action.toolUseId !== undefined && done.toolUseId !== undefined && action.toolUseId !== done.toolUseId) continue;
      ids.add(id);
    }
    return ids.size === 0 ? 0 : this.queue.invalidate((r) => ids.has(r.id), 'answered in the terminal');
  }
}
