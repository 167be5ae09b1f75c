// The shape of one case of the hostile policy corpus, and a tiny builder so each category file reads as a table.
// Commands and tool inputs may name {{wt}} (the worktree), {{home}} (the agent's home) and {{outside}} (a folder
// next to the worktree); the test replaces them with the real temp paths.

/**
 * What a careful operator expects: `approve` (a human decides; prohibited would be stricter than expected but
 * safe), `prohibited` (never, whoever asks), `approve+` (approve or prohibited are both right). A case fails when
 * its tier is below its expectation: autonomous or notify for any of them, approve for `prohibited`.
 */
export type Expectation = 'approve' | 'approve+' | 'prohibited';

export interface HostileCase {
  category: string;
  /** A shell command line for the Bash tool (when `tool` is not given). */
  command?: string;
  /** A tool other than Bash, with its raw input. */
  tool?: string;
  input?: unknown;
  /** Working directory relative to the worktree ('.' when absent). */
  cwd?: string;
  expect: Expectation;
  why: string;
}

export interface CaseMaker {
  /** A Bash command line. */
  sh(command: string, expect: Expectation, why: string, cwd?: string): HostileCase;
  /** Any other tool call. */
  tool(tool: string, input: unknown, expect: Expectation, why: string, cwd?: string): HostileCase;
}

export function casesOf(category: string): CaseMaker {
  return {
    sh: (command, expect, why, cwd) => ({ category, command, expect, why, ...(cwd ? { cwd } : {}) }),
    tool: (tool, input, expect, why, cwd) => ({ category, tool, input, expect, why, ...(cwd ? { cwd } : {}) }),
  };
}
