// Answers Flotilla: New Agent from the palette as a user does, on any workbench page: shared by the e2e steps and
// the workbench benches (no test-session state here, so a bench can import it).
import type { Page } from 'playwright-core';

export interface NewAgentAnswers {
  readonly name: string;
  readonly prompt: string;
  readonly where: 'worktree' | 'workspace';
  /** "" for none. */
  readonly budget: string;
  /** The kind's label in the first step (default Claude Code). */
  readonly kind?: string;
  /** When a remote connection is connected the flow first asks which machine: the row to pick ("This machine"). */
  readonly machine?: string;
  /** The place's row when it is not the default for `where` (on a runner: "Runner's folder"). */
  readonly placeLabel?: string;
}

/** Runs Flotilla: New Agent and answers its five steps (kind, name, place, budget, first prompt), after the machine when asked. */
export async function answerNewAgent(page: Page, a: NewAgentAnswers): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  // Each step of the flow has its own title ("New Agent (k/5): ..."): wait for it so no keystroke lands in the
  // previous step.
  const total = a.machine === undefined ? 5 : 6;
  const step = (k: number) => widget.locator('.quick-input-title', { hasText: `(${k + total - 5}/${total})` }).waitFor({ state: 'visible' });
  const pick = async (label: string) => {
    await widget.locator('.monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
  };
  await openPaletteCommand(page, 'Flotilla: New Agent');
  if (a.machine !== undefined) {
    await step(0);
    await input.fill(a.machine);
    await pick(a.machine);
  }
  await step(1);
  // Enter takes the highlighted row (Claude Code comes first): another kind is typed to filter the list.
  if (a.kind) await input.fill(a.kind);
  await pick(a.kind ?? 'Claude Code');
  await step(2);
  await input.fill(a.name);
  await page.keyboard.press('Enter');
  await step(3);
  // Enter takes the highlighted row: filter first so it is the one asked for.
  const place = a.placeLabel ?? (a.where === 'worktree' ? 'New git worktree' : 'Workspace folder');
  await input.fill(place);
  await pick(place);
  await step(4);
  await input.fill(a.budget);
  await page.keyboard.press('Enter');
  await step(5);
  // The first item ("Start with the prompt typed above") stays highlighted while typing: Enter starts with the text.
  await input.fill(a.prompt);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/**
 * Runs a palette command whose title is exactly `title`: the row is clicked, not taken with Enter, since a longer
 * title ("Flotilla: New Agent from Template…") can be the highlighted row (recently used first).
 */
export async function openPaletteCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  await page.keyboard.press('F1');
  await widget.locator('.quick-input-box input').fill(`>${title}`);
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) }).first().click();
}
