// The Agents tree and the Approvals panel in light, dark and high-contrast themes (picked with Preferences: Color
// Theme, as a user does): one screenshot per theme in the e2e artifacts (theme-light/dark/high-contrast.png), the
// panel following the workbench's colours in each. With FLOTILLA_README_IMAGES=1 the screenshots also replace the
// README's images in media/screenshots (approvals.png is the light one; -dark and -high-contrast beside it).
// Real parts: Claude Code agents waiting on the scripted model server, the real panel webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { repoRoot } from '../harness/paths';
import { claudeSandbox } from './claudeFixture';
import { agentRow, newClaudeAgent, worktreeOf } from './agentSteps';

/** The themes shown, by their label in the picker and the class the workbench takes. */
const THEMES = [
  { file: 'light', label: 'Light Modern', workbenchClass: 'vs' },
  { file: 'dark', label: 'Dark Modern', workbenchClass: 'vs-dark' },
  { file: 'high-contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black' },
] as const;
const README_IMAGES = path.join(repoRoot, 'media', 'screenshots');
const readmeImage = (file: string) => path.join(README_IMAGES, file === 'light' ? 'approvals.png' : `approvals-${file}.png`);

describe('Themes: the tree and the panel in light, dark and high contrast', function () {
  this.timeout(300_000);
  useFreshWorkbench();

  it('shows both in each theme, the panel in the workbench colours', async () => {
    const { workbench, workspace } = e2eSession();
    // Names of their own: worktrees live in one folder for the whole run, and other files start alpha, bravo, charlie.
    const names = ['th-alpha', 'th-bravo', 'th-charlie'];
    for (const name of names) claudeSandbox().trust(worktreeOf(workspace, name));
    await workbench.openViewContainer('Flotilla');
    await newClaudeAgent('th-alpha', '[scenario:notify-write] write the release notes');
    await workbench.notification(/^th-alpha wants to run/).waitFor({ state: 'visible' });
    await newClaudeAgent('th-bravo', '[scenario:notify-write] write the release notes');
    await workbench.notification(/^th-bravo wants to run/).waitFor({ state: 'visible' });
    await newClaudeAgent('th-charlie', '[scenario:text-only] say hello');
    await agentRow('th-charlie', 'ready for review').waitFor({ state: 'visible' });

    await workbench.runCommand('Flotilla: Open Approvals');
    const panel = workbench.webviewFrame();
    await panel.locator('[data-testid="agent-last-message"]').nth(1).waitFor();
    await workbench.runCommand('Notifications: Clear All Notifications');

    const initial = await workbenchTheme();
    assert.ok(initial, 'the workbench has a theme class');
    const backgrounds = new Map<string, string>();
    for (const theme of THEMES) {
      await pickTheme(theme.label, theme.workbenchClass);
      const colours = await panel.locator('body').evaluate((body) => {
        // Runs in the page (the test tsconfig has no DOM types).
        const style = (globalThis as unknown as { getComputedStyle(el: unknown): { backgroundColor: string; getPropertyValue(name: string): string } }).getComputedStyle;
        return { background: style(body).backgroundColor, editor: style(body).getPropertyValue('--vscode-editor-background').trim() };
      });
      assert.notEqual(colours.editor, '', `${theme.label}: the panel gets the theme's colours`);
      backgrounds.set(theme.file, colours.background);
      for (const name of names) await agentRow(name).waitFor({ state: 'visible' });
      await workbench.dismissHovers();
      const shot = await workbench.screenshot(`theme-${theme.file}.png`);
      if (process.env.FLOTILLA_README_IMAGES === '1') fs.copyFileSync(shot, readmeImage(theme.file));
    }
    assert.equal(new Set(backgrounds.values()).size, THEMES.length, `the panel follows each theme: ${JSON.stringify([...backgrounds])}`);
    // Later files may share this workbench: give it back its theme.
    const back = THEMES.find((t) => t.workbenchClass === initial);
    if (back) await pickTheme(back.label, back.workbenchClass);
  });
});

/** The workbench's theme class: vs, vs-dark, hc-black or hc-light. */
async function workbenchTheme(): Promise<string | undefined> {
  const classes = (await e2eSession().page.locator('.monaco-workbench').getAttribute('class')) ?? '';
  return ['vs', 'vs-dark', 'hc-black', 'hc-light'].find((c) => classes.split(/\s+/).includes(c));
}

/**
 * Preferences: Color Theme, as a user picks one; returns once the workbench wears it. Enter acts on the highlighted
 * row and a fuzzy match can put another first (Browse Color Themes in Marketplace), so the arrow keys bring the
 * wanted row up before each Enter.
 */
async function pickTheme(label: string, workbenchClass: string): Promise<void> {
  const { page } = e2eSession();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  await page.keyboard.press('F1');
  await input.fill('>Preferences: Color Theme');
  await choose(/^Preferences: Color Theme/);
  await widget.locator('.quick-input-box input[placeholder*="Color Theme"]').waitFor({ state: 'visible' });
  await input.fill(label);
  await choose(new RegExp(`^${label}`));
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ state: 'attached' });
  await widget.waitFor({ state: 'hidden' });
}

/** Highlights the quick pick's row whose label matches (ArrowDown through the rows shown) and takes it with Enter. */
async function choose(label: RegExp): Promise<void> {
  const { page } = e2eSession();
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const wanted = rows.filter({ has: page.locator('.label-name', { hasText: label }) });
  await wanted.first().waitFor({ state: 'visible' });
  const count = await rows.count();
  for (let i = 0; i < count && !(await wanted.first().evaluate((row) => row.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
  assert.ok(await wanted.first().evaluate((row) => row.classList.contains('focused')), `the row ${label} is highlighted`);
  await page.keyboard.press('Enter');
}
