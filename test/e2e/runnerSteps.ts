// Steps for e2e tests with a `flotilla-agent serve` runner: the runner as a real process (the staged extension's own
// dist/runner.js, loopback, its own state folder and token file, started in a git repository of its machine) with
// the real Claude Code CLI in its environment (onboarded, its key approved and the repository trusted, so interactive
// Claude Code started by New Agent asks nothing in the runner's terminal), and Add Remote Connection… answered as a
// user does (name, URL, the token in the password box).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession } from '../harness/e2eSession';
import { createSandbox } from '../unit/claudeCode/claudeRunner';
import type { Sandbox } from '../unit/claudeCode/claudeRunner';
import { startServe } from '../unit/runner/runnerKit';
import type { ServeProcess } from '../unit/runner/runnerKit';
import { claudeSandbox } from './claudeFixture';
import { openPaletteCommand } from './newAgentFlow';

const RUNNER_API_KEY = 'sk-fixture-0123456789abcdefghij';

export interface E2eRunner {
  /** The runner's machine: its own HOME, Claude Code config folder and a git repository. */
  readonly machine: Sandbox;
  readonly serve: ServeProcess;
  dispose(): Promise<void>;
}

/** Starts `flotilla-agent serve` from the staged extension, Claude Code pointed at the e2e model server. */
export async function startE2eRunner(): Promise<E2eRunner> {
  const script = path.join(e2eSession().staged.dir, 'dist', 'runner.js');
  if (!fs.existsSync(script)) throw new Error(`the staged extension has no runner: ${script}`);
  const machine = createSandbox();
  try {
    // Written before any claude runs there (a running claude rewrites its config from memory).
    fs.writeFileSync(
      path.join(machine.configDir, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        theme: 'dark',
        customApiKeyResponses: { approved: [RUNNER_API_KEY.slice(-20)], rejected: [] },
        projects: { [machine.repo]: { hasTrustDialogAccepted: true } },
      }),
    );
    const serve = await startServe({
      script,
      withPty: true,
      // Agents started from Flotilla run here (or in a worktree of it).
      cwd: machine.repo,
      env: {
        HOME: machine.home,
        CLAUDE_CONFIG_DIR: machine.configDir,
        ANTHROPIC_BASE_URL: claudeSandbox().modelServer.url,
        ANTHROPIC_API_KEY: RUNNER_API_KEY,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    });
    return {
      machine,
      serve,
      dispose: async () => {
        await serve.stop();
        machine.dispose();
      },
    };
  } catch (err) {
    machine.dispose();
    throw err;
  }
}

/** Flotilla: Add Remote Connection…, its three boxes answered (the token typed into the password box). */
export async function addRemoteConnection(name: string, url: string, token: string): Promise<void> {
  const { page } = e2eSession();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const step = (k: number) => widget.locator('.quick-input-title', { hasText: `(${k}/3)` }).waitFor({ state: 'visible' });
  await openPaletteCommand(page, 'Flotilla: Add Remote Connection…');
  await step(1);
  await input.fill(name);
  await page.keyboard.press('Enter');
  await step(2);
  await input.fill(url);
  await page.keyboard.press('Enter');
  await step(3);
  await input.fill(token);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** Removes `flotilla.remote.connections` from the workbench's user settings file (VS Code reloads it on change). */
export function removeRemoteConnections(): void {
  const file = path.join(e2eSession().server.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(file)) return;
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (!('flotilla.remote.connections' in settings)) return;
  delete settings['flotilla.remote.connections'];
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}
