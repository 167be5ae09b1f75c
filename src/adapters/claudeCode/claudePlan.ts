// Claude Code's launch plan: `claude --settings <per-agent hook settings> [-- <prompt>]` with Flotilla's variables
// over the user's (agentEnv), the settings file to write first, and the terminal prompts that mean the agent waits
// for the user there (trust dialog, login, API key question). A worktree Flotilla created is trusted first.
import * as path from 'node:path';
import type { LaunchPlan, LaunchSpec } from '../../core/agents/agentAdapter';
import { agentEnvironment } from '../../core/agentEnv';
import type { Logger } from '../../core/log';
import { claudeConfigFile, trustFolders } from './claudeTrust';
import { AGENT_ID_ENV, BRIDGE_URL_ENV, TOKEN_ENV, buildHookSettings, claudeLaunch } from './hookSettings';
import { claudeSettingsFiles, otelEnv, userTelemetry } from './otelUsage';

export const SETTINGS_FILE = 'claude-settings.json';

/** What Claude Code shows when it stops for the user before (or instead of) working. */
export const CLAUDE_TERMINAL_PROMPTS: NonNullable<LaunchPlan['terminalPrompts']> = [
  { pattern: /Is this a project you created or one you trust\?|Yes, I trust this folder/, reason: 'Claude Code asks whether you trust this folder' },
  { pattern: /Select login method/, reason: 'Claude Code needs you to log in' },
  { pattern: /Do you want to use this API key\?/, reason: 'Claude Code asks whether to use the API key it found' },
];

export interface ClaudePlanOptions {
  readonly claudePath: () => string;
  readonly log: Logger;
  /** The environment the agent's terminal inherits (where CLAUDE_CONFIG_DIR may come from). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
}

export async function claudePlan(spec: LaunchSpec, options: ClaudePlanOptions): Promise<LaunchPlan> {
  const settingsFile = path.join(spec.stateDir, SETTINGS_FILE);
  const settings = buildHookSettings({ bridgeUrl: spec.bridgeUrl, timeoutSeconds: spec.approvalTimeoutSeconds + 30, hookProgram: { script: spec.hookProgram } });
  // Claude Code's OpenTelemetry events bring the side queries no transcript holds, unless the user exports their own.
  const theirs = await userTelemetry([options.env, spec.userEnv], claudeSettingsFiles({ ...options.env, ...spec.userEnv }, spec.agent.cwd, options.home));
  if (theirs) options.log.info(`${spec.agent.name}: Claude Code's OpenTelemetry export is the user's (${theirs}); its title and compaction requests are not counted`);
  const composed = agentEnvironment(spec.userEnv, { [AGENT_ID_ENV]: spec.agent.id, [TOKEN_ENV]: spec.token, [BRIDGE_URL_ENV]: spec.bridgeUrl, ...(theirs ? {} : otelEnv(spec.bridgeUrl, spec.token)) });
  for (const dropped of composed.dropped) options.log.warn(`flotilla.claudeCode.env: left out ${dropped}`);
  const launch = claudeLaunch({
    claudePath: options.claudePath(),
    settingsFile,
    ...(spec.prompt ? { prompt: spec.prompt } : {}),
    env: { agentId: spec.agent.id, token: spec.token, bridgeUrl: spec.bridgeUrl, extra: composed.env },
  });
  if (spec.agent.worktree) {
    const configFile = claudeConfigFile({ ...options.env, ...composed.env }, options.home);
    try {
      await trustFolders(configFile, [spec.agent.cwd]);
    } catch (err) {
      // The terminal prompt watch still catches the dialog: the user is told the agent needs them there.
      options.log.warn(`could not mark ${spec.agent.cwd} trusted in ${configFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    commandLine: launch.commandLine,
    env: launch.env,
    cwd: spec.agent.cwd,
    files: [{ path: settingsFile, content: JSON.stringify(settings, null, 2), mode: 0o600 }],
    terminalPrompts: CLAUDE_TERMINAL_PROMPTS,
  };
}
