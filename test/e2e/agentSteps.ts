// Steps the e2e tests share: start a Claude Code agent through the New Agent flow as a user does, find its worktree,
// and read what Flotilla stored about it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator } from 'playwright-core';
import { e2eSession } from '../harness/e2eSession';
import { slugifyWorktreeName } from '../../src/core/git/worktreeName';
import { worktreesRoot } from './claudeFixture';
import { answerNewAgent } from './newAgentFlow';

/** Where Flotilla puts an agent's worktree (flotilla.worktreesRoot/<repo folder>/<agent>). */
export const worktreeOf = (workspace: string, name: string): string =>
  path.join(fs.realpathSync(worktreesRoot()), slugifyWorktreeName(path.basename(workspace)), name);

/** Runs Flotilla: New Agent from the palette and answers its five steps (Claude Code, in a new worktree, $1 budget). */
export async function newClaudeAgent(name: string, prompt: string, where: 'worktree' | 'workspace' = 'worktree', budget = '$1'): Promise<void> {
  await answerNewAgent(e2eSession().page, { name, prompt, where, budget });
}

/** Flotilla's SQLite file in the workbench's user data. */
export const storePath = (): string => path.join(e2eSession().server.userDataDir, 'User', 'globalStorage', 'flotilla.flotilla', 'flotilla.db');

/** Flotilla's store, read-only (the extension keeps writing to it). */
export function openStoreReadonly(): Database.Database {
  return new Database(storePath(), { readonly: true });
}

export function storedAgent(name: string): { id: string; status: string; statusReason?: string; terminalPid?: number; sessionId?: string; usage: Record<string, number>; costUsd: number } {
  const db = openStoreReadonly();
  try {
    const row = db.prepare('SELECT data FROM agents WHERE name = ?').get(name) as { data: string } | undefined;
    assert.ok(row, `agent ${name} is in the store`);
    return JSON.parse(row.data).snapshot;
  } finally {
    db.close();
  }
}

/** Stops an agent from its row's context menu, as a user does, and waits for the row to say so. */
export async function stopFromTree(name: string): Promise<void> {
  const { page } = e2eSession();
  await agentRow(name).click({ button: 'right' });
  // The context menu acts on Enter over a highlighted item (a click right after the menu opens can be ignored as
  // the tail of the right-click).
  const stop = page.locator('.monaco-menu .action-item', { hasText: 'Stop Agent' });
  await stop.hover();
  await page.keyboard.press('Enter');
  await stop.waitFor({ state: 'hidden' });
  await agentRow(name, 'stopped').waitFor({ state: 'visible' });
}

/**
 * The agent's row in the Agents view (not the terminal list, whose rows carry the same names), once its description
 * shows `status` when given.
 */
export function agentRow(name: string, status?: string | RegExp): Locator {
  const { workbench, page } = e2eSession();
  // The label and the description are adjacent text ("r-oneidle · …"): match the label element exactly.
  const label = page.locator('.label-name', { hasText: new RegExp(`^${name}$`) });
  const row = workbench.viewPane('Agents').locator('.monaco-list-row', { has: label }).first();
  return status === undefined ? row : row.filter({ hasText: status });
}

/** Developer: Reload Window, as a user runs it; returns once the new workbench is in the DOM. */
export async function reloadWindow(): Promise<void> {
  const { workbench, page } = e2eSession();
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  // The palette's "closed" check can race the navigation: the reload itself is what counts.
  await workbench.runCommand('Developer: Reload Window').catch(() => undefined);
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: 60_000 });
}

/** True while a process with this id exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms: number, stepMs = 100): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}
