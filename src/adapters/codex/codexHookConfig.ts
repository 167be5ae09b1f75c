// Codex's command hooks for one Flotilla agent, as `-c key=value` overrides on its command line: the hooks
// themselves and the trust entries that let them run without the TUI's "Hooks need review" screen. Nothing is
// written to the user's ~/.codex: Codex keeps command-line hooks in its "session flags" layer and merges them,
// and their trust, with the user's own (verified on Codex 0.171.0).
import { createHash } from 'node:crypto';
import { quote } from 'shell-quote';

/** The bridge route Codex's hooks post to (the bundled hook program's `--path`). */
export const CODEX_HOOKS_PATH = '/hooks/codex';

export const CODEX_HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'] as const;
export type CodexHookEvent = (typeof CODEX_HOOK_EVENTS)[number];

const TOOL_EVENTS: ReadonlySet<CodexHookEvent> = new Set(['PreToolUse', 'PermissionRequest', 'PostToolUse']);

/** Where Codex 0.171 files hooks that came from `-c` (part of each trust key). */
const SESSION_FLAGS_SOURCE = '/<session-flags>/config.toml';

/**
 * Shown by the TUI next to "Working" while the PermissionRequest hook runs. Codex hides its own approval dialog
 * until the hook answers, so this line is all the terminal says about the wait.
 */
export const APPROVAL_STATUS_MESSAGE = "Waiting for your answer in Flotilla's Approvals panel";

/**
 * Shown while the PreToolUse hook runs: Flotilla's policy judges every command there, and a command the policy
 * sends to a person waits in the Approvals panel (Codex's PreToolUse can deny but not allow, so a person's answer
 * is given there, before Codex's own sandbox check).
 */
export const POLICY_STATUS_MESSAGE = "Checking with Flotilla (an approval may wait in its Approvals panel)";

/** The events whose hook may wait for a person in Flotilla: they get the approval timeout and a status line. */
const STATUS_MESSAGES: Partial<Record<CodexHookEvent, string>> = { PreToolUse: POLICY_STATUS_MESSAGE, PermissionRequest: APPROVAL_STATUS_MESSAGE };

export interface CodexHookOptions {
  /** The bundled hook program (dist/hook.js). */
  readonly hookProgram: string;
  readonly node?: string;
  /** Seconds Flotilla may hold an approval; the PermissionRequest hook gets this plus a margin. */
  readonly approvalTimeoutSeconds: number;
  /** Seconds for the other events, so a stuck bridge cannot stall the agent long (default 15). */
  readonly eventTimeoutSeconds?: number;
}

interface Handler {
  readonly type: 'command';
  readonly command: string;
  readonly timeout: number;
  readonly statusMessage?: string;
}

export interface CodexHookEntry {
  readonly event: CodexHookEvent;
  readonly matcher?: string;
  readonly handler: Handler;
}

const snake = (event: string): string => event.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

function checkedSeconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1 || value > 86_400) throw new Error(`${name}: expected 1..86400 seconds, got ${value}`);
  return Math.ceil(value);
}

export function codexHookEntries(options: CodexHookOptions): CodexHookEntry[] {
  const approval = checkedSeconds('approvalTimeoutSeconds', options.approvalTimeoutSeconds) + 30;
  const observe = checkedSeconds('eventTimeoutSeconds', options.eventTimeoutSeconds ?? 15);
  return CODEX_HOOK_EVENTS.map((event) => {
    // A hook that gives up lets Codex go on by its own rules: one that may wait for a person (PreToolUse too, when
    // the policy says "approve") must wait as long as Flotilla holds the approval, or the command runs unanswered.
    const statusMessage = STATUS_MESSAGES[event];
    const timeout = statusMessage !== undefined ? approval : observe;
    // The program gives up 5 s before Codex would kill it, so it can still say why on stderr.
    const command = quote([options.node ?? 'node', options.hookProgram, '--timeout', String(Math.max(1, timeout - 5)), '--path', CODEX_HOOKS_PATH]);
    const handler: Handler = { type: 'command', command, timeout, ...(statusMessage !== undefined ? { statusMessage } : {}) };
    return { event, ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}), handler };
  });
}

/** Sorts object keys at every depth: Codex hashes the key-sorted compact JSON of a hook's identity. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]);
    return Object.fromEntries(entries);
  }
  return value;
}

/** What Codex's "Trust all" stores for one handler: sha256 over {event_name, matcher?, hooks:[handler + async]}. */
export function trustedHash(entry: CodexHookEntry): string {
  const identity = {
    event_name: snake(entry.event),
    ...(entry.matcher !== undefined ? { matcher: entry.matcher } : {}),
    hooks: [{ ...entry.handler, async: false }],
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(identity))).digest('hex')}`;
}

/** A TOML basic string: JSON's escapes (\" \\ \n \uXXXX) are all valid TOML. */
const tomlString = (s: string): string => JSON.stringify(s);

function tomlHandler(h: Handler): string {
  const status = h.statusMessage !== undefined ? `,statusMessage=${tomlString(h.statusMessage)}` : '';
  return `{type="command",command=${tomlString(h.command)},timeout=${h.timeout}${status}}`;
}

/**
 * The `-c` values (without the `-c`): one `hooks.<Event>=[...]` per event and one `hooks.state={...}` table with
 * every trust entry (a dotted `hooks.state."<key>"` path is not parsed by Codex's `-c`; an inline table is, and is
 * merged with the user's own trusted hooks).
 */
export function codexHookOverrides(options: CodexHookOptions): string[] {
  const entries = codexHookEntries(options);
  const hooks = entries.map((e) => {
    const matcher = e.matcher !== undefined ? `matcher=${tomlString(e.matcher)},` : '';
    return `hooks.${e.event}=[{${matcher}hooks=[${tomlHandler(e.handler)}]}]`;
  });
  const state = entries.map((e) => `${tomlString(`${SESSION_FLAGS_SOURCE}:${snake(e.event)}:0:0`)}={trusted_hash=${tomlString(trustedHash(e))}}`);
  return [...hooks, `hooks.state={${state.join(',')}}`];
}
