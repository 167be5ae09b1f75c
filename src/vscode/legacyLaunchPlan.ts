// Interim: launch plans for kinds whose adapter is not registered yet (issue 10: Codex until its adapter is
// registered, a custom command until it has one). Each entry goes when its kind registers an adapter with plan().
import { quote } from 'shell-quote';
import type { LaunchPlan, LaunchSpec } from '../core/agents/agentAdapter';
import type { AgentKind } from '../shared/status';

const flotillaEnv = (spec: LaunchSpec): Record<string, string> => ({
  FLOTILLA_AGENT_ID: spec.agent.id,
  FLOTILLA_AGENT_TOKEN: spec.token,
  FLOTILLA_BRIDGE_URL: spec.bridgeUrl,
});

const LEGACY_PLANS: Partial<Record<AgentKind, (spec: LaunchSpec) => LaunchPlan>> = {
  codex: (spec) => ({ commandLine: quote(['codex', ...(spec.prompt ? [spec.prompt] : [])]), env: flotillaEnv(spec), cwd: spec.agent.cwd }),
  custom: (spec) => {
    if (!spec.command?.trim()) throw new Error('a custom agent needs a command line');
    return { commandLine: spec.command, env: flotillaEnv(spec), cwd: spec.agent.cwd };
  },
};

export function legacyLaunchPlan(spec: LaunchSpec): LaunchPlan {
  const plan = LEGACY_PLANS[spec.agent.kind];
  if (!plan) throw new Error(`no adapter can start ${spec.agent.kind} agents`);
  return plan(spec);
}
