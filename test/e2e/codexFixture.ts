// The Codex side of the e2e tests: the scripted Responses API server, a user's Codex setup pointing at it (a
// CODEX_HOME of its own, `codex` on PATH), given to the workbench's terminals as a user would (the integrated
// terminal's environment setting), and what Codex wrote to its session log (the rollout).
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CodexServer } from '../fixtures/codexServer/codexServer';
import { startCodexServer } from '../fixtures/codexServer/codexServer';
import type { Scenario } from '../fixtures/codexServer/scenario';
import { loadScenarios, parseScenario } from '../fixtures/codexServer/scenario';
import type { CodexSandbox } from '../unit/codex/codexTui';
import { CODEX_BIN, createCodexSandbox } from '../unit/codex/codexTui';

export interface CodexFixture {
  readonly server: CodexServer;
  readonly sandbox: CodexSandbox;
  /** User settings for the workbench: its terminals find `codex` and the user's Codex config. */
  readonly settings: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Why Codex cannot run here, or undefined. */
export const codexMissing = (): string | undefined => (existsSync(CODEX_BIN) ? undefined : 'node_modules/.bin/codex is not installed (dev dependency @openai/codex)');

/** Starts the server with the shipped scenarios plus `extra`, and a CODEX_HOME whose provider is that server. */
export async function startCodexFixture(extra: readonly unknown[] = []): Promise<CodexFixture> {
  const scenarios = new Map<string, Scenario>(loadScenarios(new URL('../fixtures/codexServer/scenarios', import.meta.url).pathname));
  for (const json of extra) {
    const scenario = parseScenario(json, 'test/e2e scenario');
    scenarios.set(scenario.name, scenario);
  }
  const server = await startCodexServer({ scenarios });
  const sandbox = createCodexSandbox(server.baseUrl);
  // Only `codex` on PATH (not all of node_modules/.bin): the user's own install.
  const bin = join(sandbox.root, 'bin');
  mkdirSync(bin);
  symlinkSync(CODEX_BIN, join(bin, 'codex'));
  const settings = {
    'terminal.integrated.env.linux': {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      CODEX_HOME: sandbox.codexHome,
      MOCK_API_KEY: 'sk-mock',
      // Every attempt to reach the internet goes to the server's trap (recorded, refused).
      HTTPS_PROXY: server.proxyUrl,
      HTTP_PROXY: server.proxyUrl,
      NO_PROXY: '127.0.0.1,localhost',
    },
  };
  return {
    server,
    sandbox,
    settings,
    stop: async () => {
      await server.stop();
      sandbox.dispose();
    },
  };
}

export interface RolloutTokens {
  readonly responses: number;
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

/** Every rollout file under CODEX_HOME/sessions. */
export function rolloutFiles(codexHome: string): string[] {
  const root = join(codexHome, 'sessions');
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => /(^|\/)rollout-[^/]+\.jsonl$/.test(p)).map((p) => join(root, p));
}

/** The token counts Codex wrote to a rollout, one `token_usage_record` per model response. */
export function rolloutTokens(path: string): RolloutTokens {
  const sum = { responses: 0, input: 0, cachedInput: 0, output: 0 };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { type?: string; payload?: { usage?: { input_tokens: number; cached_input_tokens: number; output_tokens: number } } };
    if (entry.type !== 'token_usage_record' || !entry.payload?.usage) continue;
    sum.responses += 1;
    sum.input += entry.payload.usage.input_tokens;
    sum.cachedInput += entry.payload.usage.cached_input_tokens;
    sum.output += entry.payload.usage.output_tokens;
  }
  return sum;
}
