// Steps for the Trace panel in the workbench: find the panel's webview frame among the page's frames (the approvals
// view may hold another), read its rows and exact totals, pick a filter, select a span.
import type { Frame } from 'playwright-core';
import { e2eSession } from '../harness/e2eSession';

export interface ShownTotals {
  readonly spans: number;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly costUsd: number;
}

export interface ShownRow {
  readonly kind: string;
  readonly status: string;
  readonly label: string;
}

/** The Trace panel's inner frame, once its page has said ready and drawn its totals. */
export async function traceFrame(timeoutMs = 30_000): Promise<Frame> {
  const { page } = e2eSession();
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.$('[data-testid=totals][data-spans]').catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > until) throw new Error('no Trace panel webview with totals appeared');
    await page.waitForTimeout(200);
  }
}

export async function shownTotals(frame: Frame): Promise<ShownTotals> {
  const totals = frame.locator('[data-testid=totals]');
  const n = async (k: string) => Number(await totals.getAttribute(`data-${k}`));
  return { spans: await n('spans'), input: await n('input'), output: await n('output'), cacheRead: await n('cache-read'), cacheWrite: await n('cache-write'), costUsd: await n('cost-usd') };
}

type RowNode = { getAttribute(name: string): string | null; querySelector(s: string): { textContent: string | null } | null };

export async function shownRows(frame: Frame): Promise<ShownRow[]> {
  return frame.locator('[data-testid=span-row]').evaluateAll((rows) =>
    rows.map((r) => ({ kind: (r as unknown as RowNode).getAttribute('data-kind') ?? '', status: (r as unknown as RowNode).getAttribute('data-status') ?? '', label: (r as unknown as RowNode).querySelector('.label')?.textContent ?? '' })),
  );
}

/** Waits until the totals count `spans` (the panel's live updates arrive in batches). */
export async function waitForSpanCount(frame: Frame, spans: number): Promise<void> {
  // A function, not text: text would be eval'd in the page, which the webview's CSP refuses.
  await frame.waitForFunction(
    (n) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid=totals]')?.getAttribute('data-spans') === n,
    String(spans),
  );
}

/** Picks a filter choice by its visible text ('' for all). */
export async function pickFilter(frame: Frame, facet: 'agent' | 'kind' | 'status', label: string): Promise<void> {
  await frame.selectOption(`[data-testid=filter-${facet}]`, label ? { label } : { value: '' });
}

/** Clicks the row whose label ends with `label` (the first one). */
export async function selectRow(frame: Frame, label: string | RegExp): Promise<void> {
  await frame.locator('[data-testid=span-row]', { has: frame.locator('.label', { hasText: label }) }).first().click();
}
