// The Claude Code adapter: launch plan (claudePlan), hooks on the bridge (hookRoute) and, per agent, its transcripts
// watched for usage and interruptions (transcriptWatch), and Claude Code's own session status file (sessionStatus). It reports facts; the core decides statuses and approvals.
import type { AdapterHost, AgentAdapter, AgentCapabilities, AgentSignalSink, LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import { toDisposable } from '../../core/events';
import type { Disposable, DisposableStore } from '../../core/events';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import { claudePlan } from './claudePlan';
import { HOOKS_PATH } from './hookSettings';
import { handleClaudeHook } from './hookRoute';
import { CLOSE_CLAUDE_DIALOG } from './quotaWall';
import type { StoredRequest } from './transcriptCatchUp';
import type { ClaudeAgentState } from './hookRoute';
import { ClaudeAgent } from './claudeAgent';
import { ClaudeSessionStatuses } from './sessionStatus';
import { OTEL_LOGS_PATH, OtelUsage } from './otelUsage';

export interface ClaudeCodeAdapterOptions {
  /** `flotilla.claudeCodePath`, read at each launch. */
  readonly claudePath: () => string;
  readonly log: Logger;
  /** The environment agents' terminals inherit (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  /** The requests the store holds for an agent, for the transcript catch-up after a reload (transcriptCatchUp.ts). */
  readonly storedRequests?: (agentId: string) => readonly StoredRequest[];
}

export class ClaudeCodeAdapter implements AgentAdapter {
  readonly kind = 'claude-code' as const;
  readonly label = 'Claude Code';
  readonly capabilities: AgentCapabilities = { blockingApprovals: true, usage: 'exact', spans: false, controls: ['stop'], location: 'local', dismissBeforePrompt: CLOSE_CLAUDE_DIALOG };
  private readonly agents = new Map<string, ClaudeAgentState>();
  private readonly statuses: ClaudeSessionStatuses;
  /** Side queries' usage from Claude Code's OpenTelemetry events (otelUsage.ts). */
  private readonly otel: OtelUsage;

  constructor(private readonly options: ClaudeCodeAdapterOptions) {
    this.statuses = new ClaudeSessionStatuses(options.log);
    this.otel = new OtelUsage(options.log, (id) => (options.storedRequests?.(id) ?? []).flatMap((r) => (r.requestId !== undefined ? [r.requestId] : [])));
  }

  /** What the store holds for an agent that had transcripts already (a reload); a failed read: the per-model catch-up. */
  private storedRequests(agent: AgentSnapshot): readonly StoredRequest[] | undefined {
    if (agent.transcriptPaths.length === 0 || !this.options.storedRequests) return undefined;
    try {
      return this.options.storedRequests(agent.id);
    } catch (err) {
      this.options.log.warn(`agent ${agent.name}: could not read its stored requests (${err instanceof Error ? err.message : String(err)}); catching up per model`);
      return undefined;
    }
  }

  activate(host: AdapterHost): Disposable {
    if (!host.route) throw new Error('Claude Code needs the bridge for its hooks');
    const route = host.route(HOOKS_PATH, (request, abort) => handleClaudeHook(request, abort, { sink: host.sink, log: host.log, state: (id) => this.agents.get(id) }));
    const otel = host.route(OTEL_LOGS_PATH, (request) => Promise.resolve(this.otel.handle(request, this.agents.get(request.agent.id)?.sink ?? host.sink)));
    return toDisposable(() => {
      route.dispose();
      otel.dispose();
      this.statuses.dispose();
    });
  }

  plan(spec: LaunchSpec): Promise<LaunchPlan> {
    return claudePlan(spec, { claudePath: this.options.claudePath, log: this.options.log, env: this.options.env ?? process.env, ...(this.options.home ? { home: this.options.home } : {}) });
  }

  attach(agent: AgentSnapshot, sink: AgentSignalSink, scope: DisposableStore): void {
    const state = new ClaudeAgent(agent, sink, this.statuses, this.options.log, scope, this.storedRequests(agent));
    this.agents.set(agent.id, state);
    scope.add(
      toDisposable(() => {
        if (this.agents.get(agent.id) !== state) return;
        this.agents.delete(agent.id);
        this.otel.forget(agent.id);
      }),
    );
  }
}
