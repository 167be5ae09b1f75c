// One realistic payload per hook event, shaped like what Claude Code 2.1.197 sends (captured from real runs,
// ids shortened), for the schema and mapping tests.
import type { ClaudeHookEvent } from '../../../src/shared/claudeCode/hookPayloads';

const common = {
  session_id: '9058b803-9409-4d80-9ffb-7a80c953f541',
  transcript_path: '/tmp/cfg/projects/-tmp-repo/9058b803-9409-4d80-9ffb-7a80c953f541.jsonl',
  cwd: '/tmp/repo',
  prompt_id: 'd962efe8-96d6-44ff-9ec3-979484bb90d3',
  permission_mode: 'default',
  effort: { level: 'high' },
};

export const HOOK_SAMPLES: Record<ClaudeHookEvent, Record<string, unknown>> = {
  SessionStart: { ...common, hook_event_name: 'SessionStart', source: 'startup' },
  UserPromptSubmit: { ...common, hook_event_name: 'UserPromptSubmit', prompt: '[scenario:write-file] do it' },
  PreToolUse: {
    ...common,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'git push origin feature', description: 'Push' },
    tool_use_id: 'toolu_1',
  },
  PermissionRequest: {
    ...common,
    hook_event_name: 'PermissionRequest',
    tool_name: 'Edit',
    tool_input: { file_path: '/tmp/repo/src/a.ts', old_string: 'a', new_string: 'b' },
    permission_suggestions: [{ type: 'setMode', mode: 'acceptEdits', destination: 'session' }],
  },
  PostToolUse: {
    ...common,
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'echo hi > out.txt' },
    tool_response: { stdout: '', stderr: '', interrupted: false, isImage: false },
    tool_use_id: 'toolu_1',
    duration_ms: 24,
  },
  PostToolUseFailure: {
    ...common,
    hook_event_name: 'PostToolUseFailure',
    tool_name: 'Bash',
    tool_input: { command: 'git push origin feature' },
    tool_use_id: 'toolu_2',
    error: "fatal: 'origin' does not appear to be a git repository",
    is_interrupt: false,
    duration_ms: 31,
  },
  Notification: {
    ...common,
    hook_event_name: 'Notification',
    message: 'Claude needs your permission to use Bash',
    notification_type: 'permission_prompt',
  },
  Stop: {
    ...common,
    hook_event_name: 'Stop',
    stop_hook_active: false,
    last_assistant_message: 'done',
    background_tasks: [],
    session_crons: [],
  },
  StopFailure: { ...common, hook_event_name: 'StopFailure', error: 'rate_limit', error_details: '429 Too Many Requests' },
  SubagentStop: {
    ...common,
    hook_event_name: 'SubagentStop',
    stop_hook_active: false,
    agent_id: 'a1b2',
    agent_type: 'Explore',
    agent_transcript_path: '/tmp/cfg/projects/-tmp-repo/subagents/a1b2.jsonl',
  },
  SessionEnd: { ...common, hook_event_name: 'SessionEnd', reason: 'other' },
};

/** For each event, a field whose removal must be reported by name. */
export const REQUIRED_FIELD: Record<ClaudeHookEvent, string> = {
  SessionStart: 'source',
  UserPromptSubmit: 'prompt',
  PreToolUse: 'tool_use_id',
  PermissionRequest: 'tool_input',
  PostToolUse: 'tool_name',
  PostToolUseFailure: 'error',
  Notification: 'notification_type',
  Stop: 'stop_hook_active',
  StopFailure: 'error',
  SubagentStop: 'agent_id',
  SessionEnd: 'reason',
};
