import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { screenshotsDir } from './paths';

/** Debian's Chromium with the flags that run headless on these machines. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface WorkbenchOptions {
  /**
   * Turns on `developmentOptions.enableSmokeTestDriver`, without which VS Code ignores an
   * extension-test payload in the URL.
   */
  readonly smokeTestDriver?: boolean;
  /**
   * Receives the workbench's log, extension-host console output included (smoke-test mode);
   * console calls arrive as their argument list.
   */
  readonly onLog?: (type: string, args: unknown) => void;
}

/** One workbench page in a browser context of its own (fresh storage). */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    /** Resolves with the code the workbench passes to `codeAutomationExit` (extension tests). */
    readonly exitCode: Promise<number>,
  ) {}

  static async open(browser: Browser, url: string, options: WorkbenchOptions = {}): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    let exit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exit = resolve));
    // The workbench calls these page functions in smoke-test mode.
    await context.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await context.exposeFunction('codeAutomationLog', (type: string, args: unknown) => options.onLog?.(type, args));
    if (options.smokeTestDriver) await context.addInitScript(enableSmokeTestDriver);
    const page = await context.newPage();
    await page.goto(url);
    return new Workbench(page, context, exitCode);
  }

  /** Waits until the explorer lists the folder's files: the remote file system is up. */
  async waitForExplorer(): Promise<void> {
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  }

  /** Runs a command by its title from the Command Palette, as a user does. */
  async runCommand(title: string): Promise<void> {
    await this.pickFromQuickInput('F1', `>${title}`, title);
  }

  /**
   * Opens a file with Quick Open (Ctrl+P) and waits for its editor tab. `path` is a file name, or
   * a relative path when the name is not unique (`orders/migrations/0001_initial.py`).
   */
  async quickOpen(path: string): Promise<void> {
    const fileName = path.split('/').pop() ?? path;
    await this.pickFromQuickInput('Control+P', path, fileName);
    await this.page.waitForSelector(`.tabs-container .tab.active[data-resource-name="${fileName}"]`, { timeout: 30_000 });
  }

  /** Moves the active editor's cursor (one-based line and column, as Go to Line takes them). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    // Enter before the widget has read the text would close it without moving.
    await this.page.locator('.quick-input-widget .quick-input-list', { hasText: `Go to line ${line}` }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 10_000 });
  }

  /** The active editor's code lens titles, once `predicate` holds for them. */
  async waitForCodeLenses(predicate: (titles: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    const lenses = this.activeEditor().locator('.codelens-decoration a');
    return waitFor(
      'code lenses',
      async () => {
        const titles = (await lenses.allInnerTexts()).map((title) => title.trim());
        return predicate(titles) ? titles : undefined;
      },
      timeoutMs,
    );
  }

  /** Clicks a code lens of the active editor by its exact title. */
  async clickCodeLens(title: string): Promise<void> {
    await this.activeEditor()
      .locator('.codelens-decoration a')
      .filter({ hasText: new RegExp(`^${escapeRegExp(title)}$`) })
      .first()
      .click();
  }

  /**
   * Opens the Quick Fix menu at the cursor (Ctrl+.) and returns its titles once `title` is among
   * them; opens it again while it is not (the menu shows what the server had answered by then).
   */
  async openQuickFixes(title: string, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('Control+.');
      try {
        return await waitFor(
          `quick fix "${title}"`,
          async () => {
            const titles = await this.quickFixRows().evaluateAll((elements) =>
              elements.map((element) => element.getAttribute('aria-label') ?? ''),
            );
            return titles.includes(title) ? titles : undefined;
          },
          3_000,
        );
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Applies a quick fix of the open menu with the keyboard (the menu takes no clicks while it holds the pointer). */
  async applyQuickFix(title: string): Promise<void> {
    const titles = await this.quickFixRows().evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
    if (!titles.includes(title)) throw new Error(`no quick fix "${title}" among ${titles.join(', ')}`);
    // Down until the focused row is the one: the menu may be drawn again while it is open.
    const focused = () =>
      this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label', { timeout: 5_000 });
    for (let moves = 0; (await focused()) !== title; moves++) {
      if (moves > titles.length * 2) throw new Error(`quick fix "${title}" never took the focus among ${titles.join(', ')}`);
      await this.page.keyboard.press('ArrowDown');
    }
    await this.page.keyboard.press('Enter');
    await this.quickFixRows().first().waitFor({ state: 'detached' });
  }

  private quickFixRows(): Locator {
    return this.page.locator('.action-widget .monaco-list-row.action');
  }

  /** Hovers the first token of the active editor that shows `text` and returns the hover's text. */
  async hover(text: string): Promise<string> {
    await this.activeEditor().locator('.view-line span span', { hasText: text }).first().hover();
    return this.waitForHover((content) => content.length > 0);
  }

  /** The text of the hover on screen (an editor's or the workbench's) once `predicate` holds for it. */
  async waitForHover(predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const content = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    return waitFor(
      'a hover',
      async () => {
        const text = (await content.allInnerTexts())
          .map((part) => part.trim())
          .filter(Boolean)
          .join('\n');
        return predicate(text) ? text : undefined;
      },
      timeoutMs,
    );
  }

  /** A row of the visible side bar tree by its exact label (a tree item's label, not its description). */
  sideBarTreeItem(label: string): Locator {
    return this.page
      .locator('.part.sidebar .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  /** A tree row's description and its icon (the codicon name: `pass-filled`, `git-merge`, ...). */
  async sideBarTreeItemState(label: string, timeoutMs = 30_000): Promise<TreeItemState> {
    const row = this.sideBarTreeItem(label).first();
    await row.waitFor({ timeout: timeoutMs });
    return row.evaluate((element) => {
      const icon = element.querySelector('.custom-view-tree-node-item-icon');
      const codicon = [...(icon?.classList ?? [])].find((name) => name.startsWith('codicon-') && name !== 'codicon-');
      return {
        description: element.querySelector('.label-description')?.textContent ?? '',
        icon: codicon?.slice('codicon-'.length) ?? '',
      };
    });
  }

  /** Waits until `predicate` holds for a side bar tree row's state and returns it. */
  async waitForTreeItemState(label: string, predicate: (state: TreeItemState) => boolean, timeoutMs = 30_000): Promise<TreeItemState> {
    return waitFor(
      `tree item ${label}`,
      async () => {
        const row = this.sideBarTreeItem(label).first();
        if ((await row.count()) === 0) return undefined;
        const state = await this.sideBarTreeItemState(label).catch(() => undefined);
        return state && predicate(state) ? state : undefined;
      },
      timeoutMs,
    );
  }

  /** Drags the side bar's edge so that it is `width` pixels wide (long tree descriptions fit). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar on screen');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    await waitFor(
      'the side bar resized',
      async () => {
        const resized = await this.page.locator('.part.sidebar').boundingBox();
        return resized && Math.abs(resized.width - width) <= 2 ? true : undefined;
      },
      5_000,
    );
  }

  /** Expands a collapsed side bar tree row (a click on a collapsed row expands it). */
  async expandTreeItem(label: string): Promise<void> {
    const row = this.sideBarTreeItem(label).first();
    await row.waitFor({ timeout: 30_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await waitFor(`${label} expanded`, async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined));
  }

  /** Right-clicks a side bar tree row and returns its context menu's actions. */
  async openTreeItemMenu(label: string): Promise<string[]> {
    await this.sideBarTreeItem(label).first().click({ button: 'right' });
    const actions = this.page.locator('.context-view .action-label');
    await actions.first().waitFor({ timeout: 10_000 });
    return (await actions.allInnerTexts()).map((action) => action.trim()).filter(Boolean);
  }

  /**
   * Picks an action of the open context menu with the keyboard: a click right after the menu
   * opened can be taken for the end of the right-click and ignored.
   */
  async pickMenuAction(action: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const focused = menu.locator('.action-item.focused .action-label');
    const count = await menu.locator('.action-item:not(.disabled) .action-label').count();
    for (let step = 0; step <= count; step++) {
      if ((await focused.count()) > 0 && (await focused.innerText()).trim() === action) {
        await this.page.keyboard.press('Enter');
        await menu.waitFor({ state: 'detached' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no action "${action}" in the context menu`);
  }

  /** A status bar entry's text by its id (`publisher.name.itemId` for an extension's item). */
  async statusBarText(id: string): Promise<string> {
    const entry = this.page.locator(`.statusbar-item[id="${id}"]`);
    await entry.waitFor({ timeout: 30_000 });
    return (await entry.innerText()).trim();
  }

  /** Waits until a status bar entry's text satisfies `predicate` and returns it. */
  async waitForStatusBarText(id: string, predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    return waitFor(
      `status bar item ${id}`,
      async () => {
        const text = await this.statusBarText(id).catch(() => undefined);
        return text !== undefined && predicate(text) ? text : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * The visible text of the active terminal once `predicate` holds for it. Needs the DOM
   * renderer (`terminal.integrated.gpuAcceleration: off`, as the harness's user settings say).
   */
  async waitForTerminalText(predicate: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const rows = this.page.locator('.terminal-wrapper.active .xterm-rows');
    let last = '';
    try {
      return await waitFor(
        'terminal output',
        async () => {
          last = (await rows.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
          return predicate(last) ? last : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; the terminal shows:\n${last}`);
    }
  }

  /**
   * Puts the focus back in the active editor with the mouse. After typing in a terminal, a
   * keyboard shortcut there would bring up a notification about shortcuts the terminal skips.
   */
  async focusActiveEditor(): Promise<void> {
    try {
      await this.activeEditor()
        .locator('.view-lines')
        .click({ position: { x: 5, y: 5 }, timeout: 10_000 });
    } catch {
      // The page may still be settling (a scroll, a closing widget) over that corner: the command does the same.
      await this.page.keyboard.press('Escape');
      await this.runCommand('View: Focus Active Editor Group');
    }
  }

  /** Types a line into the focused terminal, as a user answers a question there. */
  async typeInTerminal(line: string): Promise<void> {
    // Its top left corner: notifications may cover the rest.
    await this.page.locator('.terminal-wrapper.active .xterm').click({ position: { x: 5, y: 5 } });
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** The text of the modal dialog once it is shown. */
  async dialogText(timeoutMs = 30_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: timeoutMs });
    return dialog.innerText();
  }

  /** Presses a button of the modal dialog and waits until the dialog is gone. */
  async pressDialogButton(label: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog
      .locator('.monaco-button')
      .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
      .click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** The text of the first notification toast that satisfies `predicate`. */
  async waitForNotification(predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    return waitFor('a notification', async () => (await toasts.allInnerTexts()).find(predicate), timeoutMs);
  }

  /** The names in the Output view's channel list. */
  async outputChannelNames(): Promise<string[]> {
    const names = await this.openOutputChannelList();
    await this.page.keyboard.press('Escape');
    return names;
  }

  /** Opens the Output view's channel list (as "Output: Show Output Channels..." does) and reads it. */
  async openOutputChannelList(): Promise<string[]> {
    await this.runCommand('Output: Show Output Channels...');
    await this.page.locator('.quick-input-widget input[placeholder="Select Output Channel"]').waitFor();
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    return rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
  }

  /**
   * The channel list once `predicate` holds for it, or the last list after `timeoutMs` (channels
   * appear as extensions activate, a moment after the window loads).
   */
  async waitForOutputChannels(predicate: (names: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const names = await this.outputChannelNames();
      if (predicate(names) || Date.now() > deadline) return names;
      await this.page.waitForTimeout(500);
    }
  }

  /** Waits until the status bar no longer says "Activating Extensions...". */
  async waitForActivations(): Promise<void> {
    await this.page.locator('.statusbar-item', { hasText: 'Activating Extensions' }).waitFor({ state: 'detached', timeout: 30_000 });
  }

  /** Shows one Output channel in the panel and returns its text as the editor renders it. */
  async showOutputChannel(name: string): Promise<string> {
    await this.openOutputChannelList();
    await this.pickFromQuickInput(undefined, name, name);
    const view = this.page.locator('.panel .output-view .view-lines');
    await view.waitFor({ timeout: 30_000 });
    return view.innerText();
  }

  /**
   * The rows of the Problems view (file rows and one row per problem, as a screen reader reads
   * them) once `predicate` holds, or the last rows after `timeoutMs`.
   */
  async waitForProblems(predicate: (rows: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    await this.runCommand('Problems: Focus on Problems View');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const labels = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
      if (predicate(labels) || Date.now() > deadline) return labels;
      await this.page.waitForTimeout(500);
    }
  }

  /** The text of the active editor's visible lines. */
  async activeEditorText(): Promise<string> {
    // The editor renders spaces as no-break spaces.
    return (await this.activeEditor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /**
   * Waits for TAB to be the active editor and its rendered text to match PATTERN, and returns the
   * text. A tab turns active before its lines are drawn: reading at once may read nothing.
   */
  async waitForActiveEditor(tab: string, pattern: RegExp, timeoutMs?: number): Promise<string> {
    let shown = '';
    return waitFor(
      `${tab} open, showing ${pattern}`,
      async () => {
        shown = `${await this.activeTabName()}:\n${await this.activeEditorText()}`;
        return shown.startsWith(`${tab}:\n`) && pattern.test(shown) ? shown.slice(tab.length + 2) : undefined;
      },
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the active editor was ${shown}`);
    });
  }

  /** The name of the active editor's tab (`0001_initial.py`, `0003_book_isbn.sql`). */
  async activeTabName(): Promise<string> {
    return (await this.page.locator('.editor-group-container.active .tabs-container .tab.active').getAttribute('data-resource-name')) ?? '';
  }

  private activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Saves a screenshot of the whole workbench as test/e2e/screenshots/NAME.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotsDir, { recursive: true });
    const path = join(screenshotsDir, `${name}.png`);
    // Finished transitions: a hover or a dialog fading in is shown as it ends.
    await this.page.screenshot({ path, animations: 'disabled' });
    return path;
  }

  /**
   * For mocha's afterEach: a screenshot of a test that failed, as failed-TITLE.png, and the
   * notifications on screen in the log (a CI log may be all there is to read).
   */
  async screenshotIfFailed(test: Mocha.Test | undefined): Promise<void> {
    if (test?.state !== 'failed') return;
    await this.screenshot(`failed-${test.title.replace(/\W+/g, '-')}`);
    const toasts = await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
    for (const toast of toasts) console.log(`      notification on screen: ${toast.replace(/\s+/g, ' ').trim()}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /**
   * Opens a quick input (with `shortcut`, or the one already open), filters it, picks `label`.
   * Filters again while the row is missing: an extension's commands appear once its host has
   * registered them, and the list does not update by itself.
   */
  private async pickFromQuickInput(shortcut: string | undefined, filter: string, label: string, timeoutMs = 30_000): Promise<void> {
    if (shortcut) await this.page.keyboard.press(shortcut);
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await input.waitFor();
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await input.fill(filter);
      try {
        await row.waitFor({ timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await input.fill(filter.slice(0, 1));
      }
    }
    await row.click();
  }
}

/** What a tree row shows besides its label. */
export interface TreeItemState {
  readonly description: string;
  /** The codicon's name, e.g. `pass-filled`. */
  readonly icon: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs in the page before its scripts: sets `developmentOptions.enableSmokeTestDriver` in the
 * workbench configuration (the JSON in a meta tag) as soon as the parser inserts it, before the
 * workbench module reads it. Rewriting the HTML in transit instead breaks the WebSocket.
 * (A string: the project compiles without the DOM library.)
 */
const enableSmokeTestDriver = `
  const observer = new MutationObserver(() => {
    const meta = document.getElementById('vscode-workbench-web-configuration');
    if (!meta) return;
    observer.disconnect();
    const settings = JSON.parse(meta.getAttribute('data-settings') || '{}');
    settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
    meta.setAttribute('data-settings', JSON.stringify(settings));
  });
  observer.observe(document, { childList: true, subtree: true });
`;
