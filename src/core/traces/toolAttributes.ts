// What a tool span says about its call: the input summary, an input excerpt and the files it touches, redacted.
import type { ToolAction } from '../agents/agentSignal';
import type { SpanAttributes } from '../../shared/webview/traceSpan';
import { cutText } from './spanRows';
import type { Redactor } from './redact';

/** Tools that start a subagent (Claude Code's Task, renamed Agent). */
export const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);

const FILE_KEYS = ['file_path', 'path', 'notebook_path'];

export function toolAttributes(action: ToolAction, redactor: Redactor): SpanAttributes {
  const attributes: SpanAttributes = { 'tool.summary': redactor.redact(action.summary) };
  if (action.toolUseId) attributes['tool.use_id'] = action.toolUseId;
  if (action.cwd) attributes['tool.cwd'] = action.cwd;
  let text: string | undefined;
  try {
    text = action.input === undefined ? undefined : JSON.stringify(redactor.redactValue(action.input));
  } catch {
    text = '(input not serializable)';
  }
  if (text !== undefined) attributes['tool.input'] = cutText(text, 2_000);
  const input = action.input && typeof action.input === 'object' ? (action.input as Record<string, unknown>) : {};
  const files = FILE_KEYS.map((k) => input[k]).filter((v): v is string => typeof v === 'string');
  if (files.length > 0) attributes['files'] = files.join('\n');
  return attributes;
}

/** "Task: review the diff" for a subagent span, else the tool's name. */
export function toolSpanName(action: ToolAction): string {
  if (!SUBAGENT_TOOLS.has(action.tool)) return action.tool;
  const input = action.input && typeof action.input === 'object' ? (action.input as Record<string, unknown>) : {};
  const what = typeof input.description === 'string' ? input.description : typeof input.subagent_type === 'string' ? input.subagent_type : undefined;
  return what ? `${action.tool}: ${cutText(what, 120)}` : action.tool;
}
