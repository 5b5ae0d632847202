#!/usr/bin/env node
// npm run test:ui: the packaged extension in a real VS Code, driven through Chromium as a person
// would. Builds and packs the .vsix, installs it into a throw-away code-server (no test hooks: the
// extension runs exactly as a user gets it), scripts the OpenAI-compatible server (real HTTP on
// 127.0.0.1) for one node run, opens a temp copy of sample-workspace/ and then, with the keyboard
// and the mouse only:
//   1. F1 "Baton: Show Context Plan", a task typed in the input box: the sidebar shows the ledger.
//   2. the node clicked in the sidebar's tree: its ledger; Drop on an item, Pin on another.
//   3. F1 "Baton: Run Subtask", the node picked, the test command confirmed: the diff review.
//   4. "Accept hunk" on the first hunk, "Reject hunk" on the second, "Apply accepted hunks": the
//      file on disk has exactly the first change.
//   5. Restore in the sidebar's checkpoint timeline, confirmed: the file is back to its bytes.
// Then, in a second window on a fresh copy, the sidebar as the cockpit (test/ui/cockpit.mjs): the
// Roles setup with a base URL and its connection test, New Task from the empty state, Decompose,
// Run, the test command approved in the sidebar, Retry, Restore; and the README's screenshots.
// Screenshots of each step go to out/test-ui/screenshots/, logs to out/test-ui/. Exit code 0 when
// every step passed; the last line says `N passed, M failed`.
//   node test/ui/packaged.mjs [--no-build] [--keep]   (--keep: leave the temp dir for a look)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { ensureRealVscode, folderQuery, freePort, launchBrowser, startCodeServer, stopAllServers } from '../vscode/codeServer.mjs';
import { COCKPIT_STEPS, cockpitFlow } from './cockpit.mjs';
import { check, waitFor, Workbench } from './workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opt } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
const outDir = path.join(root, 'out/test-ui');
const shotDir = path.join(outDir, 'screenshots');
const say = (m) => console.error(`[test:ui] ${m}`);
const FILE = 'pantry/units.py';
const TASK = 'Accept "tablespoons" and "kilograms" as unit names in pantry/units.py';

const started = Date.now();
const results = [];
let runDir = null;
let server = null;
let codeServer = null;
let browser = null;

async function cleanUp() {
  await browser?.close().catch(() => {});
  browser = null;
  await codeServer?.stop();
  codeServer = null;
  await server?.close().catch(() => {});
  server = null;
  if (runDir && !opt.keep) fs.rmSync(runDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    say(`${sig}: stopping`);
    await cleanUp();
    await stopAllServers();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(shotDir, { recursive: true });
  ensureRealVscode();

  // The packaged extension, as `npm start` packs it.
  const vsix = path.join(outDir, 'baton.vsix');
  if (!opt['no-build']) {
    say('building the extension (node esbuild.mjs) and packing it (vsce package --no-dependencies)');
    run(process.execPath, ['esbuild.mjs'], 'node esbuild.mjs');
  }
  // Packed as `npm run package` packs it (the README's links stay relative; its screenshots are left out).
  run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], 'vsce package');

  // The scripted server and the task tree come from the TypeScript sources.
  const helperFile = path.join(outDir, 'helper.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, 'test/ui/helper.ts')],
    outfile: helperFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const { ScriptedServer, TaskTree, TaskTreeStore, NodeStateStore } = createRequire(import.meta.url)(helperFile);

  runDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-ui-')));
  const folder = path.join(runDir, 'sample-workspace'); // keeps its name: the UI shows it
  fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true });
  const abs = (rel) => path.join(folder, rel);
  const original = fs.readFileSync(abs(FILE));
  const originalText = original.toString('utf8');

  // One node run: a maker answer with two separate replace hunks, a breaker pass, a summary.
  server = await ScriptedServer.start();
  server.models = [
    { id: 'maker-model', max_model_len: 16000 },
    { id: 'breaker-model', max_model_len: 16000 },
    { id: 'summariser-model', max_model_len: 16000 },
  ];
  const aliases = 'ALIASES = {"cups": "cup", "grams": "g", "gram": "g", "teaspoon": "tsp", "tablespoon": "tbsp", "pieces": "piece"}';
  const known = 'raise UnknownUnit(f"unknown unit {name!r}; known: {\', \'.join(sorted(UNITS))}")';
  check(originalText.includes(aliases) && originalText.includes(known), `${FILE} no longer has the lines the script edits`);
  const firstChange = aliases.replace('"pieces"', '"tablespoons": "tbsp", "kilograms": "kg", "pieces"');
  const secondChange = known.replace('unknown unit', 'no such unit');
  server.enqueue(
    {
      json: {
        summary: 'aliases and message',
        edits: [
          { kind: 'replace', path: FILE, search: aliases, replace: firstChange },
          { kind: 'replace', path: FILE, search: known, replace: secondChange },
        ],
      },
    },
    { json: { verdict: 'pass', findings: [] } },
    { json: { filesChanged: [{ path: FILE, summary: 'aliases' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Aliases added.' } },
  );
  const roles = Object.fromEntries(['maker', 'breaker', 'summariser'].map((r) => [r, { provider: 'vllm', model: `${r}-model`, baseURL: server.baseURL }]));
  fs.mkdirSync(abs('.vscode'), { recursive: true });
  fs.writeFileSync(abs('.vscode/settings.json'), JSON.stringify({ 'baton.roles': roles, 'baton.tests.command': 'true' }, null, 2));

  const clock = { now: () => Date.now() };
  const { tree, node } = TaskTree.empty(clock).addChild(null, {
    title: 'Accept "tablespoons" and "kilograms" as unit names',
    goal: 'lookup in pantry/units.py accepts "tablespoons" and "kilograms"',
    acceptance: ['lookup("tablespoons") is tbsp', 'lookup("kilograms") is kg'],
    budget: 8000,
  });
  await new TaskTreeStore(new NodeStateStore(abs('.baton')), clock).save(tree);

  codeServer = await startCodeServer({ runDir, port: await freePort(), installExtensions: [vsix], logFile: path.join(outDir, 'server.log') });
  say(`code-server ${codeServer.url}, workspace ${folder}`);
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${codeServer.url}?folder=${folderQuery(folder)}`);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  await page.locator('.statusbar').waitFor();
  const wb = new Workbench(page, { shotDir, say, results });
  // A wider side bar for the screenshots: its edge dragged, as a person would (cosmetic only).
  await wb.dragSideBarTo(590).catch(() => {});
  const sidebar = () => wb.sidebar();
  const sidebarText = () => wb.sidebarText();
  const ledgerPaths = (text) => {
    const ledger = text.slice(text.search(/^Ledger$/im), text.search(/^Checkpoints \(/im) >>> 0);
    return [...ledger.matchAll(/^(?:whole|snippet|outline)\s+(\S+)/gim)].map((m) => m[1]);
  };

  await wb.step('Show Context Plan from the palette: the sidebar shows the ledger', async () => {
    await wb.palette('Baton: Show Context Plan');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget', { hasText: /task/i }).waitFor({ timeout: 10000 });
    await input.fill(TASK);
    await input.press('Enter');
    const text = await waitFor(
      'the plan in the sidebar',
      async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const t = await f
            .locator('body')
            .innerText({ timeout: 500 })
            .catch(() => '');
          if (/\d+ \/ 16000 tokens/.test(t) && /pantry\/units\.py/.test(t)) return t;
        }
        return null;
      },
      60000,
    );
    const top = text.match(/^(?:whole|snippet|outline)\s+(\S+)/im)?.[1];
    check(top === FILE, `the top item of the plan is ${top}, not ${FILE}`);
    await wb.shot('01-context-plan.png');
  });

  let ledgerBefore = [];
  await wb.step("the node in the sidebar's tree: its ledger; Drop and Pin change it", async () => {
    const f = await sidebar();
    await f.locator(`[data-node-id="${node.id}"] .node-title`).first().click();
    const text = await waitFor(
      "the node's ledger",
      async () => {
        const t = await sidebarText();
        return /Ledger\s*Accept "tablespoons"/i.test(t) &&
          /Prompt: [\d,]+ of 8,000 tokens \(context [\d,]+, task [\d,]+, instructions [\d,]+\)/.test(t) &&
          ledgerPaths(t).length >= 3
          ? t
          : null;
      },
      45000,
    );
    ledgerBefore = ledgerPaths(text);
    // The maker's prompt says its budget against the model's window and the answer reserve, in words.
    check(
      /Budget 8,000 tokens, within .*'s [\d,]+-token window minus the answer reserve \([\d,]+\)/.test(text),
      `the ledger does not say its budget against the window: ${text.slice(0, 600)}`,
    );
    check(/Answer reserve: up to [\d,]+ tokens for .*'s answer, outside the prompt/.test(text), 'the ledger does not say the answer reserve');
    check(ledgerBefore.includes(FILE), `${FILE} is not in the node's ledger: ${JSON.stringify(ledgerBefore)}`);
    const dropped = ledgerBefore.find((p) => p !== FILE);
    await f.locator(`vscode-button[data-action="drop"][data-path="${dropped}"]`).first().click();
    const afterDrop = await waitFor(`${dropped} dropped`, async () => {
      const t = await sidebarText();
      return /Dropped/i.test(t) && !ledgerPaths(t).includes(dropped) ? t : null;
    });
    const pinned =
      ledgerPaths(afterDrop)
        .filter((p) => p !== FILE)
        .at(-1) ?? ledgerPaths(afterDrop).at(-1);
    check(pinned && pinned !== ledgerPaths(afterDrop)[0], `nothing to pin below the top item: ${JSON.stringify(ledgerPaths(afterDrop))}`);
    await f.locator(`vscode-button[data-action="pin"][data-path="${pinned}"]`).first().click();
    await waitFor(`${pinned} pinned first`, async () => {
      const t = await sidebarText();
      return /pinned by you/i.test(t) && ledgerPaths(t)[0] === pinned && !ledgerPaths(t).includes(dropped) ? t : null;
    });
    await f.locator(`[data-node-id="${node.id}"]`).first().scrollIntoViewIfNeeded();
    await wb.shot('02-node-ledger.png');
    // The side bar alone (activity bar included), for the README.
    const bar = await page.locator('.part.sidebar').first().boundingBox();
    if (bar)
      await page.screenshot({
        path: path.join(shotDir, '02-node-ledger-sidebar.png'),
        clip: { x: 0, y: 0, width: Math.ceil(bar.x + bar.width + 8), height: 900 },
      });
  });

  let diffReady = false;
  await wb.step('Run Subtask from the palette: the test command confirmed, the diff opens', async () => {
    await wb.palette('Baton: Run Subtask');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Accept "tablespoons"' }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await row.click();
    await wb.notificationButton('Baton will run', 'Run It');
    await waitFor(
      'the proposal in a diff editor',
      async () =>
        (await page.locator('.monaco-diff-editor').count()) > 0 && (await page.locator('.codelens-decoration a', { hasText: 'Accept hunk' }).count()) >= 2,
      60000,
    );
    check(fs.readFileSync(abs(FILE)).equals(original), 'the file changed before the review');
    diffReady = true;
    await wb.shot('03-diff-review.png');
  });

  await wb.step('Accept hunk 1, Reject hunk 2, Apply: exactly the first change is on disk', async () => {
    check(diffReady, 'no diff review to act on');
    await wb.lens('Accept hunk').first().click();
    // A lens without a command (the hunk's state) is a label, not a link.
    const state = (title) => wb.lensLabel(title);
    await waitFor('hunk 1 accepted', async () => (await state('Hunk 1 of 2: ✓ accepted').count()) > 0);
    await wb.lens('Reject hunk').last().click(); // hunk 1 now offers only Reject; the last is hunk 2's
    await waitFor('hunk 2 rejected', async () => (await state('Hunk 2 of 2: ✕ rejected').count()) > 0);
    check((await state('Hunk 1 of 2: ✓ accepted').count()) > 0, 'hunk 1 is no longer accepted');
    await page.locator('.monaco-diff-editor').first().waitFor();
    await wb.applyAccepted();
    const expected = originalText.replace(aliases, firstChange);
    await waitFor(`${FILE} written with the first hunk`, async () => fs.readFileSync(abs(FILE), 'utf8') === expected);
    const now = fs.readFileSync(abs(FILE), 'utf8');
    check(now.includes(firstChange) && now.includes(known) && !now.includes(secondChange), 'the file on disk is not exactly the first change');
    await waitFor('the run done', async () => /"done"/.test(fs.readFileSync(abs('.baton/tree.json'), 'utf8')) && server.pendingSteps === 0, 30000);
    await wb.shot('04-applied.png');
  });

  await wb.step("Restore in the sidebar's checkpoint timeline: the original bytes are back", async () => {
    const f = await sidebar();
    const restore = f.locator('li[data-checkpoint-id] vscode-button[data-action="restore"]');
    await waitFor('a checkpoint in the timeline', async () => (await restore.count()) > 0);
    await restore.last().click(); // newest first: the last is the step before the change
    await wb.notificationButton('to before', 'Restore');
    await waitFor(`${FILE} restored`, async () => fs.readFileSync(abs(FILE)).equals(original));
    await waitFor('the restore in the timeline', async () => /Restored 1 file/i.test(await sidebarText()));
    await wb.shot('05-restored.png');
  });
  await page.close();

  await cockpitFlow({ browser, url: codeServer.url, runDir, root, server, shotDir, say, results });
}

let failedToRun = null;
try {
  await main();
} catch (err) {
  failedToRun = err;
  say(`could not run: ${err?.stack ?? err}`);
} finally {
  await cleanUp();
}
const passed = results.filter(Boolean).length;
const failed = results.length - passed + (failedToRun ? 1 : 0);
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in out/test-ui/screenshots/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === 5 + COCKPIT_STEPS ? 0 : 1);
