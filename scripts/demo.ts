// `npm start`: VS Code (code-server, in your browser) with Flotilla and a demo fleet of three Claude Code agents
// driven by the scripted model server — no API key, no network. Ctrl+C stops everything it started.
// Each agent shows a different part: one finishes with a change to review (Open Diff), one spends past its budget
// (paused for budget), one asks to push (an approval). The window opens on the Flotilla view (revealed once after
// the first agent starts) with the last agent's terminal in the panel.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepare } from '../test/harness/prepare';
import { buildExtension, stageExtension } from '../test/harness/stageExtension';
import { makeServerDirs, startCodeServer } from '../test/harness/codeServer';
import { installStagedExtension } from '../test/harness/e2eSession';
import { createWorkspace } from '../test/harness/workspace';
import { CLAUDE_BIN, startClaudeSandbox } from '../test/fixtures/claudeSandbox';
import { slugifyWorktreeName } from '../src/core/git/worktreeName';

/** Started in this order by flotilla.startupAgents; the last one's terminal is the one left in sight. */
const FLEET = [
  { name: 'demo-writer', prompt: '[scenario:write-file] Demo: write out.txt', shows: 'writes out.txt and is ready for review: Open Diff on its row' },
  { name: 'demo-spender', prompt: '[scenario:budget-spend] Demo: write two files', budget: '$0.005', shows: 'spends past its $0.005 budget: paused for budget, its next tool call denied with the budget message' },
  { name: 'demo-pusher', prompt: '[scenario:ask-push] Demo: push the feature branch', shows: 'asks to run git push: Allow or Deny from the notification or the Approvals view' },
];

async function main(): Promise<void> {
  console.log('Preparing code-server, Node 24 and Chromium (cached after the first run)...');
  const toolchain = await prepare();
  await buildExtension();
  const staged = stageExtension({ nativeModulesDir: toolchain.nativeModulesDir });
  const sandbox = await startClaudeSandbox();
  const workspace = createWorkspace();
  const worktreesRoot = path.join(path.dirname(workspace), `${path.basename(workspace)}-worktrees`);
  fs.mkdirSync(worktreesRoot, { recursive: true });
  for (const agent of FLEET) sandbox.trust(path.join(fs.realpathSync(worktreesRoot), slugifyWorktreeName(path.basename(workspace)), agent.name));
  const dirs = makeServerDirs({
    'flotilla.claudeCode.path': CLAUDE_BIN,
    'flotilla.claudeCode.env': sandbox.env,
    'flotilla.worktreesRoot': worktreesRoot,
    'flotilla.startupAgents': FLEET.map(({ shows: _shows, ...entry }) => entry),
    'workbench.colorTheme': 'Default Dark Modern',
  });
  installStagedExtension(staged, dirs.extensionsDir);
  const server = await startCodeServer(toolchain, { userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
  const url = server.workbenchUrl(workspace);
  console.log(`\nFlotilla demo is running. Open:\n\n  ${url}\n`);
  console.log('Three DEMO agents (scripted model server, no API key) start in terminals:');
  for (const agent of FLEET) console.log(`  ${agent.name} ${agent.shows}`);
  console.log('Press Ctrl+C to stop.');
  if (process.env.DISPLAY) {
    try {
      execFileSync('xdg-open', [url], { stdio: 'ignore' });
    } catch {
      // No desktop opener: the address above is enough.
    }
  }
  const stop = async () => {
    await server.stop();
    // An agent's Claude Code may still be writing its config while the server's processes end: say so, exit anyway.
    await sandbox.stop().catch((err: unknown) => console.error(`could not remove the demo's Claude sandbox: ${err instanceof Error ? err.message : String(err)}`));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
