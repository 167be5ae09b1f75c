// Claude Code hook payloads (what its hooks POST or pipe to Flotilla) and the replies Flotilla sends back.
// Known fields are typed and bounded; unknown extra fields are kept, since every Claude Code release adds some.
import { z } from 'zod';
import { jsonLimitProblem } from '../jsonLimits';
import type { JsonLimits } from '../jsonLimits';
import { reportIssue } from '../protocol/issues';

/**
 * Largest hook payload accepted, in UTF-8 bytes: the bridge's body limit and the hook program's stdin limit.
 * Claude Code clips what it sends (a Read returns at most ~25k tokens, Bash output 30k characters), so a bigger
 * payload is not one of its own; refusing it leaves the decision to Claude Code's own prompt.
 */
export const MAX_HOOK_PAYLOAD_BYTES = 1024 * 1024;
const MAX_ID = 256;
const MAX_PATH = 4096;
const MAX_LABEL = 512;
/** Prompts, assistant messages, errors, and any string inside a tool input or response: big but bounded. */
const MAX_TEXT = MAX_HOOK_PAYLOAD_BYTES / 2;
const MAX_LIST = 1000;

/**
 * Shape limits checked before the schema (zod's walk, JSON.stringify and the views recurse): no container 64 levels
 * below the payload object, at most 100 000 values, no string longer than MAX_TEXT.
 */
export const HOOK_PAYLOAD_LIMITS: JsonLimits = { maxDepth: 64, maxNodes: 100_000, maxStringLength: MAX_TEXT, strict: true };

export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'Stop',
  'StopFailure',
  'SubagentStop',
  'SessionEnd',
] as const;
export type ClaudeHookEvent = (typeof CLAUDE_HOOK_EVENTS)[number];

/** Values seen in Claude Code 2.1.197; other values are accepted (new releases add some). */
export const KNOWN_SESSION_START_SOURCES = ['startup', 'resume', 'clear', 'compact'] as const;
export const KNOWN_SESSION_END_REASONS = ['clear', 'resume', 'logout', 'prompt_input_exit', 'other', 'bypass_permissions_disabled'] as const;
export const KNOWN_NOTIFICATION_TYPES = [
  'permission_prompt',
  'idle_prompt',
  'auth_success',
  'elicitation_dialog',
  'elicitation_complete',
  'elicitation_response',
] as const;

const Id = z.string().min(1).max(MAX_ID);
const Path = z.string().min(1).max(MAX_PATH);
const Label = z.string().max(MAX_LABEL);
const Text = z.string().max(MAX_TEXT);
const ToolName = z.string().min(1).max(MAX_LABEL);
/** The Messages API makes every tool input a JSON object. */
const ToolInput = z.record(z.string(), z.unknown());

const common = {
  session_id: Id,
  transcript_path: Path,
  cwd: Path,
  permission_mode: Label.optional(),
  prompt_id: Id.optional(),
  /** Set when the hook fires inside a subagent (a Task/Agent tool worker). */
  agent_id: Id.optional(),
  agent_type: Label.optional(),
};

const event = <E extends ClaudeHookEvent, S extends z.ZodRawShape>(name: E, shape: S) =>
  z.looseObject({ ...common, hook_event_name: z.literal(name), ...shape });

const tool = { tool_name: ToolName, tool_input: ToolInput };

export const SessionStartPayloadSchema = event('SessionStart', {
  source: Label,
  model: Label.optional(),
});
export const UserPromptSubmitPayloadSchema = event('UserPromptSubmit', { prompt: Text });
export const PreToolUsePayloadSchema = event('PreToolUse', { ...tool, tool_use_id: Id });
export const PermissionRequestPayloadSchema = event('PermissionRequest', {
  ...tool,
  permission_suggestions: z.array(z.unknown()).max(MAX_LIST).optional(),
});
export const PostToolUsePayloadSchema = event('PostToolUse', {
  ...tool,
  tool_use_id: Id,
  tool_response: z.unknown(),
  duration_ms: z.number().nonnegative().optional(),
});
export const PostToolUseFailurePayloadSchema = event('PostToolUseFailure', {
  ...tool,
  tool_use_id: Id,
  error: Text,
  is_interrupt: z.boolean().optional(),
  duration_ms: z.number().nonnegative().optional(),
});
export const NotificationPayloadSchema = event('Notification', {
  message: Text,
  title: Label.optional(),
  notification_type: Label,
});
export const StopPayloadSchema = event('Stop', {
  stop_hook_active: z.boolean(),
  last_assistant_message: Text.optional(),
});
export const StopFailurePayloadSchema = event('StopFailure', {
  error: Text,
  error_details: Text.optional(),
  last_assistant_message: Text.optional(),
});
export const SubagentStopPayloadSchema = event('SubagentStop', {
  stop_hook_active: z.boolean(),
  agent_id: Id,
  agent_type: Label,
  agent_transcript_path: Path.optional(),
  last_assistant_message: Text.optional(),
});
export const SessionEndPayloadSchema = event('SessionEnd', { reason: Label });

export const HookPayloadSchema = z.discriminatedUnion('hook_event_name', [
  SessionStartPayloadSchema,
  UserPromptSubmitPayloadSchema,
  PreToolUsePayloadSchema,
  PermissionRequestPayloadSchema,
  PostToolUsePayloadSchema,
  PostToolUseFailurePayloadSchema,
  NotificationPayloadSchema,
  StopPayloadSchema,
  StopFailurePayloadSchema,
  SubagentStopPayloadSchema,
  SessionEndPayloadSchema,
]);
export type HookPayload = z.infer<typeof HookPayloadSchema>;
export type HookPayloadOf<E extends ClaudeHookEvent> = Extract<HookPayload, { hook_event_name: E }>;

export type ParseHookPayloadResult =
  | { readonly ok: true; readonly payload: HookPayload }
  | { readonly ok: false; readonly error: string; readonly field: string };

const fail = (field: string, error: string): ParseHookPayloadResult => ({ ok: false, field, error });

/** Parses a hook payload from its JSON text (size-checked first) or from an already parsed value. */
export function parseHookPayload(json: string | unknown): ParseHookPayloadResult {
  let value: unknown = json;
  if (typeof json === 'string') {
    // A UTF-16 length already over the byte limit is certainly over it; otherwise count the bytes.
    if (json.length > MAX_HOOK_PAYLOAD_BYTES || new TextEncoder().encode(json).length > MAX_HOOK_PAYLOAD_BYTES) {
      return fail('payload', `payload: larger than ${MAX_HOOK_PAYLOAD_BYTES} bytes`);
    }
    try {
      value = JSON.parse(json);
    } catch (err) {
      return fail('payload', `payload: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('payload', 'payload: expected a JSON object');
  }
  const limit = jsonLimitProblem(value, HOOK_PAYLOAD_LIMITS);
  if (limit !== undefined) {
    const field = limit.field === '' ? 'payload' : limit.field;
    return fail(field, `${field}: ${limit.message}`);
  }
  const name = (value as { hook_event_name?: unknown }).hook_event_name;
  if (typeof name !== 'string') return fail('hook_event_name', 'hook_event_name: required field missing (expected string)');
  if (!(CLAUDE_HOOK_EVENTS as readonly string[]).includes(name)) {
    return fail('hook_event_name', `hook_event_name: unsupported event '${name.slice(0, 64)}'`);
  }
  const parsed = HookPayloadSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return fail('payload', `${name}: invalid payload`);
  const report = reportIssue(name, issue);
  return fail(report.field, report.message);
}

// ---- Replies ---------------------------------------------------------------------------------------

export const PERMISSION_DECISIONS = ['allow', 'deny', 'ask'] as const;
export type PermissionDecision = (typeof PERMISSION_DECISIONS)[number];

export const PreToolUseReplySchema = z.strictObject({
  hookSpecificOutput: z.strictObject({
    hookEventName: z.literal('PreToolUse'),
    permissionDecision: z.enum(PERMISSION_DECISIONS),
    permissionDecisionReason: z.string().max(16 * 1024).optional(),
  }),
});
export type PreToolUseReply = z.infer<typeof PreToolUseReplySchema>;

export const PermissionRequestReplySchema = z.strictObject({
  hookSpecificOutput: z.strictObject({
    hookEventName: z.literal('PermissionRequest'),
    decision: z.union([
      z.strictObject({ behavior: z.literal('allow') }),
      z.strictObject({ behavior: z.literal('deny'), message: z.string().max(16 * 1024).optional() }),
    ]),
  }),
});
export type PermissionRequestReply = z.infer<typeof PermissionRequestReplySchema>;

/** `{}`: Claude Code goes on exactly as if no hook had answered (its own permission logic decides). */
export const NeutralReplySchema = z.strictObject({});
export type NeutralReply = z.infer<typeof NeutralReplySchema>;

export const HookReplySchema = z.union([PreToolUseReplySchema, PermissionRequestReplySchema, NeutralReplySchema]);
export type HookReply = z.infer<typeof HookReplySchema>;
