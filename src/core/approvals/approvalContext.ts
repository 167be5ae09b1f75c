// The context the Approvals panel shows beside an agent's requests: its task (the prompt), what it last said before it
// asked (read by an injected reader, e.g. from its transcript, when the agent asks and again each time its usage grows:
// Claude Code writes the reply's lines to its transcript after the PreToolUse hook has asked), its spend and budget.
// Fires onDidChange only when what the panel would show for an agent with pending requests changes (spend in cents),
// so a busy fleet's usage ticks do not repaint the panel.
import type { AgentSnapshot } from '../../shared/agent';
import type { PendingApproval } from '../../shared/approval';
import { CONTEXT_LIMITS } from '../../shared/webview/approvalsProtocol';
import type { AgentContext } from '../../shared/webview/approvalsProtocol';
import { Emitter } from '../events';
import type { Disposable, Event } from '../events';
import type { Logger } from '../log';

export interface ApprovalContextDeps {
  readonly agent: (id: string) => AgentSnapshot | undefined;
  readonly onDidChangeAgent: Event<AgentSnapshot>;
  readonly onDidAddRequest: Event<PendingApproval>;
  readonly hasPending: (agentId: string) => boolean;
  /** The agent's last assistant text, whole (it is excerpted here); undefined when unknown. */
  readonly lastMessage: (agent: AgentSnapshot) => Promise<string | undefined>;
  readonly log: Pick<Logger, 'warn'>;
}

/** One line of at most `max` characters: runs of white space become one space; "…" marks a cut. */
export function excerpt(text: string, max: number, keep: 'start' | 'end'): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  return keep === 'start' ? `${line.slice(0, max - 1).trimEnd()}…` : `…${line.slice(line.length - max + 1).trimStart()}`;
}

/** What the panel shows for an agent (cost rounded to cents: smaller changes are not news for a reviewer). */
export function agentContext(agent: AgentSnapshot, lastMessage: string | undefined): AgentContext {
  const task = agent.prompt?.trim() ? excerpt(agent.prompt, CONTEXT_LIMITS.task, 'start') : undefined;
  const last = lastMessage?.trim() ? excerpt(lastMessage, CONTEXT_LIMITS.lastMessage, 'end') : undefined;
  const note = agent.budgetPaused && agent.budgetReason ? excerpt(agent.budgetReason, CONTEXT_LIMITS.budgetNote, 'start') : undefined;
  return {
    agentId: agent.id,
    ...(task ? { task } : {}),
    ...(last ? { lastMessage: last } : {}),
    costUsd: Math.round(agent.costUsd * 100) / 100,
    ...(agent.budget?.usd ? { budgetUsd: agent.budget.usd } : {}),
    ...(note ? { budgetNote: note } : {}),
  };
}

/** Changes when the agent's transcript gains a model reply (its output tokens grow) or it starts another session. */
function replyKey(agent: AgentSnapshot): string {
  return `${agent.usage.output}:${agent.transcriptPath ?? ''}`;
}

export class ApprovalContext implements Disposable {
  private readonly lastMessages = new Map<string, string>();
  /** What was last computed per agent (JSON), to fire only on a change. */
  private readonly shown = new Map<string, string>();
  /** The newest read per agent: an older read that ends later is dropped. */
  private readonly reads = new Map<string, number>();
  private readSerial = 0;
  /** The agent's replies (replyKey) as of its last read. */
  private readonly readAt = new Map<string, string>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;
  private readonly subscriptions: Disposable[];
  private disposed = false;

  constructor(private readonly deps: ApprovalContextDeps) {
    this.subscriptions = [
      deps.onDidChangeAgent((agent) => {
        if (!deps.hasPending(agent.id)) return;
        // New usage means a model reply reached the transcript: what the agent said may be there now.
        if (this.readAt.get(agent.id) !== replyKey(agent)) this.readLastMessage(agent.id);
        this.recompute(agent);
      }),
      deps.onDidAddRequest((request) => this.readLastMessage(request.agentId)),
    ];
  }

  /** The context of each known agent among `agentIds`. */
  of(agentIds: Iterable<string>): AgentContext[] {
    const out: AgentContext[] = [];
    for (const id of new Set(agentIds)) {
      const agent = this.deps.agent(id);
      if (!agent) continue;
      // A request that arrived before this source existed: read what its agent said once.
      if (!this.readAt.has(id)) this.readLastMessage(id);
      const context = agentContext(agent, this.lastMessages.get(id));
      this.shown.set(id, JSON.stringify(context));
      out.push(context);
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subscriptions) s.dispose();
    this._onDidChange.dispose();
  }

  private recompute(agent: AgentSnapshot): void {
    const json = JSON.stringify(agentContext(agent, this.lastMessages.get(agent.id)));
    if (this.shown.get(agent.id) === json) return;
    this.shown.set(agent.id, json);
    this._onDidChange.fire();
  }

  private readLastMessage(agentId: string): void {
    const agent = this.deps.agent(agentId);
    if (!agent) return;
    this.readAt.set(agentId, replyKey(agent));
    const serial = ++this.readSerial;
    this.reads.set(agentId, serial);
    this.deps.lastMessage(agent).then(
      (text) => {
        if (this.disposed || this.reads.get(agentId) !== serial) return;
        this.reads.delete(agentId);
        if (text === undefined) this.lastMessages.delete(agentId);
        else this.lastMessages.set(agentId, text);
        const now = this.deps.agent(agentId);
        if (now) this.recompute(now);
      },
      (err: unknown) => this.deps.log.warn(`Approvals panel: could not read what ${agent.name} last said: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}
