// The host's end of the Approvals panel protocol, free of `vscode` so it runs in plain Node (tests, bench):
// waits for `ready`, pushes the pending list with each asking agent's context (coalesced), answers `decide` and
// `alwaysAllow`, forwards `openAgent`.
import type { ApprovalDecision, PendingApproval } from '../approval';
import { parseWebviewMessage } from './approvalsProtocol';
import type { AgentContext, AlwaysAllowRequest, AlwaysAllowScope, ApprovalsHostMessage, DecideItemResult, DecideRequest } from './approvalsProtocol';
import { boundedCopy, WIRE_LIMITS } from './wireInput';

/** What the endpoint needs from the approval queue (ApprovalQueue fits it). */
export interface ApprovalsSource {
  pending(): PendingApproval[];
  decide(id: string, decision: ApprovalDecision, decidedBy: 'user', reason?: string, via?: string): { ok: true } | { ok: false; reason: string };
  onDidChange(listener: () => unknown): { dispose(): void };
}

/** The agents' context shown beside their requests (core/approvals/approvalContext fits it). */
export interface AgentContextSource {
  of(agentIds: Iterable<string>): AgentContext[];
  onDidChange(listener: () => unknown): { dispose(): void };
}

export interface ApprovalsHostOptions {
  readonly source: ApprovalsSource;
  /** Sends to the webview (vscode's postMessage returns a Thenable; a rejection is logged). */
  readonly post: (message: ApprovalsHostMessage) => unknown;
  readonly log: { warn(message: string): void; error(message: string | Error): void };
  readonly openAgent: (agentId: string) => unknown;
  /** The asking agents' task, last words and spend; without it the panel shows the requests alone. */
  readonly context?: AgentContextSource;
  /** Adds an always-allow rule for the request and allows it. Without it the panel's always-allow is refused. */
  readonly alwaysAllow?: (id: string, scope: AlwaysAllowScope) => AlwaysAllowAnswer | PromiseLike<AlwaysAllowAnswer>;
  /** Queue changes within this window become one `state` message (1000 arrivals, one message). */
  readonly coalesceMs?: number;
  readonly now?: () => number;
}

export type AlwaysAllowAnswer = { ok: true; /** Shown in the panel's notice. */ message?: string } | { ok: false; reason: string };

export class ApprovalsHostEndpoint {
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: { dispose(): void }[];
  private disposed = false;

  constructor(private readonly options: ApprovalsHostOptions) {
    this.subscriptions = [options.source.onDidChange(() => this.schedule())];
    if (options.context) this.subscriptions.push(options.context.onDidChange(() => this.schedule()));
  }

  /** Every message the webview posts comes here, unvalidated. */
  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.options.log.warn(`Approvals panel: ignored a message from the webview: ${parsed.error.message}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.pushState();
        return;
      case 'decide':
        this.send({ type: 'decideResult', requestId: message.requestId, results: this.decide(message) });
        return;
      case 'openAgent':
        this.openAgent(message.agentId);
        return;
      case 'alwaysAllow':
        this.alwaysAllow(message);
        return;
    }
  }

  /** The webview is gone (hidden without retained context, or reloading): send nothing until it is ready again. */
  detach(): void {
    this.ready = false;
    this.cancelTimer();
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
    for (const s of this.subscriptions) s.dispose();
  }

  private decide(request: DecideRequest): DecideItemResult[] {
    const reason = request.message?.trim() || undefined;
    return request.ids.map((id) => {
      try {
        const result = this.options.source.decide(id, request.decision, 'user', reason, 'the Approvals panel');
        return result.ok ? { id, ok: true } : { id, ok: false, reason: result.reason };
      } catch (err) {
        this.options.log.error(err instanceof Error ? err : String(err));
        return { id, ok: false, reason: `could not be decided: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
  }

  /** Answers as soon as the injected handler does (at once when it is synchronous); a failure is logged and answered. */
  private alwaysAllow(request: AlwaysAllowRequest): void {
    const answer = (result: DecideItemResult) => this.send({ type: 'decideResult', requestId: request.requestId, results: [result] });
    const fromAnswer = (a: AlwaysAllowAnswer): DecideItemResult =>
      a.ok ? { id: request.id, ok: true, ...(a.message ? { message: a.message } : {}) } : { id: request.id, ok: false, reason: a.reason };
    const failed = (err: unknown) => {
      this.logError('always allow failed', err);
      answer({ id: request.id, ok: false, reason: `no rule was added: ${err instanceof Error ? err.message : String(err)}` });
    };
    const handler = this.options.alwaysAllow;
    if (!handler) {
      answer({ id: request.id, ok: false, reason: 'always allow is not available here' });
      return;
    }
    try {
      const result = handler(request.id, request.scope);
      if (isThenable(result)) result.then((a) => answer(fromAnswer(a)), failed);
      else answer(fromAnswer(result));
    } catch (err) {
      failed(err);
    }
  }

  private openAgent(agentId: string): void {
    try {
      Promise.resolve(this.options.openAgent(agentId)).catch((err: unknown) => this.logError('could not open the agent', err));
    } catch (err) {
      this.logError('could not open the agent', err);
    }
  }

  private schedule(): void {
    if (!this.ready || this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pushState();
    }, this.options.coalesceMs ?? 50);
  }

  private pushState(): void {
    this.cancelTimer();
    const now = (this.options.now ?? Date.now)();
    // Each input is bounded on its own: one agent's hostile input cannot break the push for everyone.
    const pending = this.options.source.pending().map((request) => ({ ...request, input: boundedCopy(request.input, WIRE_LIMITS).value }));
    const agents = this.agentContexts(pending.map((r) => r.agentId));
    this.send(agents ? { type: 'state', pending, agents, now } : { type: 'state', pending, now });
  }

  /** A failing context source costs the context, never the list of requests. */
  private agentContexts(agentIds: string[]): AgentContext[] | undefined {
    if (!this.options.context) return undefined;
    try {
      return this.options.context.of(agentIds);
    } catch (err) {
      this.logError('could not gather the agents\' context', err);
      return undefined;
    }
  }

  private send(message: ApprovalsHostMessage): void {
    if (!this.ready) return;
    try {
      Promise.resolve(this.options.post(message)).catch((err: unknown) => this.logError('could not post to the webview', err));
    } catch (err) {
      this.logError('could not post to the webview', err);
    }
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private logError(what: string, err: unknown): void {
    this.options.log.error(`Approvals panel: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
