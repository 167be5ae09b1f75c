// Interim: the launch plans of kinds whose adapter has not landed in the registry yet (issue 10). Goes when every
// launchable kind has an adapter with plan(); until then it keeps New Agent working as it did.
import * as path from 'node:path';
import { quote } from 'shell-quote';
import { agentEnvironment } from '../core/agentEnv';
import type { LaunchPlan, LaunchSpec } from '../core/agents/agentAdapter';
import type { Logger } from '../core/log';
import { buildHookSettings } from '../adapters/claudeCode/hookSettings';
import type { FlotillaSettings } from './settings';

/** Claude Code's trust dialog and login, as its TUI prints them. */
const CLAUDE_PROMPTS = [
  { pattern: /Do you trust the files in this folder\?|Is this a project you (?:created or one you )?trust/i, reason: 'Claude Code asks whether to trust this folder' },
  { pattern: /Select login method|Please run \/login|Invalid API key/i, reason: 'Claude Code needs you to log in' },
];

export function legacyLaunchPlan(spec: LaunchSpec, settings: FlotillaSettings, log: Logger): LaunchPlan {
  const flotillaEnv: Record<string, string> = {
    FLOTILLA_AGENT_ID: spec.agent.id,
    FLOTILLA_AGENT_TOKEN: spec.token,
    FLOTILLA_BRIDGE_URL: spec.bridgeUrl,
  };
  const cwd = spec.agent.cwd;
  switch (spec.agent.kind) {
    case 'claude-code': {
      const settingsFile = path.join(spec.stateDir, 'claude-settings.json');
      const hooks = buildHookSettings({ bridgeUrl: spec.bridgeUrl, timeoutSeconds: spec.approvalTimeoutSeconds + 30, hookProgram: { script: spec.hookProgram } });
      const composed = agentEnvironment(spec.userEnv, flotillaEnv);
      for (const dropped of composed.dropped) log.warn(`flotilla.claudeCode.env: left out ${dropped}`);
      return {
        // `--` ends the options: a prompt that starts with a dash is still the prompt.
        commandLine: quote([settings.claudeCodePath, '--settings', settingsFile, ...(spec.prompt ? ['--', spec.prompt] : [])]),
        env: composed.env,
        cwd,
        files: [{ path: settingsFile, content: JSON.stringify(hooks, null, 2) }],
        terminalPrompts: CLAUDE_PROMPTS,
      };
    }
    case 'codex':
      return { commandLine: quote(['codex', ...(spec.prompt ? [spec.prompt] : [])]), env: flotillaEnv, cwd };
    default:
      if (!spec.command) throw new Error('a custom agent needs a command line');
      return { commandLine: spec.command, env: flotillaEnv, cwd };
  }
}
