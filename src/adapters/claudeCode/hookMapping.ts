// Turns a parsed Claude Code hook payload into what the supervisor does with it: the status event, the tool
// being run, and whether the hook must wait for a decision; and builds the permission replies Claude Code reads.
import type { StatusEvent } from '../../core/statusMachine';
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

export interface HookToolCall {
  readonly name: string;
  /** One line, e.g. "Bash: git push origin feature". */
  readonly summary: string;
  readonly input: Record<string, unknown>;
  /** Absent for PermissionRequest, which does not carry it. */
  readonly toolUseId?: string;
}

export interface HookAction {
  readonly event: ClaudeHookEvent;
  /** What to feed the status machine; undefined: nothing changes (the event is only recorded). */
  readonly status: StatusEvent | undefined;
  readonly sessionId: string;
  readonly transcriptPath: string;
  readonly cwd: string;
  readonly tool?: HookToolCall;
  /** The reply must wait for a decision (a human, or the policy's timeout). */
  readonly waitsForDecision: boolean;
  /** Fired inside a subagent: it reports activity, never the main agent's turn or session state. */
  readonly subagent: boolean;
  /** Human-readable detail: a notification's text, a tool error, an end reason. */
  readonly detail?: string;
}

export interface HookMappingOptions {
  /** The approval policy says this PreToolUse call needs a human (tier 'approve'): hold the reply. */
  readonly preToolUseNeedsApproval?: boolean;
}

function notificationStatus(type: string): StatusEvent | undefined {
  switch (type) {
    case 'permission_prompt':
      return 'approvalRequested';
    case 'idle_prompt':
    case 'elicitation_dialog':
      return 'inputRequested';
    default:
      // auth_success, elicitation results and future types: recorded, no status change.
      return undefined;
  }
}

export function mapHookPayload(payload: HookPayload, options: HookMappingOptions = {}): HookAction {
  const subagent = payload.agent_id !== undefined;
  const base = {
    event: payload.hook_event_name,
    sessionId: payload.session_id,
    transcriptPath: payload.transcript_path,
    cwd: payload.cwd,
    subagent,
    waitsForDecision: false,
  };
  const toolOf = (p: { tool_name: string; tool_input: Record<string, unknown>; tool_use_id?: string }): HookToolCall => ({
    name: p.tool_name,
    summary: summarizeToolCall(p.tool_name, p.tool_input, payload.cwd),
    input: p.tool_input,
    ...(p.tool_use_id !== undefined ? { toolUseId: p.tool_use_id } : {}),
  });

  switch (payload.hook_event_name) {
    case 'SessionStart':
      return { ...base, status: 'sessionStarted', detail: payload.source };
    case 'UserPromptSubmit':
      return { ...base, status: subagent ? 'activity' : 'promptSubmitted' };
    case 'PreToolUse': {
      const waits = options.preToolUseNeedsApproval === true;
      return { ...base, status: waits ? 'approvalRequested' : 'activity', tool: toolOf(payload), waitsForDecision: waits };
    }
    case 'PermissionRequest':
      return { ...base, status: 'approvalRequested', tool: toolOf(payload), waitsForDecision: true };
    case 'PostToolUse':
      return { ...base, status: 'activity', tool: toolOf(payload) };
    case 'PostToolUseFailure':
      // A failed tool is news for the model, not the end of the agent.
      return { ...base, status: 'activity', tool: toolOf(payload), detail: payload.error };
    case 'Notification':
      return { ...base, status: subagent ? undefined : notificationStatus(payload.notification_type), detail: payload.message };
    case 'Stop':
      return { ...base, status: subagent ? 'activity' : 'turnEnded' };
    case 'StopFailure':
      // The turn ended on an API error (rate limit, auth...); the session lives on and can take a new prompt.
      return { ...base, status: subagent ? 'activity' : 'turnEnded', detail: payload.error_details ?? payload.error };
    case 'SubagentStop':
      return { ...base, status: 'activity' };
    case 'SessionEnd':
      return { ...base, status: 'completed', detail: payload.reason };
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
