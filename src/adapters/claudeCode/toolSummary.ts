// One-line summaries of Claude Code tool calls for trees, notifications and approval cards,
// e.g. "Bash: git push origin feature" or "Edit: src/a.ts".
import * as path from 'node:path';

const MAX_SUMMARY = 160;

/** The field that best says what each built-in tool is about to do. */
const KEY_FIELD: Record<string, readonly string[]> = {
  Bash: ['command'],
  BashOutput: ['bash_id'],
  KillShell: ['shell_id'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  Write: ['file_path'],
  Read: ['file_path'],
  NotebookEdit: ['notebook_path'],
  Glob: ['pattern'],
  Grep: ['pattern'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description', 'prompt'],
  Agent: ['description', 'prompt'],
  Skill: ['skill', 'command'],
};
const PATH_FIELDS = new Set(['file_path', 'notebook_path']);

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_SUMMARY ? flat : `${flat.slice(0, MAX_SUMMARY - 1)}…`;
}

/** A path inside `cwd` is shown relative to it; anything else stays absolute. */
function displayPath(file: string, cwd: string | undefined): string {
  if (!cwd || !path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function firstString(input: Record<string, unknown>, fields: readonly string[]): [string, string] | undefined {
  for (const field of fields) {
    const value = input[field];
    if (typeof value === 'string' && value.trim()) return [field, value];
  }
  return undefined;
}

/** "Tool: detail" on one line, at most 160 characters; just the tool name when the input says nothing useful. */
export function summarizeToolCall(toolName: string, input: Record<string, unknown>, cwd?: string): string {
  let found = firstString(input, KEY_FIELD[toolName] ?? []);
  if (!found && toolName === 'TodoWrite' && Array.isArray(input.todos)) return oneLine(`TodoWrite: ${input.todos.length} items`);
  // MCP and unknown tools: the first short string field is the best guess.
  found ??= Object.entries(input).find((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '');
  if (!found) return oneLine(toolName);
  const [field, value] = found;
  return oneLine(`${toolName}: ${PATH_FIELDS.has(field) ? displayPath(value, cwd) : value}`);
}
