// The runner `start` for a New Agent request that targets a remote host (vscode-free, tested in Node): Claude Code with
// its first prompt, or a custom command line as argv (plain words run directly; anything a shell would interpret
// runs in `sh -c` on the runner, as the same line would in a local terminal).
import { parse } from 'shell-quote';
import type { RunnerStartAsk } from '../adapters/remote/runnerConnection';
import type { NewAgentRequest } from './newAgentFlow';

const SHELL_SYNTAX = /[$`|&;<>(){}*?~\n#\\]/;

/** A command line as argv when it is plain words (quotes allowed), else `/bin/sh -c <line>`. */
export function commandArgv(line: string): string[] {
  const trimmed = line.trim();
  if (trimmed === '' || SHELL_SYNTAX.test(trimmed)) return ['/bin/sh', '-c', trimmed];
  const words = parse(trimmed);
  return words.every((w): w is string => typeof w === 'string') ? words : ['/bin/sh', '-c', trimmed];
}

/** The `start` for a New Agent request: `where: 'worktree'` asks for a worktree of the folder serve runs in. */
export function startAskOf(request: NewAgentRequest): RunnerStartAsk {
  const common = {
    name: request.name,
    worktree: request.where === 'worktree',
    ...(request.group === undefined ? {} : { group: request.group }),
    ...(request.budget === undefined ? {} : { budget: request.budget }),
  };
  if (request.kind === 'claude-code') return { ...common, kind: 'claude-code', ...(request.prompt === undefined ? {} : { prompt: request.prompt }) };
  return { ...common, kind: 'custom', command: commandArgv(request.command ?? '') };
}
