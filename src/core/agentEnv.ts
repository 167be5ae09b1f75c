// An agent's environment: the user's extra variables (`flotilla.claudeCode.env`) under Flotilla's own, so the
// bridge URL, the agent id and its token always win. User keys in Flotilla's namespace (FLOTILLA_*, in any case:
// Windows ignores it) and entries that cannot be environment variables are dropped and named for the log.

export const FLOTILLA_ENV_PREFIX = 'FLOTILLA_';

export interface AgentEnvironment {
  readonly env: Record<string, string>;
  /** "FLOTILLA_BRIDGE_URL: Flotilla sets it", "PORT: not a string": what was left out of the user's variables. */
  readonly dropped: string[];
}

export function agentEnvironment(userEnv: Readonly<Record<string, unknown>> | null | undefined, flotillaEnv: Readonly<Record<string, string>>): AgentEnvironment {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(userEnv ?? {})) {
    if (key.toUpperCase().startsWith(FLOTILLA_ENV_PREFIX)) dropped.push(`${key}: Flotilla sets its own FLOTILLA_* variables`);
    else if (key === '' || key.includes('=') || key.includes('\0')) dropped.push(`${JSON.stringify(key)}: not a variable name`);
    else if (typeof value !== 'string') dropped.push(`${key}: the value is not a string`);
    else if (value.includes('\0')) dropped.push(`${key}: the value contains a NUL character`);
    else env[key] = value;
  }
  return { env: { ...env, ...flotillaEnv }, dropped };
}
