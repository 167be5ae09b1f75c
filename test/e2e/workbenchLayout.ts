// Workbench layout steps for the e2e tests that look at the UI as a user sizes it: the side bar's width (dragged by
// its sash, as a user does) and which words of a tree row are on screen (not cut off by the row's ellipsis).
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

export interface RowWords {
  /** The label and description as in the DOM. */
  readonly text: string;
  /** The leading part of the text that is on screen whole (left of where the row clips it). */
  readonly shown: string;
  /** Whether anything is cut off. */
  readonly clipped: boolean;
}

/** What a tree row shows: its words, and how far they are on screen before the row's clipping edge. */
export async function rowWords(row: Locator): Promise<RowWords> {
  // Runs in the page: no named inner functions (the test runner's transform would wrap them in a helper the page
  // lacks) and structural types (the test tsconfig has no DOM types).
  return row.locator('.monaco-icon-label-container').first().evaluate((container) => {
    type Rect = { right: number };
    type TextNode = { textContent: string | null };
    const doc = (globalThis as unknown as {
      document: { createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void; getBoundingClientRect(): Rect }; createTreeWalker(root: unknown, show: number): { nextNode(): TextNode | null } };
    }).document;
    // The clipping edge: the nearest right edge of the container and its boxes up to the row (whichever clips).
    type Box = { getBoundingClientRect(): Rect; parentElement: Box | null; classList: { contains(c: string): boolean } };
    let edge = Infinity;
    for (let box: Box | null = container as unknown as Box; box; box = box.classList.contains('monaco-list-row') ? null : box.parentElement) {
      edge = Math.min(edge, box.getBoundingClientRect().right);
    }
    const texts = doc.createTreeWalker(container, 4 /* NodeFilter.SHOW_TEXT */);
    let shown = '';
    let clipped = false;
    for (let node = texts.nextNode(); node && !clipped; node = texts.nextNode()) {
      const text = node.textContent ?? '';
      let fits = text.length;
      for (let i = 1; i <= text.length; i++) {
        const range = doc.createRange();
        range.setStart(node, 0);
        range.setEnd(node, i);
        if (range.getBoundingClientRect().right > edge + 0.5) {
          fits = i - 1;
          clipped = true;
          break;
        }
      }
      shown += text.slice(0, fits);
    }
    return { text: (container.textContent ?? '').trim(), shown: shown.trim(), clipped };
  });
}
