// What test/ui's flows share to drive the workbench in Chromium as a person would: waiting on
// conditions (never fixed sleeps for what the product does), the command palette, the Baton
// sidebar's webview, notification buttons, the diff review's CodeLenses, the side bar's edge, the
// colour theme, screenshots, and each step's pass or fail.
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns something truthy; throws `what` after ms. */
export async function waitFor(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

export function check(ok, message) {
  if (!ok) throw new Error(message);
}

export class Workbench {
  /** results: the shared list of step outcomes (true: passed). */
  constructor(page, { shotDir, say, results }) {
    this.page = page;
    this.shotDir = shotDir;
    this.say = say;
    this.results = results;
  }

  /** Runs one step: its failure is recorded with a screenshot, and the next step still runs. */
  async step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      this.results.push(true);
      this.say(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (err) {
      this.results.push(false);
      this.say(`FAIL ${name}: ${err?.message ?? err}`);
      await this.page.screenshot({ path: path.join(this.shotDir, `failed-${this.results.length}.png`) }).catch(() => {});
    }
  }

  /** A screenshot of the window, or of `clip`, after the last repaint has settled. */
  async shot(name, clip) {
    await sleep(400);
    await this.page.screenshot({ path: path.join(this.shotDir, name), ...(clip ? { clip } : {}) });
    this.say(`screenshot out/test-ui/screenshots/${name}`);
  }

  /** The activity bar and the side bar, the whole window's height. */
  async sideBarClip() {
    const bar = await this.page.locator('.part.sidebar').first().boundingBox();
    const height = this.page.viewportSize().height;
    return { x: 0, y: 0, width: Math.ceil(bar.x + bar.width + 1), height };
  }

  /**
   * F1, the command's title, a click on its row; retried while extension commands are still
   * registering, and while a busy workbench shows no palette: then the title bar's command center
   * is clicked instead (F1 can go to a webview that keeps it), as a person would.
   */
  async palette(title) {
    const { page } = this;
    const end = Date.now() + 60000;
    const input = page.locator('.quick-input-widget input');
    const shown = (ms) =>
      input.waitFor({ state: 'visible', timeout: ms }).then(
        () => true,
        () => false,
      );
    for (;;) {
      if (Date.now() > end) throw new Error(`"${title}" is not in the command palette, or the palette did not open`);
      await page.keyboard.press('F1');
      if (!(await shown(5000))) {
        await page
          .locator('.part.titlebar .command-center .action-label')
          .first()
          .click()
          .catch(() => {});
        if (!(await shown(5000))) continue;
      }
      await input.fill('>' + title);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      if (
        await row.waitFor({ state: 'visible', timeout: 3000 }).then(
          () => true,
          () => false,
        )
      ) {
        // The row whose label is exactly the title (Enter would run whichever row is highlighted).
        const exact = page
          .locator('.quick-input-list .monaco-list-row')
          .filter({ has: page.getByText(title, { exact: true }) })
          .first();
        return (await exact.count()) ? exact.click() : input.press('Enter');
      }
      await page.keyboard.press('Escape');
    }
  }

  /** The Baton sidebar's webview frame (its page always has the tasks part, shown or not). */
  sidebar() {
    return waitFor('the Baton sidebar', async () => {
      for (const f of this.page.frames()) {
        if (f === this.page.mainFrame()) continue;
        if (
          await f
            .locator('#root > .tasks')
            .count()
            .catch(() => 0)
        )
          return f;
      }
      return null;
    });
  }

  async sidebarText() {
    return (await (await this.sidebar()).locator('body').innerText({ timeout: 2000 })).trim();
  }

  /** Waits until the sidebar's text passes `test`; returns that text. */
  sidebarShows(what, test, ms = 30000) {
    return waitFor(
      what,
      async () => {
        const text = await this.sidebarText();
        return test(text) ? text : null;
      },
      ms,
    );
  }

  /** A toast's button, by a piece of the toast's text and the button's label. */
  notification(has) {
    return this.page.locator('.notifications-toasts .notification-list-item', { hasText: has });
  }

  async notificationButton(has, button) {
    const b = this.notification(has).locator('.monaco-button', { hasText: button }).first();
    await b.waitFor({ state: 'visible', timeout: 30000 });
    await b.click();
  }

  /** A CodeLens of the diff review that is a link (an action), by its title. */
  lens(title) {
    return this.page.locator('.monaco-diff-editor .editor.modified .codelens-decoration a', { hasText: title });
  }

  /** A CodeLens that is a label (a hunk's state), by its title. */
  lensLabel(title) {
    return this.page.locator('.monaco-diff-editor .editor.modified .codelens-decoration', { hasText: title });
  }

  /** Apply Accepted Hunks: the editor title's button, else its CodeLens. */
  async applyAccepted() {
    const apply = this.page.locator('.editor-actions .action-label[aria-label*="Apply Accepted Hunks"]').first();
    if (await apply.isVisible().catch(() => false)) {
      this.say('Apply: the editor title button');
      await apply.click();
    } else {
      this.say('Apply: the "Apply accepted hunks" CodeLens');
      await this.lens('Apply accepted hunks').first().click();
    }
  }

  /** The side bar's right edge dragged with the mouse until the side bar is `width` px wide. */
  async dragSideBarTo(width) {
    const { page } = this;
    const side = page.locator('.part.sidebar').first();
    for (let tries = 0; tries < 3; tries += 1) {
      const box = await side.boundingBox();
      if (!box) throw new Error('no side bar to resize');
      if (Math.abs(box.width - width) <= 1) break;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width + 1, y);
      await page.mouse.down();
      await page.mouse.move(box.x + width + 1, y, { steps: 10 });
      await page.mouse.up();
    }
    // The pointer off the edge, so the sash is not drawn highlighted in a screenshot.
    await page.mouse.move(300, 12);
    const now = (await side.boundingBox())?.width;
    check(now !== undefined && Math.abs(now - width) <= 2, `the side bar is ${now} px wide, not ${width}`);
  }

  /** Preferences: Color Theme from the palette, the theme typed and picked; waits for the workbench and the sidebar to follow. */
  async colorTheme(name, kind) {
    await this.palette('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10000 });
    await input.press('Enter');
    const workbenchClass = kind === 'light' ? 'vs' : 'vs-dark';
    await waitFor(`the ${name} theme`, async () => (await this.page.locator(`.monaco-workbench.${workbenchClass}`).count()) > 0);
    const frame = await this.sidebar();
    await waitFor(`the sidebar in the ${kind} theme`, async () => (await frame.locator(`body.vscode-${kind}`).count()) > 0);
  }
}
