// The Claude Code sandbox shared by the e2e tests: started before the workbench (its settings go into the
// user settings the workbench starts with, so no test races a settings reload), stopped after it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLAUDE_BIN, startClaudeSandbox } from '../fixtures/claudeSandbox';
import type { ClaudeSandbox } from '../fixtures/claudeSandbox';

let sandbox: ClaudeSandbox | undefined;
let worktrees: string | undefined;

export function claudeSandbox(): ClaudeSandbox {
  if (!sandbox) throw new Error('the Claude sandbox is not running (test/e2e/setup.ts starts it)');
  return sandbox;
}

export function worktreesRoot(): string {
  if (!worktrees) throw new Error('the Claude sandbox is not running (test/e2e/setup.ts starts it)');
  return worktrees;
}

/** Starts the sandbox and returns the user settings that point Flotilla at it. */
export async function startClaudeFixture(): Promise<Record<string, unknown>> {
  sandbox = await startClaudeSandbox();
  worktrees = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-worktrees-'));
  return {
    'flotilla.claudeCode.path': CLAUDE_BIN,
    'flotilla.claudeCode.env': sandbox.env,
    'flotilla.worktreesRoot': worktrees,
    // Requests arriving within 1.5 s share one notification (agents released together by a model-server gate
    // ask within a few hundred ms of each other); a lone request keeps the single-action wording.
    'flotilla.approvals.batchWindowMs': 1500,
    // The default policy lets an agent write inside its worktree on its own; these tests need a human in the loop.
    'flotilla.policy': { rules: [{ id: 'e2e-echo-needs-approval', tier: 'approve', command: 'echo' }] },
  };
}

export async function stopClaudeFixture(): Promise<void> {
  await sandbox?.stop();
  if (worktrees) fs.rmSync(worktrees, { recursive: true, force: true });
  sandbox = undefined;
  worktrees = undefined;
}
