// Drives the real workbench in Chromium with playwright-core: launch with a fresh profile, open the workbench,
// and the helpers e2e tests share (command palette, view containers, tree rows, notifications, webviews, screenshots).
import { chromium } from 'playwright-core';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { artifactPath, freshDir } from './paths';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A persistent context (the workbench keeps state in IndexedDB) on a fresh profile dir. */
export async function launchBrowser(executablePath: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(freshDir('chromium'), {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
}

/** Opens `url` and waits until the workbench is in the DOM. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: timeoutMs });
}

/**
 * A point of the 1280x800 page no hover reaches (the editor area's far right, below its tabs): a hover anchored on the
 * side bar stays open while the mouse is over it, and one with a link in it is as wide as its longest line.
 */
export const OFF_HOVERS = [1250, 150] as const;

/** The things a user does in the workbench, as reusable steps. */
export class Workbench {
  constructor(readonly page: Page) {}

  /**
   * Runs a command by its palette title, e.g. 'Flotilla: Show Log', as a user does with F1. Returns once the
   * palette has closed or the command has opened its own quick pick (multi-step flows go on from there).
   */
  async runCommand(title: string): Promise<void> {
    const { page } = this;
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    // Done when the palette has closed, or has been replaced by the command's own quick pick (a new prompt).
    // (A string, not a function: this file is type-checked without the DOM lib.)
    await page.waitForFunction(`(() => {
      const widget = document.querySelector('.quick-input-widget');
      if (!widget || getComputedStyle(widget).display === 'none') return true;
      const box = widget.querySelector('.quick-input-box input');
      return !box || box.value !== ${JSON.stringify(`>${title}`)};
    })()`);
  }

  /** The activity bar entry of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  /** The side bar, when it shows the view container titled `title`. */
  sideBar(title: string): Locator {
    return this.page.locator('.part.sidebar', { has: this.page.locator('.composite.title', { hasText: title }) });
  }

  /** Opens a view container from the activity bar (a no-op when it is already showing). */
  async openViewContainer(title: string): Promise<Locator> {
    const sideBar = this.sideBar(title);
    if (!(await sideBar.isVisible())) {
      await this.activityBarItem(title).click();
    }
    await sideBar.waitFor({ state: 'visible' });
    return sideBar;
  }

  /** A view pane (by its header title, e.g. 'Agents') inside the side bar. */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: title }) });
  }

  /** The welcome content a view shows when it is empty. */
  welcomeView(viewTitle: string): Locator {
    return this.viewPane(viewTitle).locator('.welcome-view-content');
  }

  /** A button (e.g. 'New Agent') in a view's welcome content. */
  welcomeButton(viewTitle: string, label: string): Locator {
    return this.welcomeView(viewTitle).locator('.monaco-button', { hasText: label });
  }

  /** A tree/list row by its label text; clicking it runs the item's command. */
  treeRow(label: string | RegExp): Locator {
    return this.page.locator('.monaco-list-row', { hasText: label }).first();
  }

  /** Opens the notification center, where notifications go when toasts are hidden (smoke-test mode). */
  async showNotificationCenter(): Promise<Locator> {
    const center = this.page.locator('.notifications-center');
    if (!(await center.isVisible())) await this.runCommand('Notifications: Show Notifications');
    await center.waitFor({ state: 'visible' });
    return center;
  }

  /** A notification (toast or in the center) whose message matches `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-list-item', { has: this.page.locator('.notification-list-item-message', { hasText: text }) }).first();
  }

  /** Waits for a notification whose text matches and clicks one of its buttons, e.g. ('2 actions waiting', 'Approve'). */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const item = this.notification(text);
    await item.waitFor({ state: 'visible' });
    await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
  }

  /** The inner frame of the active webview (webviews are two nested iframes). */
  webviewFrame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** Waits for text inside the active webview and returns the body's text. */
  async webviewText(waitFor?: string | RegExp): Promise<string> {
    const body = this.webviewFrame().locator('body');
    if (waitFor) await body.getByText(waitFor).first().waitFor({ state: 'visible' });
    return body.innerText();
  }

  /** The editor of the Output panel (what a channel shows). */
  outputEditor(): Locator {
    return this.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').locator('.monaco-editor .view-lines').first();
  }

  /** Moves the mouse off the UI and closes any hover (a tooltip would otherwise end up in screenshots). */
  async dismissHovers(): Promise<void> {
    await this.page.mouse.move(...OFF_HOVERS);
    await this.page.keyboard.press('Escape');
    await this.page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ visible: true }).first().waitFor({ state: 'hidden' });
  }

  /** Saves a screenshot as artifacts/screenshots/<name> (png) and returns its path. */
  async screenshot(name: string, target?: Locator): Promise<string> {
    const path = artifactPath('screenshots', name.endsWith('.png') ? name : `${name}.png`);
    if (target) await target.screenshot({ path });
    else await this.page.screenshot({ path });
    return path;
  }
}
