// Builds the per-session `--settings` JSON that points Claude Code's hooks at Flotilla's bridge (http hooks, or
// the bundled command hook for older versions), and the command line that starts `claude` in a terminal.
import { quote } from 'shell-quote';
import { CLAUDE_HOOK_EVENTS } from '../../shared/claudeCode/hookPayloads';
import type { ClaudeHookEvent } from '../../shared/claudeCode/hookPayloads';

export const HOOKS_PATH = '/hooks/claude-code';
export const TOKEN_ENV = 'FLOTILLA_AGENT_TOKEN';
export const AGENT_ID_ENV = 'FLOTILLA_AGENT_ID';
export const BRIDGE_URL_ENV = 'FLOTILLA_BRIDGE_URL';

/** Flotilla registers every event it knows. */
export const REGISTERED_HOOK_EVENTS: readonly ClaudeHookEvent[] = CLAUDE_HOOK_EVENTS;
/** These wait for a human, so they get the long timeout. */
const DECISION_EVENTS = new Set<ClaudeHookEvent>(['PreToolUse', 'PermissionRequest']);
/** Events whose matcher is a tool name. */
const TOOL_EVENTS = new Set<ClaudeHookEvent>(['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure']);
/** Claude Code 2.1.197 skips http hooks for these ("HTTP hooks are not supported for SessionStart"). */
export const HTTP_UNSUPPORTED_EVENTS: ReadonlySet<ClaudeHookEvent> = new Set<ClaudeHookEvent>(['SessionStart']);

/**
 * First version with `type: "http"` hooks, per Claude Code's changelog (2.1.63). Verified here only on 2.1.197;
 * older versions get the command hook.
 */
export const HTTP_HOOKS_MIN_VERSION = '2.1.63';

export interface HttpHook {
  readonly type: 'http';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly allowedEnvVars: readonly string[];
  readonly timeout: number;
}
export interface CommandHook {
  readonly type: 'command';
  readonly command: string;
  readonly timeout: number;
}
export interface HookMatcher {
  readonly matcher?: string;
  readonly hooks: readonly (HttpHook | CommandHook)[];
}
export interface ClaudeHookSettings {
  readonly hooks: Partial<Record<ClaudeHookEvent, readonly HookMatcher[]>>;
}

export interface CommandHookProgram {
  /** The bundled hook (dist/hook.js). */
  readonly script: string;
  /** The Node binary to run it with; `node` from PATH by default. */
  readonly node?: string;
}

export interface HookSettingsOptions {
  /** The bridge's base URL, e.g. http://127.0.0.1:43117 (the hooks path is appended). */
  readonly bridgeUrl: string;
  /** 'http' (default): Claude Code POSTs itself. 'command': every event runs the hook program. */
  readonly mode?: 'http' | 'command';
  /** Seconds a PreToolUse/PermissionRequest hook may wait for a decision (default 600). */
  readonly timeoutSeconds?: number;
  /** Seconds for the other, observe-only events, so a stuck bridge cannot stall the agent long (default 15). */
  readonly eventTimeoutSeconds?: number;
  /** Needed for mode 'command', and in 'http' mode for the events http hooks do not support (SessionStart). */
  readonly hookProgram?: CommandHookProgram;
}

function checkedSeconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1 || value > 86_400) throw new Error(`${name}: expected 1..86400 seconds, got ${value}`);
  return Math.ceil(value);
}

export function hooksUrl(bridgeUrl: string, path: string = HOOKS_PATH): string {
  const url = new URL(bridgeUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`bridgeUrl: expected http(s), got ${url.protocol}`);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  return url.toString();
}

/** The program gives up a little before Claude Code would kill it, so it can still log why. */
export function hookProgramCommand(program: CommandHookProgram, timeoutSeconds: number): string {
  return quote([program.node ?? 'node', program.script, '--timeout', String(Math.max(1, timeoutSeconds - 5))]);
}

/** The `--settings` JSON registering Flotilla's hooks for one session. It holds no secret: the token stays in the env. */
export function buildHookSettings(options: HookSettingsOptions): ClaudeHookSettings {
  const mode = options.mode ?? 'http';
  const decisionTimeout = checkedSeconds('timeoutSeconds', options.timeoutSeconds ?? 600);
  const eventTimeout = checkedSeconds('eventTimeoutSeconds', options.eventTimeoutSeconds ?? 15);
  if (mode === 'command' && !options.hookProgram) throw new Error("hookProgram: required when mode is 'command'");
  const url = hooksUrl(options.bridgeUrl);
  const hooks: Partial<Record<ClaudeHookEvent, readonly HookMatcher[]>> = {};
  for (const event of REGISTERED_HOOK_EVENTS) {
    const timeout = DECISION_EVENTS.has(event) ? decisionTimeout : eventTimeout;
    let hook: HttpHook | CommandHook;
    if (mode === 'http' && !HTTP_UNSUPPORTED_EVENTS.has(event)) {
      hook = { type: 'http', url, headers: { Authorization: `Bearer $${TOKEN_ENV}` }, allowedEnvVars: [TOKEN_ENV], timeout };
    } else if (options.hookProgram) {
      hook = { type: 'command', command: hookProgramCommand(options.hookProgram, timeout), timeout };
    } else {
      // http mode without the program: the session is learned from its first other event instead.
      continue;
    }
    hooks[event] = [{ ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}), hooks: [hook] }];
  }
  return { hooks };
}

/** Parses `claude --version` output ("2.1.197 (Claude Code)") and compares it with HTTP_HOOKS_MIN_VERSION. */
export function detectHttpHookSupport(version: string): boolean {
  const found = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!found) return false;
  const have = found.slice(1, 4).map(Number);
  const need = HTTP_HOOKS_MIN_VERSION.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (have[i]! !== need[i]!) return have[i]! > need[i]!;
  }
  return true;
}

export interface ClaudeLaunchOptions {
  readonly claudePath: string;
  /** First prompt; the session stays interactive. */
  readonly prompt?: string;
  readonly settingsFile: string;
  readonly env: {
    readonly agentId: string;
    readonly token: string;
    readonly bridgeUrl: string;
    /** More variables (user settings, ANTHROPIC_*); Flotilla's own always win. */
    readonly extra?: Readonly<Record<string, string>>;
  };
  /** Extra CLI flags placed before the prompt (e.g. --model). */
  readonly args?: readonly string[];
}

export interface ClaudeLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** command + args quoted for a POSIX shell, for terminals that take one command line. */
  readonly commandLine: string;
}

export function claudeLaunch(options: ClaudeLaunchOptions): ClaudeLaunch {
  // `--` keeps a prompt that starts with a dash from being read as a flag.
  const args = ['--settings', options.settingsFile, ...(options.args ?? []), ...(options.prompt ? ['--', options.prompt] : [])];
  const env = {
    ...options.env.extra,
    [AGENT_ID_ENV]: options.env.agentId,
    [TOKEN_ENV]: options.env.token,
    [BRIDGE_URL_ENV]: options.env.bridgeUrl,
  };
  return { command: options.claudePath, args, env, commandLine: quote([options.claudePath, ...args]) };
}
