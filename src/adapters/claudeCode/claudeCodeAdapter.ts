// The Claude Code adapter: launch plan (claudePlan), hooks on the bridge (hookRoute) and, per agent, its transcripts
// watched for usage and interruptions (transcriptWatch). It reports facts; the core decides statuses and approvals.
import type { AdapterHost, AgentAdapter, AgentCapabilities, AgentSignalSink, LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import { toDisposable } from '../../core/events';
import type { Disposable, DisposableStore } from '../../core/events';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import { claudePlan } from './claudePlan';
import { HOOKS_PATH } from './hookSettings';
import { handleClaudeHook } from './hookRoute';
import type { ClaudeAgentState } from './hookRoute';
import { TranscriptWatch } from './transcriptWatch';

export interface ClaudeCodeAdapterOptions {
  /** `flotilla.claudeCodePath`, read at each launch. */
  readonly claudePath: () => string;
  readonly log: Logger;
  /** The environment agents' terminals inherit (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
}

export class ClaudeCodeAdapter implements AgentAdapter {
  readonly kind = 'claude-code' as const;
  readonly label = 'Claude Code';
  readonly capabilities: AgentCapabilities = { blockingApprovals: true, usage: 'exact', spans: false, controls: ['stop'], location: 'local' };
  private readonly agents = new Map<string, ClaudeAgentState>();

  constructor(private readonly options: ClaudeCodeAdapterOptions) {}

  activate(host: AdapterHost): Disposable {
    if (!host.route) throw new Error('Claude Code needs the bridge for its hooks');
    return host.route(HOOKS_PATH, (request, abort) => handleClaudeHook(request, abort, { sink: host.sink, log: host.log, state: (id) => this.agents.get(id) }));
  }

  plan(spec: LaunchSpec): Promise<LaunchPlan> {
    return claudePlan(spec, { claudePath: this.options.claudePath, log: this.options.log, env: this.options.env ?? process.env, ...(this.options.home ? { home: this.options.home } : {}) });
  }

  attach(agent: AgentSnapshot, sink: AgentSignalSink, scope: DisposableStore): void {
    const transcripts = scope.add(
      new TranscriptWatch({ agentId: agent.id, sink, log: this.options.log, known: { paths: agent.transcriptPaths, counted: agent.usageByModel } }),
    );
    const state: ClaudeAgentState = {
      sink,
      ...(agent.sessionId !== undefined ? { sessionId: agent.sessionId } : {}),
      followTranscript: (path) => transcripts.follow(path),
    };
    this.agents.set(agent.id, state);
    scope.add(toDisposable(() => this.agents.get(agent.id) === state && this.agents.delete(agent.id)));
  }
}
