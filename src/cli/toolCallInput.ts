// The tool call `flotilla policy check` judges, read from JSON (stdin or --input FILE) or made from --bash, and
// validated with zod: a bad field is named ("agent.kind: expected string, received number"), never guessed at.
import * as path from 'node:path';
import { z } from 'zod';
import { boundedJsonProblem } from '../shared/protocol/jsonValue';
import { reportIssue } from '../shared/protocol/issues';
import type { PolicyRequest } from '../shared/policy';

/** A tool input larger than this (serialized) is refused: far above a real Write of a source file. */
export const MAX_CLI_INPUT_CHARS = 16 * 1024 * 1024;

const Text = z.string().min(1);
const AbsolutePath = Text.refine((p) => path.isAbsolute(p), { error: 'expected an absolute path' });

export const ToolCallSchema = z.strictObject({
  /** The tool's name as the agent calls it: Bash, Write, Edit, Read, WebFetch, mcp__server__tool ... */
  tool: Text,
  /** The tool's JSON input, e.g. { "command": "git status" } for Bash. */
  input: z.unknown().superRefine((value, ctx) => {
    if (value === undefined) return ctx.addIssue({ code: 'invalid_type', expected: 'unknown', input: value });
    const problem = boundedJsonProblem(value, MAX_CLI_INPUT_CHARS);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Where the tool runs. */
  cwd: AbsolutePath,
  agent: z
    .strictObject({ id: Text.optional(), name: Text.optional(), kind: Text.optional(), group: Text.optional(), sessionId: Text.optional() })
    .optional(),
  /** The agent's worktree (paths outside it are judged stricter); defaults to cwd. */
  worktreeRoot: AbsolutePath.optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export type ToolCallResult = { ok: true; call: ToolCall } | { ok: false; error: string };

/** Parses the JSON text of a tool call; `source` names it in errors ("stdin", the file name). */
export function parseToolCall(text: string, source: string): ToolCallResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${source}: invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `${source}: expected a JSON object { "tool", "input", "cwd", "agent"?, "worktreeRoot"? }` };
  }
  const result = ToolCallSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, call: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `${source}: ${reportIssue('', issue).message}` };
}

/** The policy engine's request for a tool call. */
export function policyRequest(call: ToolCall): PolicyRequest {
  const agent = call.agent ?? {};
  return {
    agent: {
      id: agent.id ?? agent.name ?? 'cli',
      name: agent.name ?? agent.id ?? 'cli',
      kind: agent.kind ?? 'claude-code',
      ...(agent.group !== undefined ? { group: agent.group } : {}),
      ...(agent.sessionId !== undefined ? { sessionId: agent.sessionId } : {}),
    },
    tool: call.tool,
    input: call.input,
    cwd: call.cwd,
    worktreeRoot: call.worktreeRoot ?? call.cwd,
  };
}
