// Asks the Playwright side of test/vscode/run.mjs for what only the browser can do: screenshots,
// the command palette, the text inside webview iframes, clicks. A request is a console line the workbench
// forwards to the runner; the answer appears as $BATON_RUNNER_DIR/<id>.json. Outside that runner
// (e.g. `npm run test:electron`) the variable is unset and hasRunner() is false.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const dir = process.env.BATON_RUNNER_DIR;
let counter = 0;

export function hasRunner(): boolean {
  return !!dir;
}

interface Answers {
  screenshot: { file: string };
  palette: { found: boolean; label?: string; seen?: string[] };
  webviewText: { text: string | null; frames?: string[] };
  uiText: { text: string | null };
  webviewClick: { clicked: boolean; text?: string };
  uiClick: { clicked: boolean };
  uiLinks: { found: boolean; text: string | null; links: { tag: string; text: string; href: string }[] };
  uiKeys: { pressed: boolean };
  webviewKeys: { pressed: boolean; active: FocusedElement | null };
  webviewStyle: { found: boolean; styles: Record<string, string>; themeColors: Record<string, string | null> };
  webviewOverflow: { found: boolean; width: number; overflowing: { tag: string; className: string; text: string; right: number }[] };
}

/** The element that has the focus inside a webview after webviewKeys. */
export interface FocusedElement {
  tag: string;
  id: string;
  nodeId: string | null;
  expanded: string | null;
  selected: string | null;
}

async function ask<K extends keyof Answers>(kind: K, args: Record<string, unknown>, timeoutMs = 60000): Promise<Answers[K]> {
  if (!dir) throw new Error('not running under test/vscode/run.mjs (BATON_RUNNER_DIR is unset)');
  const id = `${process.pid}-${Date.now()}-${counter++}`;
  const file = path.join(dir, `${id}.json`);
  console.log(`__batonRunner__:${JSON.stringify({ id, kind, ...args })}`);
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
    if (!fs.existsSync(file)) continue;
    const res = JSON.parse(fs.readFileSync(file, 'utf8')) as { ok: boolean; error?: string } & Answers[K];
    if (!res.ok) throw new Error(`runner failed on ${kind}: ${res.error}`);
    return res;
  }
  throw new Error(`the runner did not answer a ${kind} request within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Screenshot of the whole workbench into out/screenshots/<name>.png; returns the file. */
export async function screenshot(name: string): Promise<string> {
  return (await ask('screenshot', { name })).file;
}

/** Looks `title` up in the command palette (F1) as a person would; `run` presses Enter on it. */
export function palette(title: string, run: boolean): Promise<Answers['palette']> {
  return ask('palette', { title, run, timeoutMs: 20000 });
}

/** The text of the first webview whose body contains `contains`, or null (with what was seen). */
export function webviewText(contains: string, timeoutMs = 20000): Promise<Answers['webviewText']> {
  return ask('webviewText', { contains, timeoutMs }, timeoutMs + 30000);
}

/** The text of the first visible workbench element matching the CSS selector, or null. */
export async function uiText(selector: string): Promise<string | null> {
  return (await ask('uiText', { selector })).text;
}

/** Clicks the first visible element matching `selector` inside a webview (the right button: its context menu); false if none appeared. */
export function webviewClick(selector: string, timeoutMs = 20000, button: 'left' | 'right' = 'left'): Promise<Answers['webviewClick']> {
  return ask('webviewClick', { selector, timeoutMs, button }, timeoutMs + 30000);
}

/**
 * Focuses the first visible element matching `selector` inside a webview (or fills it with `fill`),
 * then presses `keys` (Playwright names: 'ArrowDown', 'Enter', ...); says what has the focus after.
 */
export function webviewKeys(selector: string, keys: string[], options: { fill?: string; timeoutMs?: number } = {}): Promise<Answers['webviewKeys']> {
  const timeoutMs = options.timeoutMs ?? 20000;
  return ask('webviewKeys', { selector, keys, fill: options.fill ?? null, timeoutMs }, timeoutMs + 30000);
}

/**
 * The computed `properties` of the first visible element matching `selector` inside a webview
 * (shadow roots pierced), and the colours the theme variables `themeColors` (`--vscode-*`) resolve
 * to there (null if the theme does not set one); colours read as `rgb(...)` either way.
 */
export function webviewStyle(selector: string, properties: string[], themeColors: string[] = [], timeoutMs = 20000): Promise<Answers['webviewStyle']> {
  return ask('webviewStyle', { selector, properties, themeColors, timeoutMs }, timeoutMs + 30000);
}

/**
 * The elements of the first webview showing `selector` that reach past the webview's width (so they
 * are cut off or need a sideways scroll), and that width.
 */
export function webviewOverflow(selector: string, timeoutMs = 20000): Promise<Answers['webviewOverflow']> {
  return ask('webviewOverflow', { selector, timeoutMs }, timeoutMs + 30000);
}

/** Clicks the first visible workbench element matching the CSS selector; false if there was none. */
export async function uiClick(selector: string, timeoutMs = 10000): Promise<boolean> {
  return (await ask('uiClick', { selector, timeoutMs }, timeoutMs + 30000)).clicked;
}

/**
 * The links (anchors with an href, role="link", data-href) inside the first visible workbench
 * element matching the CSS selector, with its text; found is false when none appeared.
 */
export function uiLinks(selector: string, timeoutMs = 10000): Promise<Answers['uiLinks']> {
  return ask('uiLinks', { selector, timeoutMs }, timeoutMs + 30000);
}

/** Fills (or focuses) the first visible workbench element matching the selector, then presses `keys`. */
export async function uiKeys(selector: string, keys: string[], options: { fill?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 10000;
  return (await ask('uiKeys', { selector, keys, fill: options.fill ?? null, timeoutMs }, timeoutMs + 30000)).pressed;
}

/** Polls `probe` until it gives a value, or fails naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined> | T | null | undefined, timeoutMs = 20000): Promise<T> {
  let last: T | null | undefined;
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(250)) {
    last = await probe();
    if (last) return last;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * The text of the notification holding `contains`, read from the notification centre (this headless
 * workbench does not pop toasts up), which is then cleared.
 */
export async function notification(contains: string): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    return await waitFor(
      `a notification with ${JSON.stringify(contains)}`,
      async () => {
        const t = await uiText(`.notifications-center .notification-list-item:has-text(${JSON.stringify(contains)})`);
        return t?.includes(contains) ? t.replace(/\s+/g, ' ') : null;
      },
      10000,
    );
  } finally {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  }
}
