// Steps the e2e tests share: start a Claude Code agent through the New Agent flow as a user does, find its worktree,
// and read what Flotilla stored about it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { e2eSession } from '../harness/e2eSession';
import { slugifyWorktreeName } from '../../src/core/git/worktreeName';
import { worktreesRoot } from './claudeFixture';

/** Where Flotilla puts an agent's worktree (flotilla.worktreesRoot/<repo folder>/<agent>). */
export const worktreeOf = (workspace: string, name: string): string =>
  path.join(fs.realpathSync(worktreesRoot()), slugifyWorktreeName(path.basename(workspace)), name);

/** Runs Flotilla: New Agent from the palette and answers its five steps (Claude Code, in a new worktree, $1 budget). */
export async function newClaudeAgent(name: string, prompt: string): Promise<void> {
  const { page } = e2eSession();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  // Each step of the flow has its own title ("New Agent (k/5): ..."): wait for it so no keystroke lands in the
  // previous step.
  const step = (k: number) => widget.locator('.quick-input-title', { hasText: `(${k}/5)` }).waitFor({ state: 'visible' });
  const pick = async (label: string) => {
    await widget.locator('.monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
  };
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  await page.keyboard.press('F1');
  await input.fill('>Flotilla: New Agent');
  await pick('Flotilla: New Agent');
  await step(1);
  await pick('Claude Code');
  await step(2);
  await input.fill(name);
  await page.keyboard.press('Enter');
  await step(3);
  await input.fill(prompt);
  await page.keyboard.press('Enter');
  await step(4);
  await pick('New git worktree');
  await step(5);
  await input.fill('$1');
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** Flotilla's SQLite file in the workbench's user data. */
export const storePath = (): string => path.join(e2eSession().server.userDataDir, 'User', 'globalStorage', 'flotilla.flotilla', 'flotilla.db');

/** Flotilla's store, read-only (the extension keeps writing to it). */
export function openStoreReadonly(): Database.Database {
  return new Database(storePath(), { readonly: true });
}

export function storedAgent(name: string): { id: string; status: string; usage: Record<string, number>; costUsd: number } {
  const db = openStoreReadonly();
  try {
    const row = db.prepare('SELECT data FROM agents WHERE name = ?').get(name) as { data: string } | undefined;
    assert.ok(row, `agent ${name} is in the store`);
    return JSON.parse(row.data).snapshot;
  } finally {
    db.close();
  }
}
