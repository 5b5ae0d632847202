#!/usr/bin/env node
// How long Baton takes to activate in a real VS Code, as VS Code itself reports it: the packaged
// extension is installed into code-server (the same editor the in-editor tests drive), a copy of
// sample-workspace/ is opened, the Baton icon in the activity bar is clicked as a person would (that
// activates the extension and shows the task sidebar), and once the sidebar shows its tasks the
// figure is read from "Developer: Show Running Extensions": its "Activation: N ms" is the time
// to load the extension's main file (with every file it requires at once) plus the time of the
// activate() call. That figure leaves out what Baton loads on first use, so the time from the click
// to the tasks on screen is reported beside it, and the bytes parsed by then. Each run is a fresh
// code-server (a fresh extension host); medians are reported. An empty extension with the same icon
// and view is measured in turn with the others: VS Code's figure for it is the floor here.
//   npm run bench:activation [-- --runs N] [--vsix FILE] [--baseline REF] [--json FILE]
//   --vsix FILE      measure this .vsix (default: pack the working tree, production build)
//   --baseline REF   also pack git REF (built in a temp dir with this tree's node_modules) and
//                    measure both, run by run in turn, in the same session
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRealVscode, folderQuery, freePort, launchBrowser, startCodeServer, stopAllServers } from '../test/vscode/codeServer.mjs';
import { positiveWholeNumber, usageFailure } from './options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run bench:activation [-- --runs N] [--vsix FILE] [--baseline REF] [--json FILE]';
const fail = usageFailure('bench:activation', USAGE);
let opt;
try {
  ({ values: opt } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, vsix: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'string' } },
  }));
} catch (err) {
  fail(err.message);
}
const runs = positiveWholeNumber(opt.runs, '--runs', fail);
const outDir = path.join(root, 'out/bench-activation');
const say = (m) => console.error(`[bench:activation] ${m}`);
const temp = [];
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await stopAllServers();
    for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** `npm run package`'s steps in `dir`, the .vsix written to `out`. */
function pack(dir, out) {
  run(process.execPath, ['esbuild.mjs', '--production'], dir, `the production build in ${dir}`);
  run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], dir, `vsce package in ${dir}`);
  return out;
}

/**
 * The floor: an extension that is nothing but Baton's activity-bar icon and a webview view showing
 * one line. What VS Code reports for it is what activation costs here before any extension code
 * runs (the editor's own work between starting to load an extension and calling activate()).
 */
function packFloor(out) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-floor-'));
  temp.push(dir);
  const manifest = {
    name: 'baton-floor',
    publisher: 'baton-dev',
    displayName: 'Baton (empty extension)',
    description: 'The activation floor for bench/activation.mjs.',
    version: '0.0.1',
    license: 'MIT',
    repository: 'https://example.invalid/baton-floor',
    engines: { vscode: '^1.90.0' },
    main: './dist/extension.js',
    activationEvents: [],
    contributes: {
      viewsContainers: { activitybar: [{ id: 'baton', title: 'Baton', icon: 'media/baton.svg' }] },
      views: { baton: [{ type: 'webview', id: 'baton.sidebar', name: 'Tasks' }] },
    },
  };
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'media'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  fs.copyFileSync(path.join(root, 'media/baton.svg'), path.join(dir, 'media/baton.svg'));
  fs.writeFileSync(
    path.join(dir, 'dist/extension.js'),
    `const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('baton.sidebar', {
    resolveWebviewView(view) { view.webview.html = '<!doctype html><div role="tree">empty</div>'; },
  }));
};
`,
  );
  run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', out], dir, 'vsce package of the empty extension');
  return out;
}

/** The source tree at git REF in a temp dir, with this tree's node_modules. */
function checkout(ref) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-baseline-'));
  temp.push(dir);
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: root, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`unpacking ${ref} failed: ${untar.stderr}`);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/**
 * Bytes of the installed files given (those that exist) and of every file they require at once
 * (dist/chunks.json, when the build wrote one).
 */
function bytesLoaded(extensionDir, entries) {
  const dist = path.join(extensionDir, 'dist');
  const graphFile = path.join(dist, 'chunks.json');
  const sizeOf = (f) => fs.statSync(path.join(dist, f)).size;
  if (!fs.existsSync(graphFile)) return { files: ['extension.js'], bytes: sizeOf('extension.js') };
  const chunks = new Map(JSON.parse(fs.readFileSync(graphFile, 'utf8')).map((c) => [c.file, c]));
  const files = [];
  for (const stack = entries.filter((f) => chunks.has(f)); stack.length;) {
    const f = stack.pop();
    if (files.includes(f)) continue;
    files.push(f);
    stack.push(...(chunks.get(f)?.imports ?? []));
  }
  return { files, bytes: files.reduce((sum, f) => sum + sizeOf(f), 0) };
}

/**
 * One fresh code-server: the Baton icon clicked, the sidebar shown, the activation time read. Also
 * the time from the click to the sidebar's tasks on screen (activation, the services the sidebar
 * loads, the webview drawing), as the person waits for it, polled every 25 ms.
 */
async function measureOnce(browser, variant, folder) {
  const server = await startCodeServer({
    runDir: variant.runDir,
    port: await freePort(),
    installExtensions: variant.installed ? [] : [variant.vsix],
    logFile: path.join(outDir, `${variant.name}-server.log`),
  });
  variant.installed = true;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(`${server.url}?folder=${folderQuery(folder)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
    const icon = page.locator('.part.activitybar [aria-label^="Baton"]').first();
    await icon.waitFor({ timeout: 30000 });
    const clicked = performance.now();
    await icon.click({ timeout: 30000 });
    // The sidebar's tasks: the extension has activated and its webview has drawn.
    await waitFor(
      'the Baton sidebar',
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          if (
            await f
              .locator('[role="tree"], [data-node-id], #node-budget')
              .count()
              .catch(() => 0)
          )
            return true;
        }
        return false;
      },
      60000,
      25,
    );
    const sidebarMs = Math.round(performance.now() - clicked);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Developer: Show Running Extensions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first().waitFor();
    await input.press('Enter');
    // The list is sorted slowest first and draws only the rows in view: scroll until Baton's shows.
    const list = page.locator('.runtime-extensions-editor .monaco-list').first();
    await list.waitFor({ timeout: 30000 });
    const text = await waitFor(
      'Baton in Running Extensions',
      async () => {
        const t = await page
          .locator('.monaco-list-row', { hasText: 'Baton' })
          .filter({ hasText: /Activation: \d+ms/ })
          .first()
          .innerText({ timeout: 1000 })
          .catch(() => '');
        if (!t) {
          await list.hover().catch(() => {});
          await page.mouse.wheel(0, 300);
        }
        return t || null;
      },
      30000,
    );
    return { activationMs: Number(/Activation: (\d+)ms/.exec(text)[1]), sidebarMs };
  } catch (err) {
    const shot = path.join(outDir, `${variant.name}-failure.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    throw new Error(`${variant.label}: ${err.message} (the editor at that moment: ${shot}; its server's log: ${variant.name}-server.log)`, { cause: err });
  } finally {
    await page.close().catch(() => {});
    await server.stop();
  }
}

async function waitFor(what, fn, ms, everyMs = 200) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  ensureRealVscode();
  const variants = [];
  say(opt.vsix ? `measuring ${opt.vsix}` : 'packing the working tree (production build)');
  variants.push({
    name: 'this-tree',
    label: opt.vsix ? path.basename(opt.vsix) : 'this tree',
    vsix: opt.vsix ? path.resolve(opt.vsix) : pack(root, path.join(outDir, 'this-tree.vsix')),
  });
  if (opt.baseline) {
    say(`packing ${opt.baseline} as the baseline`);
    variants.push({ name: 'baseline', label: opt.baseline, vsix: pack(checkout(opt.baseline), path.join(outDir, 'baseline.vsix')) });
  }
  variants.push({ name: 'floor', label: 'empty ext.', vsix: packFloor(path.join(outDir, 'floor.vsix')) });
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-activation-')));
  temp.push(work);
  const folder = path.join(work, 'sample-workspace');
  fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true });
  for (const v of variants) {
    v.runDir = path.join(work, v.name);
    v.times = [];
    v.sidebarTimes = [];
  }
  const browser = await launchBrowser();
  try {
    for (let i = 0; i < runs; i++) {
      for (const v of variants) {
        const { activationMs, sidebarMs } = await measureOnce(browser, v, folder);
        v.times.push(activationMs);
        v.sidebarTimes.push(sidebarMs);
        say(`${v.label} run ${i + 1}/${runs}: activation ${activationMs} ms, click to tasks shown ${sidebarMs} ms`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  const results = variants.map((v) => {
    const installed = fs.readdirSync(path.join(v.runDir, 'extensions')).find((d) => d.startsWith('baton-dev.baton-'));
    const extensionDir = path.join(v.runDir, 'extensions', installed);
    return {
      label: v.label,
      medianMs: median(v.times),
      minMs: Math.min(...v.times),
      maxMs: Math.max(...v.times),
      runs: v.times,
      sidebarMedianMs: median(v.sidebarTimes),
      sidebarRuns: v.sidebarTimes,
      parsedAtActivation: bytesLoaded(extensionDir, ['extension.js']),
      // What opening the sidebar has parsed in all (the services load on first use, where the build splits them off).
      parsedWithSidebar: bytesLoaded(extensionDir, ['extension.js', 'services.js']),
      vsixBytes: fs.statSync(v.vsix).size,
    };
  });
  console.log(`activation in code-server ${'(VS Code\'s "Activation" in Running Extensions: loading the main file and what it requires, plus activate())'}`);
  for (const r of results) {
    console.log(
      `${r.label.padEnd(12)} median ${String(r.medianMs).padStart(4)} ms (min ${r.minMs}, max ${r.maxMs}, ${r.runs.length} runs)  parsed at activation ${kb(r.parsedAtActivation.bytes)} (${r.parsedAtActivation.files.join(', ')})  .vsix ${kb(r.vsixBytes)}`,
    );
    console.log(
      `${''.padEnd(12)} click to tasks shown: median ${r.sidebarMedianMs} ms (${r.sidebarRuns.join(', ')})  parsed with the sidebar ${kb(r.parsedWithSidebar.bytes)} (${r.parsedWithSidebar.files.join(', ')})`,
    );
  }
  if (opt.json) fs.writeFileSync(opt.json, JSON.stringify(results, null, 2) + '\n');
}

try {
  await main();
} finally {
  await stopAllServers();
  for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
}
