// What Codex's command hooks send on stdin (forwarded by the hook program to the bridge), validated with zod, and
// the replies Codex reads back. Shapes seen on Codex 0.171.0: Claude-style, with `turn_id` and a nullable rollout.
import { z } from 'zod';
import { CODEX_HOOK_EVENTS } from './codexHookConfig';

const Text = z.string().max(64 * 1024);
const Id = z.string().min(1).max(256);

const common = {
  session_id: Id,
  /** The rollout (`$CODEX_HOME/sessions/.../rollout-*.jsonl`); null before Codex has one. */
  transcript_path: z.string().max(4096).nullish(),
  cwd: z.string().max(4096),
  model: z.string().max(256).optional(),
  turn_id: z.string().max(256).optional(),
};
const ToolInput = z.record(z.string(), z.unknown());

export const CodexHookPayloadSchema = z.discriminatedUnion('hook_event_name', [
  z.looseObject({ ...common, hook_event_name: z.literal('SessionStart'), source: z.string().max(64).optional() }),
  z.looseObject({ ...common, hook_event_name: z.literal('UserPromptSubmit'), prompt: Text.optional() }),
  z.looseObject({ ...common, hook_event_name: z.literal('PreToolUse'), tool_name: Id, tool_input: ToolInput, tool_use_id: Id.optional() }),
  z.looseObject({ ...common, hook_event_name: z.literal('PermissionRequest'), tool_name: Id, tool_input: ToolInput }),
  z.looseObject({ ...common, hook_event_name: z.literal('PostToolUse'), tool_name: Id, tool_input: ToolInput, tool_use_id: Id.optional() }),
  z.looseObject({ ...common, hook_event_name: z.literal('Stop'), last_assistant_message: Text.nullish() }),
]);
export type CodexHookPayload = z.infer<typeof CodexHookPayloadSchema>;

export type PayloadParse = { readonly ok: true; readonly payload: CodexHookPayload } | { readonly ok: false; readonly error: string };

/** Parses a hook body; the error names the field (and the event) that failed. */
export function parseCodexHookPayload(body: unknown): PayloadParse {
  const name = (body as { hook_event_name?: unknown } | null)?.hook_event_name;
  if (typeof name !== 'string') return { ok: false, error: 'hook_event_name: missing' };
  if (!(CODEX_HOOK_EVENTS as readonly string[]).includes(name)) return { ok: false, error: `hook_event_name: unsupported event '${name.slice(0, 64)}'` };
  const parsed = CodexHookPayloadSchema.safeParse(body);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid payload'}` };
}

/** `{}`: Codex goes on as if no hook had answered (its own approval logic decides). */
export type NeutralReply = Record<string, never>;
export interface PreToolUseDeny {
  readonly hookSpecificOutput: { readonly hookEventName: 'PreToolUse'; readonly permissionDecision: 'deny'; readonly permissionDecisionReason: string };
}
export interface PermissionRequestReply {
  readonly hookSpecificOutput: {
    readonly hookEventName: 'PermissionRequest';
    readonly decision: { readonly behavior: 'allow' } | { readonly behavior: 'deny'; readonly message: string };
  };
}
export type CodexHookReply = NeutralReply | PreToolUseDeny | PermissionRequestReply;

export const neutralReply = (): NeutralReply => ({});

/** Codex's PreToolUse takes only a deny (a bare allow or ask is refused as unsupported). */
export const preToolUseDeny = (reason: string): PreToolUseDeny => ({
  hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
});

export const permissionAllow = (): PermissionRequestReply => ({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });

export const permissionDeny = (message: string): PermissionRequestReply => ({
  hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message } },
});
