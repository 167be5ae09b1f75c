// The Codex CLI as a Flotilla agent kind: launched as the interactive TUI in a terminal (codexLaunch), reporting
// through its command hooks to the bridge route /hooks/codex (the bundled hook program forwards them) and its
// rollout file (exact tokens per response, interrupted turns).
import type { AdapterHost, AdapterRoute, AgentAdapter, AgentCapabilities, AgentSignalSink, LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import type { Disposable, DisposableStore } from '../../core/events';
import { toDisposable } from '../../core/events';
import type { Logger } from '../../core/log';
import type { AgentSnapshot } from '../../shared/agent';
import { CODEX_HOOKS_PATH } from './codexHookConfig';
import { parseCodexHookPayload } from './codexHookPayloads';
import type { CodexLaunchOptions } from './codexLaunch';
import { codexLaunchPlan } from './codexLaunch';
import { CodexSession } from './codexSession';
import type { CodexSessionOptions } from './codexSession';

export interface CodexAdapterOptions extends CodexLaunchOptions, CodexSessionOptions {}

const silent: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export class CodexAdapter implements AgentAdapter {
  readonly kind = 'codex' as const;
  readonly label = 'Codex';
  readonly capabilities: AgentCapabilities = {
    // PermissionRequest holds an escalation until Flotilla answers; PreToolUse can deny.
    blockingApprovals: true,
    usage: 'exact',
    spans: false,
    // The terminal host stops it; Codex has no pause or message channel Flotilla can use.
    controls: ['stop'],
    location: 'local',
  };
  private readonly sessions = new Map<string, CodexSession>();
  private host: AdapterHost | undefined;

  constructor(private readonly options: CodexAdapterOptions = {}) {}

  private get log(): Logger {
    return this.host?.log ?? silent;
  }

  activate(host: AdapterHost): Disposable {
    this.host = host;
    if (!host.route) {
      host.log.warn('codex: the bridge offers no routes; Codex agents will report nothing');
      return toDisposable(() => undefined);
    }
    return host.route(CODEX_HOOKS_PATH, this.onHook);
  }

  plan(spec: LaunchSpec): Promise<LaunchPlan> {
    return Promise.resolve(codexLaunchPlan(spec, this.options));
  }

  attach(agent: AgentSnapshot, sink: AgentSignalSink, scope: DisposableStore): void {
    const session = new CodexSession(agent.id, sink, this.log, this.options);
    this.sessions.get(agent.id)?.dispose();
    this.sessions.set(agent.id, session);
    // Found again after a reload: its usage so far is counted; follow what the rollout gains from now on.
    if (agent.transcriptPath) session.follow(agent.transcriptPath, 'end');
    scope.add(
      toDisposable(() => {
        session.dispose();
        if (this.sessions.get(agent.id) === session) this.sessions.delete(agent.id);
      }),
    );
  }

  /** The bridge route: the token already named the agent; the body is a Codex hook payload. */
  private readonly onHook: AdapterRoute = async ({ agent, body }, abort) => {
    if (agent.kind !== 'codex') return { status: 403, body: { error: `agent ${agent.id} is not a Codex agent` } };
    const parsed = parseCodexHookPayload(body);
    if (!parsed.ok) {
      this.log.warn(`codex agent ${agent.id}: hook payload refused: ${parsed.error}`);
      return { status: 400, body: { error: parsed.error } };
    }
    const session = this.sessions.get(agent.id);
    if (!session) {
      this.log.warn(`codex agent ${agent.id}: ${parsed.payload.hook_event_name} from an agent that is not attached; ignored`);
      return { status: 200, body: {} };
    }
    return { status: 200, body: await session.onHook(parsed.payload, abort) };
  };
}
