// THE CONTRACT between the core and each agent kind (Claude Code, Codex, a custom command, a remote agent): how an
// agent is launched (a plan, not a process: the host runs it), how it is attached (routes, watchers, timers, all in
// a per-agent scope disposed with the agent), what it can do, and where it reports (facts and approval requests).
import type { AgentSnapshot, BudgetLimits } from '../../shared/agent';
import type { AgentKind } from '../../shared/status';
import type { Disposable, DisposableStore } from '../events';
import type { Logger } from '../log';
import type { AgentSignal, ToolAction } from './agentSignal';

export interface AgentCapabilities {
  /** The agent holds a tool call until Flotilla answers (Claude Code hooks, Codex PermissionRequest, protocol v1). */
  readonly blockingApprovals: boolean;
  /** Where its token counts come from: exact per request (transcripts, rollouts), reported by the agent, or none. */
  readonly usage: 'exact' | 'reported' | 'none';
  /** It reports spans (every model request and tool call) for traces. */
  readonly spans: boolean;
  /** Which controls reach it (a terminal can always be closed; a remote agent needs control frames). */
  readonly controls: readonly ('stop' | 'pause' | 'resume' | 'message')[];
  /** It runs in a terminal on this machine (local) or somewhere else (remote). */
  readonly location: 'local' | 'remote';
  /**
   * It reports nothing while it works (a custom command: only its exit is known), so silence is not a stall and
   * the stall watch leaves it alone. Default false: silence while working for `stallSeconds` means stalled.
   */
  readonly silentWhileWorking?: boolean;
  /** New Agent asks the user for a command line to run (a custom command). */
  readonly commandLine?: boolean;
  /**
   * What to type before a prompt Flotilla sends on its own (Resume after the quota wall), to close a dialog the agent
   * may have open that would swallow it. Absent: the prompt is typed as it is.
   */
  readonly dismissBeforePrompt?: string;
}

/** What the user asked for in New Agent (or a startup entry, a template). */
export interface LaunchSpec {
  readonly agent: AgentSnapshot;
  /** The agent's bearer token for the bridge (only here and in the agent's environment, never stored). */
  readonly token: string;
  readonly bridgeUrl: string;
  readonly prompt?: string;
  /** A custom command line (kind `custom`). */
  readonly command?: string;
  readonly budget?: BudgetLimits;
  /** A folder that belongs to this agent alone (settings files, hook configuration). */
  readonly stateDir: string;
  /** The bundled fallback hook program (`dist/hook.js`). */
  readonly hookProgram: string;
  /** How long Flotilla may hold an approval (hook timeouts must exceed it). */
  readonly approvalTimeoutSeconds: number;
  /** Extra environment the user configured for this kind (never overrides Flotilla's own variables). */
  readonly userEnv: Readonly<Record<string, string>>;
}

/** How to start an agent: the host (an integrated terminal, the remote runner's pty) runs it. */
export interface LaunchPlan {
  /** The full command line, quoted for a POSIX shell. */
  readonly commandLine: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Files to write before starting (absolute paths), e.g. per-agent settings. */
  readonly files?: readonly { readonly path: string; readonly content: string; readonly mode?: number }[];
  /** Text in the agent's terminal that means it waits for the user there (trust dialogs, logins), with a reason. */
  readonly terminalPrompts?: readonly { readonly pattern: RegExp; readonly reason: string }[];
}

/** The verdict on an action an agent asked to take: from the gates (quarantine, policy, budget ...) or a human. */
export type Verdict =
  | { readonly decision: 'allow'; readonly reason?: string; readonly by: 'policy' | 'user' | 'supervisor' }
  | { readonly decision: 'deny'; readonly reason: string; readonly by: 'policy' | 'user' | 'timeout' | 'supervisor' }
  /**
   * Nobody decided: the agent's own check (its dialog) stays in force. Never an allow. `by`: 'timeout' when nobody
   * answered in time, 'supervisor' when the request went stale or Flotilla could not decide; absent: no gate had an
   * opinion and the agent was meant to decide.
   */
  | { readonly decision: 'ask'; readonly reason: string; readonly by?: 'timeout' | 'supervisor' };

export interface ApprovalOptions {
  /**
   * Who decides when no gate does (the policy has no rule, tier 'pass'): a human in Flotilla ('human', the default:
   * the agent is blocked on this request), or the agent's own permission check ('agent': the verdict is 'ask'; for
   * Claude Code's PreToolUse, whose own dialog and PermissionRequest hook follow).
   */
  readonly whenNoGateDecides?: 'human' | 'agent';
}

/** Where an adapter reports. Implemented by the core; adapters never touch the fleet directly. */
export interface AgentSignalSink {
  /** Never throws: a fact the state machine refuses is logged with the agent and ignored. */
  signal(agentId: string, signal: AgentSignal): void;
  /**
   * Gates first (budget, then the policy with the quarantine: prohibited denied, autonomous allowed, a quarantined
   * agent's actions sent to a human), then a human; `abort` when the agent hangs up. Never rejects and never
   * defaults to allow: anything unexpected is an 'ask' (the agent's own check stays in force).
   */
  approve(agentId: string, action: ToolAction, abort: AbortSignal, options?: ApprovalOptions): Promise<Verdict>;
  /**
   * Whether a budget binds the agent now (its own, its group's or the fleet's): then the usage of the request that
   * asked for a tool call decides it, and an adapter that learns usage late (a transcript written after the hook)
   * counts it before calling approve(), at some latency. Without a budget it need not wait.
   */
  budgetBinds?(agentId: string): boolean;
}

/** Stop, pause, resume, message: implemented by the terminal host for local agents and by the socket session for remote ones. */
export interface AgentControl {
  stop(agentId: string, why: string): Promise<void>;
  pause?(agentId: string, why: string): Promise<void>;
  resume?(agentId: string): Promise<void>;
  message?(agentId: string, text: string): Promise<void>;
}

/** What the core lends an adapter when it is activated once (shared routes, not per agent). */
export interface AdapterHost {
  readonly sink: AgentSignalSink;
  readonly log: Logger;
  /** Finds a live agent of this kind by the bearer token it presented. */
  agentByToken(token: string): AgentSnapshot | undefined;
  agent(agentId: string): AgentSnapshot | undefined;
  /** Registers an HTTP route on the bridge (authenticated by agent token before the body is read). */
  route?(path: string, handler: AdapterRoute): Disposable;
}

export interface AdapterRouteRequest {
  readonly agent: AgentSnapshot;
  readonly body: unknown;
}
export type AdapterRoute = (request: AdapterRouteRequest, abort: AbortSignal) => Promise<{ readonly status: number; readonly body: unknown }>;

export interface AgentAdapter {
  readonly kind: AgentKind;
  /** For people: "Claude Code", "Codex", "Custom command", "Remote agent". */
  readonly label: string;
  readonly capabilities: AgentCapabilities;
  /** Once, when the core starts: shared routes and watchers. Returns what to dispose on shutdown. */
  activate?(host: AdapterHost): Disposable;
  /** How to start an agent of this kind here. Absent: not launchable from this machine (remote agents). */
  plan?(spec: LaunchSpec): Promise<LaunchPlan>;
  /** Per agent, when it starts or is found again after a reload: watchers and timers live in `scope`. */
  attach(agent: AgentSnapshot, sink: AgentSignalSink, scope: DisposableStore): void;
}
