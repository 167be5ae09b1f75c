// Registers a remote agent as a user does (Flotilla: Connect Remote Agent, a name, Enter) and returns the connection
// details the extension put on the clipboard. Shared by the remote e2e test and the workbench benches.
import type { Page } from 'playwright-core';

export interface RemoteDetails {
  readonly url: string;
  readonly agentId: string;
  readonly token: string;
  /** FLOTILLA_URL, FLOTILLA_AGENT_ID, FLOTILLA_TOKEN, as the example client reads them. */
  readonly env: Record<string, string>;
}

/**
 * Records what the workbench writes to the clipboard in `window.__flotillaClipboard` (and still writes it): headless
 * Chromium refuses clipboard reads without a focused, permitted page, and the extension's text is all we need.
 */
async function recordClipboard(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    if (window.__flotillaClipboardPatched) return;
    window.__flotillaClipboardPatched = true;
    const clip = navigator.clipboard;
    const original = clip.writeText.bind(clip);
    clip.writeText = (text) => {
      window.__flotillaClipboard = text;
      return original(text).catch(() => undefined);
    };
  })()`);
}

/** Parses the FLOTILLA_URL / FLOTILLA_AGENT_ID / FLOTILLA_TOKEN lines; an error names the missing one. */
export function parseDetails(text: string): RemoteDetails {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  for (const key of ['FLOTILLA_URL', 'FLOTILLA_AGENT_ID', 'FLOTILLA_TOKEN']) {
    if (!env[key]) throw new Error(`connection details without ${key}: ${JSON.stringify(text)}`);
  }
  return { url: env.FLOTILLA_URL!, agentId: env.FLOTILLA_AGENT_ID!, token: env.FLOTILLA_TOKEN!, env };
}

/** Runs Flotilla: Connect Remote Agent from the palette, names the agent and returns its connection details. */
export async function connectRemoteAgent(page: Page, name: string): Promise<RemoteDetails> {
  await recordClipboard(page);
  await page.evaluate('window.__flotillaClipboard = undefined');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Flotilla: Connect Remote Agent');
  await widget.locator('.monaco-list-row', { hasText: 'Flotilla: Connect Remote Agent' }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  // The name box has its own title: wait for it so the name does not land in the palette.
  await widget.locator('.quick-input-title', { hasText: 'Connect Remote Agent' }).waitFor({ state: 'visible' });
  await input.fill(name);
  await page.keyboard.press('Enter');
  const text = await page.waitForFunction('window.__flotillaClipboard', undefined, { polling: 'raf' });
  return parseDetails(String(await text.jsonValue()));
}
