// Turns a parsed Claude Code hook payload into facts for the core (session, turn, tool, waiting), says whether the
// reply waits for the sink's verdict (PreToolUse, PermissionRequest), and builds the permission replies Claude
// Code reads. The core decides statuses and approvals; nothing here does.
import type { AgentSignal, ToolAction } from '../../core/agents/agentSignal';
import type {
  ClaudeHookEvent,
  HookPayload,
  HookReply,
  NeutralReply,
  PermissionDecision,
  PermissionRequestReply,
  PreToolUseReply,
} from '../../shared/claudeCode/hookPayloads';
import { summarizeToolCall } from './toolSummary';
import { quotaWallOf } from './quotaWall';

/** Claude Code's Bash tool: 2 minutes unless the call sets `timeout` (ms), at most 10 minutes. */
export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
export const BASH_MAX_TIMEOUT_MS = 600_000;

export interface HookFacts {
  readonly event: ClaudeHookEvent;
  /** What to report, in order (a first sight of a session comes first). */
  readonly facts: readonly AgentSignal[];
  /** The tool call the event is about. */
  readonly tool?: ToolAction;
  /** The reply waits for the sink's verdict on `tool`. */
  readonly asks?: 'PreToolUse' | 'PermissionRequest';
  readonly sessionId: string;
  readonly transcriptPath: string;
  /** Fired inside a subagent: it reports activity, never the main agent's turn or session state. */
  readonly subagent: boolean;
  /** Human-readable detail: a notification's text, a tool error, an end reason. */
  readonly detail?: string;
}

/** How long a tool call may legitimately run: Bash has its own timeout; others have none Flotilla knows. */
export function toolTimeoutMs(tool: string, input: Record<string, unknown>): number | undefined {
  if (tool !== 'Bash') return undefined;
  const asked = typeof input.timeout === 'number' && Number.isFinite(input.timeout) && input.timeout > 0 ? input.timeout : BASH_DEFAULT_TIMEOUT_MS;
  return Math.min(Math.round(asked), BASH_MAX_TIMEOUT_MS);
}

/**
 * The facts of one hook event. `knownSessionId`: the session the agent is known to be in; an event of another
 * (main) session reports that session's start first (http hooks cannot carry SessionStart). `now`: when the event
 * arrived (a reset time given as a wall time is read from then).
 */
export function hookFacts(payload: HookPayload, knownSessionId?: string, now: number = Date.now()): HookFacts {
  const subagent = payload.agent_id !== undefined;
  const base = { event: payload.hook_event_name, sessionId: payload.session_id, transcriptPath: payload.transcript_path, subagent };
  const toolOf = (p: { tool_name: string; tool_input: Record<string, unknown>; tool_use_id?: string }): ToolAction => ({
    tool: p.tool_name,
    input: p.tool_input,
    summary: summarizeToolCall(p.tool_name, p.tool_input, payload.cwd),
    cwd: payload.cwd,
    sessionId: payload.session_id,
    ...(p.tool_use_id !== undefined ? { toolUseId: p.tool_use_id } : {}),
  });
  const session: AgentSignal = { type: 'session', phase: 'started', sessionId: payload.session_id, transcriptPath: payload.transcript_path };
  const newSession = !subagent && payload.hook_event_name !== 'SessionStart' && payload.hook_event_name !== 'SessionEnd' && payload.session_id !== knownSessionId;
  const out = (facts: AgentSignal[], extra: Partial<HookFacts> = {}): HookFacts => ({ ...base, ...extra, facts: newSession ? [session, ...facts] : facts });
  // No detail: a subagent's step is no news for the row (its text would replace the agent's own reason).
  const activity: AgentSignal = { type: 'activity' };

  switch (payload.hook_event_name) {
    case 'SessionStart':
      return out(subagent ? [activity] : [{ ...session, detail: payload.source }], { detail: payload.source });
    case 'UserPromptSubmit':
      return out([subagent ? activity : { type: 'turn', phase: 'started' }]);
    case 'PreToolUse': {
      const tool = toolOf(payload);
      const timeoutMs = toolTimeoutMs(payload.tool_name, payload.tool_input);
      return out([{ type: 'tool', phase: 'started', action: tool, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }], { tool, asks: 'PreToolUse' });
    }
    case 'PermissionRequest':
      // The PreToolUse before it reported the tool; this is Claude Code asking itself, so a human decides.
      return out([], { tool: toolOf(payload), asks: 'PermissionRequest' });
    case 'PostToolUse':
      return out([{ type: 'tool', phase: 'ended', action: toolOf(payload) }], { tool: toolOf(payload) });
    case 'PostToolUseFailure':
      // A failed tool is news for the model, not the end of the agent.
      return out([{ type: 'tool', phase: 'failed', action: toolOf(payload), detail: payload.error }], { tool: toolOf(payload), detail: payload.error });
    case 'Notification':
      return out(subagent ? [] : notificationFacts(payload.notification_type, payload.message), { detail: payload.message });
    case 'Stop': {
      // The last words go with the fact: a turn that ends on a question is a blocker (src/core/health).
      const last = payload.last_assistant_message;
      return out([subagent ? activity : { type: 'turn', phase: 'ended', ...(last ? { lastMessage: last.slice(-2000) } : {}) }]);
    }
    case 'StopFailure': {
      // The turn ended on an API error (rate limit, auth...); the session lives on and can take a new prompt. At the
      // quota wall Claude Code 2.1.197 sends no error_details: its message (with the reset time, if any) is the last one.
      const detail = payload.error_details ?? payload.last_assistant_message ?? payload.error;
      const quota = subagent ? undefined : quotaWallOf(payload.error, detail, now);
      return out([subagent ? activity : { type: 'turn', phase: 'failed', detail, ...(quota ? { quota } : {}) }], { detail });
    }
    case 'SubagentStop':
      return out([activity]);
    case 'SessionEnd':
      return out(subagent ? [activity] : [{ type: 'session', phase: 'ended', sessionId: payload.session_id, detail: payload.reason }], { detail: payload.reason });
  }
}

function notificationFacts(type: string, message: string): AgentSignal[] {
  switch (type) {
    case 'permission_prompt':
      // Claude Code's own permission dialog is up in the terminal.
      return [{ type: 'waiting', for: 'approval', detail: message }];
    case 'elicitation_dialog':
      return [{ type: 'waiting', for: 'input', detail: message }];
    case 'idle_prompt':
      // Sent 60 s after a finished turn: the agent is done and waits for the next prompt, it asked nothing.
      return [];
    default:
      // auth_success, elicitation results and future types: nothing to report.
      return [];
  }
}

/** The empty reply: Claude Code carries on as if no hook had answered. */
export function neutralReply(): NeutralReply {
  return {};
}

/**
 * The exact body Claude Code expects from a PreToolUse or PermissionRequest hook. An undefined decision gives the
 * neutral reply, so Claude Code falls back to its own permission prompt: never an allow by default.
 * PermissionRequest has no 'ask': asking means leaving Claude Code's own dialog up, which the neutral reply does.
 */
export function permissionReply(event: 'PreToolUse', decision: PermissionDecision | undefined, reason?: string): PreToolUseReply | NeutralReply;
export function permissionReply(event: 'PermissionRequest', decision: PermissionDecision | undefined, reason?: string): PermissionRequestReply | NeutralReply;
export function permissionReply(event: 'PreToolUse' | 'PermissionRequest', decision: PermissionDecision | undefined, reason?: string): HookReply;
export function permissionReply(event: 'PreToolUse' | 'PermissionRequest', decision: PermissionDecision | undefined, reason?: string): HookReply {
  if (decision === undefined) return neutralReply();
  if (event === 'PreToolUse') {
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: decision,
        ...(reason !== undefined ? { permissionDecisionReason: reason } : {}),
      },
    };
  }
  if (decision === 'allow') return { hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } };
  if (decision === 'deny') {
    return {
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', ...(reason !== undefined ? { message: reason } : {}) },
      },
    };
  }
  return neutralReply();
}
