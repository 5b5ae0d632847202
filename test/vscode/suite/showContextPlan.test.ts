// "Baton: Show Context Plan" end to end in a real VS Code, with no model configured: the plan for a
// task about sample-workspace (pantry), the ledger in the sidebar, the status bar figure, opening an
// item from the sidebar, editor signals, re-indexing after a file change, and bad settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanView } from '../../../src/protocol';
import { hasRunner, notification, palette, screenshot, sleep, uiClick, uiKeys, uiText, waitFor, webviewClick, webviewText } from './runner';
import { folder } from './workspaceFolder';

const TASK =
  'Ingredient lines with a dotted unit abbreviation, like "3 tbsp. sugar" or "1 c. flour", fail to parse: ' +
  'parse_line reads "tbsp." as part of the name. Accept the dotted forms when parsing quantities.';
const TOP_FILE = 'pantry/ingredients.py';
const BUDGET = 1500;
const STATUS_ITEM = '.statusbar-item[id*="contextPlan" i]';
const SIDEBAR_TITLE = '.part.sidebar .composite.title';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('baton.context');
}

async function plan(task = TASK): Promise<PlanView | undefined> {
  return vscode.commands.executeCommand<PlanView | undefined>('baton.showContextPlan', task);
}

function activePath(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : undefined;
}

suite('Context plan in a real VS Code', () => {
  let first: PlanView | undefined;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('baton-dev.baton')!.activate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('budget', BUDGET, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await config().update('budget', undefined, vscode.ConfigurationTarget.Global);
  });

  test("typed key by key into Show Context Plan's input from the palette, the whole task arrives: no walkthrough or editor takes the focus", async function () {
    if (!hasRunner()) this.skip();
    this.timeout(120000);
    const typed = 'Accept dotted units like tbsp. when parsing lines';
    assert.ok((await palette('Baton: Show Context Plan', true)).found, 'Show Context Plan is not in the palette');
    await waitFor('the task input', async () => ((await uiText('.quick-input-widget'))?.includes('What is the task') ? true : null));
    const keys = [...typed].map((c) => (c === ' ' ? 'Space' : c));
    assert.ok(await uiKeys('.quick-input-widget input', [...keys, 'Enter']), 'the task input is gone');
    const shown = await waitFor('the plan of the typed task', async () => (await webviewText(typed, 30000)).text, 60000);
    assert.match(shown, /Context plan for a typed task/i);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    assert.ok(!tabs.some((label) => /walkthrough|welcome|get started/i.test(label)), `an editor opened while the task was typed: ${JSON.stringify(tabs)}`);
  });

  test('a task given as the argument is planned with the budget from the settings', async () => {
    const t0 = Date.now();
    first = await plan();
    assert.ok(first, 'baton.showContextPlan returned no plan');
    console.log(`  (planned in ${Date.now() - t0} ms: ${first.used}/${first.budget}, ${first.items.length} items, top ${first.items[0]?.path})`);
    assert.equal(first.budget, BUDGET, 'the budget is not the one in baton.context.budget');
    assert.equal(first.items[0]?.path, TOP_FILE, `top item: ${JSON.stringify(first.items.map((i) => i.path))}`);
    assert.ok(first.used > 0 && first.used + first.reserved.answer <= first.budget, `used ${first.used} + answer ${first.reserved.answer} > ${first.budget}`);
    assert.equal(first.encoding, 'o200k_base', 'baton.context.model (gpt-4o) did not pick o200k_base');
    assert.ok((first.omittedByReason.budget ?? 0) > 0, 'at 1500 tokens some ranked file should be cut for the budget');
  });

  test('the sidebar shows the task, used / budget, the items best first and what was left out', async function () {
    if (!hasRunner()) this.skip();
    assert.ok(first, 'no plan from the previous test');
    const figure = `${first.used} / ${first.budget} tokens`;
    const seen = await webviewText(figure);
    assert.ok(seen.text, `no webview shows ${JSON.stringify(figure)}; webview texts: ${JSON.stringify(seen.frames)}`);
    const text = seen.text;
    assert.ok(text.includes('tbsp. sugar'), 'the task text is not shown');
    assert.match(text, new RegExp(`Items \\(${first.items.length}\\)`, 'i'));
    const items = text.slice(text.search(/Items \(/i));
    const firstPathAt = items.indexOf(TOP_FILE);
    assert.ok(firstPathAt >= 0, `${TOP_FILE} is not listed`);
    for (const other of first.items.slice(1)) {
      const at = items.indexOf(other.path);
      assert.ok(at > firstPathAt, `${other.path} is not listed after ${TOP_FILE}`);
    }
    assert.match(items, /defines parse_line/, 'the reasons of the top item are not shown');
    assert.match(text, /instructions \d+ \+ task \d+/, 'the reserved parts are not shown');
    assert.match(text, /Left out[\s\S]*for the budget/i, 'the left-out summary is missing');
    assert.ok(text.includes(first.budgetCut[0]!.path), `the first budget-cut file ${first.budgetCut[0]!.path} is not shown`);
  });

  test('the status bar shows Baton: used/budget and a click on it brings up the sidebar', async function () {
    if (!hasRunner()) this.skip();
    assert.ok(first);
    const expected = `Baton: ${first.used}/${first.budget}`;
    const text = await waitFor('the Baton status bar item', () => uiText(STATUS_ITEM));
    assert.equal(text.trim(), expected);

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the sidebar to close', async () => ((await uiText(SIDEBAR_TITLE)) === null ? 'closed' : null));
    assert.ok(await uiClick(STATUS_ITEM), 'could not click the status bar item');
    await waitFor('the Baton sidebar', async () => {
      const t = await uiText(SIDEBAR_TITLE);
      return t && /baton/i.test(t) ? t : null;
    });
  });

  test('clicking an item in the sidebar opens its file at its first line range (screenshot)', async function () {
    if (!hasRunner()) this.skip();
    assert.ok(first);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(activePath(), undefined);
    const item = first.items[0]!;
    const click = await webviewClick(`button.item[data-path="${item.path}"]`);
    assert.ok(click.clicked, `no clickable item for ${item.path} in the sidebar`);
    await waitFor(`${item.path} to open`, () => (activePath() === item.path ? true : null), 10000);
    const line = vscode.window.activeTextEditor!.selection.active.line + 1;
    assert.equal(line, item.ranges[0]![0], `the cursor is on line ${line}, not at the first range ${JSON.stringify(item.ranges[0])}`);

    await vscode.commands.executeCommand('baton.sidebar.focus');
    await webviewText(`${first.used} / ${first.budget} tokens`);
    await sleep(500); // let the components paint
    const file = await screenshot('baton-context-plan');
    assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
  });

  test('files open in tabs and files edited in this session count as signals', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const cli = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'pantry/cli.py'));
    await vscode.window.showTextDocument(cli, { preview: false });
    const main = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'pantry/__main__.py'));
    const editor = await vscode.window.showTextDocument(main, { preview: false });
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# scratch\n'));
    // Room for every ranked file, so the question is only whether the signals reached the engine.
    await config().update('budget', 16000, vscode.ConfigurationTarget.Global);
    try {
      const view = await plan();
      assert.ok(view);
      const signals = (path: string): string[] => view.items.find((i) => i.path === path)?.reasons.map((r) => r.signal) ?? [];
      assert.ok(signals('pantry/cli.py').includes('open'), `pantry/cli.py reasons: ${JSON.stringify(signals('pantry/cli.py'))}`);
      assert.ok(signals('pantry/__main__.py').includes('recent'), `pantry/__main__.py reasons: ${JSON.stringify(signals('pantry/__main__.py'))}`);
    } finally {
      await config().update('budget', BUDGET, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('a file created after the first plan is in the next plan (the index is rebuilt)', async () => {
    const file = vscode.Uri.joinPath(folder(), 'pantry/nutrition.py');
    const body = 'def calories_per_serving(recipe, table):\n    """Kilocalories in one serving of the recipe."""\n    return 0\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(body));
    try {
      const task = 'calories_per_serving in pantry/nutrition.py always returns 0: sum the kilocalories of every ingredient';
      // The watcher reports the new file a little later; the plan after it must include it.
      const view = await waitFor('pantry/nutrition.py in a plan', async () => {
        const v = await plan(task);
        return v?.items.some((i) => i.path === 'pantry/nutrition.py') ? v : null;
      });
      assert.equal(view.items[0]?.path, 'pantry/nutrition.py');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  test('a bad budget setting gets a message naming it and the default is used', async function () {
    await config().update('budget', 10, vscode.ConfigurationTarget.Global);
    try {
      const view = await plan();
      assert.ok(view);
      assert.equal(view.budget, 16000, 'the default budget was not used for baton.context.budget = 10');
      if (hasRunner()) {
        const message = await notification('baton.context.budget');
        assert.match(message, /the setting baton\.context\.budget is 10, but it needs a whole number/);
      }
    } finally {
      await config().update('budget', BUDGET, vscode.ConfigurationTarget.Global);
    }
  });

  test('a task longer than the budget is refused with a clear message', async function () {
    const view = await plan(`Rename every ingredient: ${'flour sugar butter eggs milk salt '.repeat(400)}`);
    assert.equal(view, undefined, 'a plan was made for a task larger than the budget');
    if (hasRunner()) {
      const message = await notification('raise the budget');
      assert.match(message, /raise the budget or shorten the task \(setting baton\.context\.budget: 1500\)\./);
    }
  });

  test('a context plan on a large folder says how many files are indexed, and its Cancel stops the indexing', async function () {
    if (!hasRunner()) this.skip();
    // Enough files that indexing lasts long enough to read the notification and press its Cancel
    // (10,000 were indexed in about a second, faster than a click lands on a loaded machine).
    const bulk = path.join(folder().fsPath, 'bulk');
    for (let d = 0; d < 300; d++) {
      fs.mkdirSync(path.join(bulk, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++)
        fs.writeFileSync(path.join(bulk, `d${d}`, `m${f}.ts`), `export function f${d}_${f}(x: number): number {\n  return x + ${f};\n}\n`);
    }
    // A new limit makes the next plan index at once, without waiting for the watcher to see bulk/.
    await config().update('maxFileBytes', 500_000, vscode.ConfigurationTarget.Global);
    try {
      const planning = plan();
      const item = '.notifications-center .notification-list-item:has-text("indexing:")';
      await vscode.commands.executeCommand('notifications.showList');
      const shown = await waitFor('the indexing progress in a notification', async () => (await uiText(item))?.replace(/\s+/g, ' '), 30000);
      console.log(`  (the notification read: ${shown})`);
      assert.match(shown, /indexing: (\d[\d,]* folders listed|read \d[\d,]* of \d[\d,]* files|\d[\d,]* of \d[\d,]* files)/);
      assert.ok(await uiClick(`${item} .monaco-button:has-text("Cancel")`), 'no Cancel on the progress notification');
      await vscode.commands.executeCommand('notifications.hideList');
      assert.equal(await planning, undefined, 'a cancelled plan still gave a plan');
      const message = await notification('Cancelled');
      assert.match(message, /Baton: Cancelled: the workspace was not indexed\./);
    } finally {
      fs.rmSync(bulk, { recursive: true, force: true });
      await config().update('maxFileBytes', undefined, vscode.ConfigurationTarget.Global);
    }
    // The cancelled indexing is not kept: the next plan indexes again and plans as before.
    const view = await waitFor('a plan without bulk/', async () => {
      const v = await plan();
      return v && !v.items.some((i) => i.path.startsWith('bulk/')) ? v : null;
    });
    assert.equal(view.items[0]?.path, TOP_FILE);
  });
});
