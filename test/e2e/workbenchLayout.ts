// Workbench layout steps for the e2e tests that look at the UI as a user sizes it: the side bar's width (dragged by
// its sash, as a user does) and whether a tree row's words fit without an ellipsis.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Drags the side bar's edge until the side bar is `width` px wide. */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const bar = page.locator('.part.sidebar');
  const box = await bar.boundingBox();
  assert.ok(box, 'the side bar is shown');
  // The sash straddles the side bar's right edge.
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  const after = await bar.boundingBox();
  assert.ok(after && Math.abs(after.width - width) <= 2, `the side bar is ${after?.width} px wide, not ${width}`);
}

/** The row's label and description as shown, and whether any of it is cut off (an ellipsis or clipped text). */
export async function rowWords(row: Locator): Promise<{ text: string; clipped: boolean }> {
  return row.locator('.monaco-icon-label').first().evaluate((label) => {
    const parts = [label, ...label.querySelectorAll('*')];
    // The page's getComputedStyle (the test tsconfig has no DOM types).
    const style = (globalThis as unknown as { getComputedStyle(el: unknown): { overflow: string } }).getComputedStyle;
    const clipped = parts.some((el) => el.scrollWidth > el.clientWidth + 1 && style(el).overflow !== 'visible');
    return { text: (label.textContent ?? '').trim(), clipped };
  });
}
