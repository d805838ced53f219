import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
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

  /** Opens a file by name with Quick Open (Ctrl+P) and waits for its editor tab. */
  async quickOpen(fileName: string): Promise<void> {
    await this.pickFromQuickInput('Control+P', fileName, fileName);
    await this.page.waitForSelector(`.tabs-container .tab[data-resource-name="${fileName}"]`, { timeout: 30_000 });
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
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  }

  /** Saves a screenshot of the whole workbench as test/e2e/screenshots/NAME.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotsDir, { recursive: true });
    const path = join(screenshotsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Opens a quick input (with `shortcut`, or the one already open), filters it, picks `label`. */
  private async pickFromQuickInput(shortcut: string | undefined, filter: string, label: string): Promise<void> {
    if (shortcut) await this.page.keyboard.press(shortcut);
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await input.waitFor();
    await input.fill(filter);
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
  }
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
