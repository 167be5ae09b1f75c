// The command line that starts the interactive Codex TUI for one Flotilla agent: the user's own Codex (their
// ~/.codex config, login and hooks stay as they are), plus Flotilla's hooks and their trust as `-c` overrides
// for this run only, and `--no-daemon` so the hooks run in this process with the agent's environment.
import { quote } from 'shell-quote';
import { agentEnvironment } from '../../core/agentEnv';
import type { LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import { AGENT_ID_ENV, BRIDGE_URL_ENV, TOKEN_ENV } from '../claudeCode/hookSettings';
import { codexHookOverrides } from './codexHookConfig';

export interface CodexLaunchOptions {
  /** The `codex` program (default: `codex` from PATH). */
  readonly codexPath?: string;
  /** The Node binary that runs the hook program (default: `node` from PATH). */
  readonly node?: string;
  /** More arguments before the prompt (e.g. `--model`, `--profile`). */
  readonly args?: readonly string[];
}

/** Text in Codex's terminal that means it waits for the user there. */
export const CODEX_TERMINAL_PROMPTS: LaunchPlan['terminalPrompts'] = [
  { pattern: /Trust this folder\?|Do you trust the contents of this directory/, reason: 'Codex asks whether to trust this folder' },
  { pattern: /Hooks need review/, reason: 'Codex asks you to review hooks before it runs them' },
  { pattern: /Sign in with ChatGPT|Provide your own API key/, reason: 'Codex needs you to sign in' },
];

export function codexLaunchArgs(spec: LaunchSpec, options: CodexLaunchOptions = {}): string[] {
  const overrides = codexHookOverrides({
    hookProgram: spec.hookProgram,
    approvalTimeoutSeconds: spec.approvalTimeoutSeconds,
    ...(options.node !== undefined ? { node: options.node } : {}),
  });
  // A worktree Flotilla created is trusted before Codex starts (no "Trust this folder?" screen); a folder the
  // user picked keeps Codex's own question, which the terminal watch reports.
  const trust = spec.agent.worktree ? [`projects={${JSON.stringify(spec.agent.cwd)}={trust_level="trusted"}}`] : [];
  return [
    '--no-daemon',
    ...[...overrides, ...trust].flatMap((value) => ['-c', value]),
    ...(options.args ?? []),
    // `--` keeps a prompt that starts with a dash from being read as a flag.
    ...(spec.prompt ? ['--', spec.prompt] : []),
  ];
}

export function codexLaunchPlan(spec: LaunchSpec, options: CodexLaunchOptions = {}): LaunchPlan {
  const args = codexLaunchArgs(spec, options);
  const { env } = agentEnvironment(spec.userEnv, {
    [AGENT_ID_ENV]: spec.agent.id,
    [TOKEN_ENV]: spec.token,
    [BRIDGE_URL_ENV]: spec.bridgeUrl,
  });
  return {
    commandLine: quote([options.codexPath ?? 'codex', ...args]),
    env,
    cwd: spec.agent.cwd,
    terminalPrompts: CODEX_TERMINAL_PROMPTS,
  };
}
