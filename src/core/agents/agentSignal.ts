// The facts an agent adapter reports about its agent. Adapters say what happened (a turn ended, a tool started, the
// process exited); only the core (fleet/signalRouter) turns facts into statuses. One usage shape, with add semantics.
import type { Usage } from '../../shared/agent';

/** A tool call an agent wants to make or made, classified for the policy and the UI. */
export interface ToolAction {
  /** The agent's own tool name: Bash, Edit, exec_command, an MCP tool ... */
  readonly tool: string;
  /** The raw tool input (untrusted JSON; the policy validates it). */
  readonly input: unknown;
  /** One line for people: "Bash: git push origin feature". */
  readonly summary: string;
  /** The agent's id for this call, when it has one (pairs started/ended). */
  readonly toolUseId?: string;
  /** The directory the call runs in. */
  readonly cwd?: string;
  /** The agent's session the call belongs to (session-scoped "always allow" rules match on it). */
  readonly sessionId?: string;
}

/**
 * A span the agent timed itself (a remote agent's `span` frame), as reported: its own ids (a trace id handed over from
 * another agent keeps the work in that agent's trace), times and tokens unchecked (the trace recorder marks problems).
 */
export interface ReportedSpan {
  readonly spanId: string;
  readonly traceId?: string;
  readonly parentSpanId?: string;
  readonly taskId?: string;
  readonly kind: 'agent' | 'task' | 'model' | 'tool' | 'log';
  readonly name: string;
  readonly status: 'running' | 'ok' | 'error';
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly model?: string;
  readonly tokens?: Usage;
  readonly costUsd?: number;
  readonly attributes: Readonly<Record<string, string | number | boolean | null>>;
  readonly message?: string;
}

export type AgentSignal =
  /**
   * A session of the agent began (Claude Code SessionStart, a remote hello) or ended (SessionEnd, bye). `stopped`:
   * it ended because someone stopped it where it runs (`flotilla-agent stop` on a runner), not because its work was done.
   */
  | { readonly type: 'session'; readonly phase: 'started' | 'ended'; readonly sessionId?: string; readonly transcriptPath?: string; readonly detail?: string; readonly stopped?: boolean }
  /** A turn: a prompt reached the agent (started), it finished (ended), was interrupted by the user, or failed. */
  | {
      readonly type: 'turn';
      readonly phase: 'started' | 'ended' | 'interrupted' | 'failed';
      readonly detail?: string;
      /** The agent's last words in the turn (Claude Code's Stop), when known: a question there is a blocker. */
      readonly lastMessage?: string;
      /**
       * A failed turn that hit the model API's quota wall (a rate or usage limit); `resetsAt`: the reset time (epoch
       * ms) the agent reported, only when it named one (never guessed). `detail` carries the API's message.
       */
      readonly quota?: { readonly resetsAt?: number };
    }
  /** A tool call began, ended or failed. `timeoutMs`: how long it may legitimately run (a build, a test run). */
  | { readonly type: 'tool'; readonly phase: 'started' | 'ended' | 'failed'; readonly action: ToolAction; readonly detail?: string; readonly timeoutMs?: number }
  /**
   * The agent waits: for an answer to a question it asked (input), for a permission it cannot get through Flotilla
   * (approval, e.g. its own dialog), for something only the user can do in its terminal (trust dialog, login), or,
   * for a remote agent that never said hello, for its first connection (accepted only while it is starting).
   */
  | { readonly type: 'waiting'; readonly for: 'input' | 'approval' | 'terminal' | 'connection'; readonly detail?: string }
  /**
   * Tokens one model request used, added to what the agent used before (adapters de-duplicate per request).
   * `cacheWrite1h`: of delta.cacheWrite, the 1-hour cache writes (priced higher); `subagent`: the subagent that made it,
   * `subagentType` its kind when the agent says ("Explore").
   */
  | {
      readonly type: 'usage';
      readonly model: string;
      readonly delta: Usage;
      readonly requestId?: string;
      readonly costUsd?: number;
      readonly cacheWrite1h?: number;
      readonly subagent?: string;
      readonly subagentType?: string;
    }
  /**
   * A span the agent reported with its own ids (remote `span` frames that name a trace, a parent or a task): the trace
   * recorder stores it as reported; the tool and usage facts of the same span (status, metering) do not add another.
   */
  | { readonly type: 'span'; readonly span: ReportedSpan }
  /** The agent's process ended (terminal host, runner). */
  | { readonly type: 'process'; readonly phase: 'exited'; readonly exitCode?: number; readonly detail?: string }
  /** A remote agent's connection came up, went away (closed), or broke without a goodbye (unreachable: maybe back soon). */
  | { readonly type: 'connection'; readonly phase: 'connected' | 'lost' | 'unreachable'; readonly detail?: string }
  /** Something happened that shows the agent is alive (a subagent's step, a heartbeat) but changes no state. */
  | { readonly type: 'activity'; readonly detail?: string }
  /** The agent says it is stuck (a remote heartbeat's `stalled`); silence is the core's stall watch's business. */
  | { readonly type: 'stalled'; readonly detail?: string }
  /**
   * Where the agent says it is in its plan (a remote heartbeat's step k of n, its blockers), as reported: k > n or a
   * missing n are kept (src/core/health marks them). Changes no status.
   */
  | { readonly type: 'progress'; readonly step: number; readonly of?: number; readonly label?: string; readonly blockers?: readonly string[] };

export type AgentSignalType = AgentSignal['type'];
