// The launch plan of a custom command: the command line the user typed, run as typed by the host's shell in the
// agent's cwd, with Flotilla's variables (bridge URL, agent id, token) over the user's extra environment.
import { agentEnvironment } from '../../core/agentEnv';
import type { LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import { AGENT_ID_ENV, BRIDGE_URL_ENV, TOKEN_ENV } from '../claudeCode/hookSettings';

export function customCommandPlan(spec: LaunchSpec): LaunchPlan {
  const commandLine = spec.command?.trim();
  if (!commandLine) throw new Error('a custom command agent needs a command line');
  const { env } = agentEnvironment(spec.userEnv, { [AGENT_ID_ENV]: spec.agent.id, [TOKEN_ENV]: spec.token, [BRIDGE_URL_ENV]: spec.bridgeUrl });
  return { commandLine, env, cwd: spec.agent.cwd };
}
