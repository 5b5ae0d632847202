// The task side of the Baton sidebar in a real VS Code: the saved tree with state, badges, budgets
// and cost; keyboard navigation of the ARIA tree; the selected node's ledger with Pin and Drop; the
// budget field writing .baton/tree.json (and a refused change); the checkpoint timeline with
// Compare with now and Restore; the status bar; state kept across hide/show; light and dark themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TaskTree } from '../../../src/core/tasks/taskTree';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import {
  hasRunner,
  screenshot,
  sleep,
  uiClick,
  uiKeys,
  uiText,
  waitFor,
  webviewClick,
  webviewKeys,
  webviewOverflow,
  webviewStyle,
  webviewText,
} from './runner';
import { abs, folder, treeStore } from './workspaceFolder';

const FILE = 'pantry/units.py';
const STATUS_ITEM = '.statusbar-item[id*="nodeBudget" i]';
const TAB_STOP = '[role="treeitem"][tabindex="0"]';
/** The budget field, found as assistive technology finds it: a spin button with its label's name. */
const BUDGET_FIELD = 'role=spinbutton[name="Budget (tokens)"]';
const clock = { now: () => Date.now() };
// A long file name with no slash to wrap after: its row must still fit the sidebar.
const LONG_FILE = 'pantry/tablespoon_and_teaspoon_conversion_tables_for_dotted_abbreviations.py';

/** Two roots: one splitting its budget as its children ask (fixed), one splitting it equally. */
function sampleTree(): { tree: TaskTree; ids: Record<'root' | 'parse' | 'decide' | 'docs' | 'write', string> } {
  let tree = TaskTree.empty(clock);
  const root = tree.addChild(null, { title: 'Accept dotted unit abbreviations', budget: 6000, policy: { kind: 'fixed' } });
  tree = root.tree;
  const parse = tree.addChild(root.node.id, {
    title: 'Parse tbsp. in parse_line',
    goal: 'parse_line in pantry/ingredients.py reads "3 tbsp. sugar" as 3 tbsp of sugar',
    budget: 3000,
  });
  tree = parse.tree;
  const decide = tree.addChild(root.node.id, {
    title: 'Decide the unit naming policy',
    mode: 'keep',
    keepReason: 'a naming decision for the person',
    budget: 2000,
  });
  tree = decide.tree;
  const docs = tree.addChild(null, { title: 'Document the units', budget: 4000, policy: { kind: 'equal' } });
  tree = docs.tree;
  const write = tree.addChild(docs.node.id, { title: 'Write the units table', goal: 'list every unit of pantry/units.py' });
  tree = write.tree;
  tree = tree.withUsage(parse.node.id, { inputTokens: 1200, outputTokens: 300, cost: 0.0123, calls: 2 }).edit(parse.node.id, { state: 'done' });
  return { tree, ids: { root: root.node.id, parse: parse.node.id, decide: decide.node.id, docs: docs.node.id, write: write.node.id } };
}

/** The ledger items' paths in the order shown: each item reads "tier path [ranges] tokens". */
function ledgerPaths(text: string): string[] {
  // innerText follows the CSS: headings and tiers read in capitals.
  const ledger = text.slice(text.search(/^Ledger$/im), text.search(/^Checkpoints \(/im));
  return [...ledger.matchAll(/^(?:whole|snippet|outline)\s+(\S+)/gim)].map((m) => m[1]!);
}

/**
 * The components wear the theme's colours (their styles applied and VS Code's variables reaching
 * them): the primary and secondary buttons and the budget field, as the browser computes them. Where
 * a theme sets no secondary button colour (high contrast) it reads as transparent, as VS Code's own.
 */
async function assertThemedComponents(theme: string): Promise<void> {
  const parts = [
    ['the Show Context Plan button', 'vscode-button:not([secondary]) .base', 'background-color', '--vscode-button-background'],
    ['a Pin button', 'vscode-button[secondary][data-action="pin"] .base', 'background-color', '--vscode-button-secondaryBackground'],
    ['the budget field', '#node-budget .root', 'background-color', '--vscode-settings-textInputBackground'],
    ['the budget field', '#node-budget input', 'color', '--vscode-settings-textInputForeground'],
  ] as const;
  for (const [what, selector, property, variable] of parts) {
    const seen = await webviewStyle(selector, [property], [variable]);
    assert.ok(seen.found, `${theme}: ${what} is not shown`);
    assert.equal(seen.styles[property], seen.themeColors[variable], `${theme}: the ${property} of ${what} is not the theme's ${variable}`);
  }
}

suite('Sidebar task tree in a real VS Code', () => {
  let ids: ReturnType<typeof sampleTree>['ids'];
  let original: Buffer;
  let api: BatonServices;

  suiteSetup(async function () {
    if (!hasRunner()) this.skip();
    api = await batonServices();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    original = fs.readFileSync(abs(FILE));
    const sample = sampleTree();
    ids = sample.ids;
    await treeStore().save(sample.tree);
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    await vscode.commands.executeCommand('baton.sidebar.focus');
  });

  suiteTeardown(async () => {
    if (!original) return;
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(abs(FILE), original);
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
    await vscode.commands.executeCommand('baton.sidebar.refresh');
  });

  test('the tree shows each node with its state, title, delegate/keep badge, budget used of allocated and cost', async () => {
    const seen = await webviewText('Write the units table');
    assert.ok(seen.text, `the tree is not shown; webview texts: ${JSON.stringify(seen.frames)}`);
    const text = seen.text;
    for (const title of ['Accept dotted unit abbreviations', 'Parse tbsp. in parse_line', 'Decide the unit naming policy', 'Document the units'])
      assert.ok(text.includes(title), `${title} is missing`);
    assert.match(text, /Parse tbsp\. in parse_line\s*delegate\s*1500 \/ 3000\s*\$0\.01/, 'the used node shows its tokens and cost');
    assert.match(text, /Decide the unit naming policy\s*KEEP\s*0 \/ 2000/, 'the kept node has its KEEP badge');
    assert.match(text, /Accept dotted unit abbreviations\s*delegate\s*1500 \/ 6000/, "the root rolls its subtask's usage up");
    assert.match(text, /Write the units table\s*delegate\s*0 \/ 4000/, 'an equal split of one child gives it all');
    assert.match(text, /✓\s*Parse tbsp/, 'the done node has its state glyph');
    assert.match(text, /Roles[\s\S]*maker\s*not set/i, 'the roles show "not set" with no model configured');
  });

  test('the tree is one tab stop and is walked with the arrow keys, Home and End', async () => {
    let r = await webviewKeys(TAB_STOP, ['Home']);
    assert.ok(r.pressed, 'no tree item holds the tab stop');
    assert.equal(r.active?.nodeId, ids.root);
    r = await webviewKeys(TAB_STOP, ['ArrowDown']);
    assert.equal(r.active?.nodeId, ids.parse, 'Down goes to the first child');
    r = await webviewKeys(TAB_STOP, ['End']);
    assert.equal(r.active?.nodeId, ids.write, 'End goes to the last visible item');
    r = await webviewKeys(TAB_STOP, ['ArrowLeft']);
    assert.equal(r.active?.nodeId, ids.docs, 'Left on a leaf goes to its parent');
    r = await webviewKeys(TAB_STOP, ['ArrowLeft']);
    assert.deepEqual([r.active?.nodeId, r.active?.expanded], [ids.docs, 'false'], 'Left on an open parent closes it');
    r = await webviewKeys(TAB_STOP, ['End']);
    assert.equal(r.active?.nodeId, ids.docs, 'the closed parent hides its child');
    r = await webviewKeys(TAB_STOP, ['ArrowRight']);
    assert.equal(r.active?.expanded, 'true', 'Right opens it again');
    r = await webviewKeys(TAB_STOP, ['ArrowRight']);
    assert.equal(r.active?.nodeId, ids.write, 'Right on an open parent goes to its first child');
    r = await webviewKeys(TAB_STOP, ['Home', 'ArrowDown', 'Enter']);
    assert.deepEqual([r.active?.nodeId, r.active?.selected], [ids.parse, 'true'], 'Enter selects the item');
  });

  test('the selected node shows its ledger; Pin and Drop (mouse or keyboard) change it at once; the status bar shows its budget', async () => {
    const ledger = await waitFor(
      'the ledger of the selected node',
      async () => {
        const t = (await webviewText('Context plan ·', 20000)).text;
        return t && ledgerPaths(t).length >= 2 ? t : null;
      },
      30000,
    );
    assert.match(ledger, /Ledger\s*Parse tbsp\. in parse_line/i);
    // The numbers in words: the node's budget, what the prompt used of it, the answer's share, why files were left out.
    assert.match(ledger, /Context plan · o200k_base/i);
    assert.match(ledger, /Budget 3,000 tokens; no model's window caps it\./, "the ledger is planned within the node's budget");
    assert.match(ledger, /Prompt: [\d,]+ of the [\d,]+ tokens left after the answer reserve \(context [\d,]+, task [\d,]+, instructions [\d,]+\)/);
    assert.match(ledger, /Answer reserve: [\d,]+ tokens of the budget kept for the answer/);
    assert.match(ledger, /Left out: \d+ files? [a-z]/);
    // At 300 px a path wraps after its slashes (a <wbr> each), never mid-word.
    const pathStyle = await webviewStyle('.ledger-item .path', ['overflow-wrap', 'word-break']);
    assert.deepEqual(pathStyle.styles, { 'overflow-wrap': 'break-word', 'word-break': 'normal' });
    const paths = ledgerPaths(ledger);
    assert.ok(paths.includes('pantry/ingredients.py'), `ledger paths: ${JSON.stringify(paths)}`);
    assert.equal((await uiText(STATUS_ITEM))?.trim(), 'Baton task: 1500/3000');

    const dropped = paths[0]!;
    assert.ok((await webviewClick(`vscode-button[data-action="drop"][data-path="${dropped}"]`)).clicked, `no Drop button for ${dropped}`);
    const afterDrop = await waitFor(`${dropped} dropped`, async () => {
      const t = (await webviewText('Dropped')).text;
      return t && !ledgerPaths(t).includes(dropped) ? t : null;
    });
    assert.match(afterDrop, new RegExp(`Dropped\\s*${dropped.replace(/\./g, '\\.')}`, 'i'), 'the dropped file is listed to bring back');

    const pinned = ledgerPaths(afterDrop).at(-1)!;
    // By keyboard: the button takes the focus and Enter presses it.
    const pin = await webviewKeys(`vscode-button[data-action="pin"][data-path="${pinned}"]`, ['Enter']);
    assert.ok(pin.pressed, `no Pin button for ${pinned}`);
    const afterPin = await waitFor(`${pinned} pinned first`, async () => {
      const t = (await webviewText('pinned by you')).text;
      return t && ledgerPaths(t)[0] === pinned ? t : null;
    });
    assert.ok(!ledgerPaths(afterPin).includes(dropped), 'the dropped file stays out after a pin');

    // Found by its role and accessible name, and pressed with Space.
    assert.ok((await webviewKeys(`role=button[name="Bring back ${dropped}"]`, [' '])).pressed, 'no Bring back button');
    await waitFor(`${dropped} back in the ledger`, async () => {
      const t = (await webviewText('pinned by you')).text;
      return t && ledgerPaths(t).includes(dropped) ? t : null;
    });
  });

  test("the budget field sets the node's budget in .baton/tree.json; a refused change shows why", async () => {
    const r = await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '2500' });
    assert.ok(r.pressed, 'no budget field');
    await waitFor('the new budget in tree.json', async () => ((await treeStore().load()).tree.get(ids.parse).budget.allocated === 2500 ? true : null));
    await waitFor('the ledger re-planned in 2500 tokens', async () => ((await webviewText('Budget 2,500 tokens')).text ? true : null));
    assert.equal(await waitFor('the status bar', async () => ((await uiText(STATUS_ITEM))?.trim() === 'Baton task: 1500/2500' ? 'ok' : null)), 'ok');

    assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`)).clicked);
    await waitFor('the ledger of the equal-split child', async () => ((await webviewText('Comes from the parent')).text ? true : null));
    await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '100' });
    const refused = (await webviewText('Budget not changed')).text ?? '';
    assert.match(refused, /Budget not changed: .*gets its budget from .*Document the units.*splits equally; set the budget of .*Document the units.* instead/);
    assert.match(refused, /or switch .*Document the units.* to a fixed split/, 'the advice names the split that would allow it');
    // The banner can be closed, and the next thing the person asks clears it too.
    assert.ok((await webviewKeys('vscode-button[data-action="dismiss-notice"]', ['Enter'])).pressed, 'the refusal has no close button');
    await waitFor('the refusal closed', async () => ((await webviewText('Budget not changed', 500)).text ? null : true));
    await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '100' });
    await waitFor('the refusal again', async () => ((await webviewText('Budget not changed')).text ? true : null));
    assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`)).clicked);
    await waitFor('the refusal cleared by the next action', async () => ((await webviewText('Budget not changed', 500)).text ? null : true));
    assert.equal((await treeStore().load()).tree.get(ids.write).budget.allocated, 4000, 'the refused change was not saved');
  });

  test("a refused budget offers to edit the parent's split: Fixed there makes the budget the node's own; the refusal goes once resolved", async () => {
    assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`)).clicked);
    await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '1000' });
    await waitFor('the refusal with its action', async () =>
      (await webviewText('Budget not changed')).text?.includes("Edit the Parent's Split") ? true : null,
    );
    // The refusal's button opens the parent's split policy editor; the person picks Fixed.
    assert.ok((await webviewClick('vscode-button[data-action="notice-fix"]')).clicked, 'the refusal offers no action');
    const picker = await waitFor('the split policy picker', () => uiText('.quick-input-widget'));
    assert.match(picker, /split of "Document the units"[\s\S]*Fixed[\s\S]*Equal\s*\(current\)[\s\S]*Weighted/);
    assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: 'Fixed' }), 'could not pick Fixed');
    await waitFor('the fixed split in tree.json', async () => ((await treeStore().load()).tree.get(ids.docs).budget.policy.kind === 'fixed' ? true : null));
    await waitFor('the refusal gone', async () => ((await webviewText('Budget not changed', 500)).text ? null : true));
    await waitFor("the budget now the node's own", async () => ((await webviewText('Enter sets it')).text ? true : null));
    await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '1000' });
    await waitFor('the budget saved', async () => ((await treeStore().load()).tree.get(ids.write).budget.allocated === 1000 ? true : null));
    await vscode.commands.executeCommand('notifications.clearAll');

    // The parent shows its split, offers Edit Split Policy inline and in its context menu; a leaf offers neither.
    assert.ok((await webviewClick(`[data-node-id="${ids.docs}"] .node-title`)).clicked);
    const parent = await waitFor("the parent's ledger", async () => (await webviewText('Fixed split: each of its 1 subtask')).text);
    assert.match(parent, /Edit Budget\s*Edit Split Policy/, "the parent's inline actions");
    assert.ok((await webviewClick(`[data-node-id="${ids.docs}"] .node-title`, 20000, 'right')).clicked);
    assert.match(await waitFor("the parent's context menu", () => uiText('.context-view .monaco-menu')), /Set Split Policy/);
    await uiKeys('.context-view .monaco-menu', ['Escape']);
    assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`, 20000, 'right')).clicked);
    assert.doesNotMatch(await waitFor("the leaf's context menu", () => uiText('.context-view .monaco-menu')), /Set Split Policy/);
    await uiKeys('.context-view .monaco-menu', ['Escape']);

    // Back to an equal split (from the palette's command): refused again; resolved from the palette, the banner goes by itself.
    await vscode.commands.executeCommand('baton.setSplitPolicy', ids.docs, 'equal');
    assert.equal((await treeStore().load()).tree.get(ids.write).budget.allocated, 4000, 'an equal split of one child gives it all again');
    assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`)).clicked);
    await waitFor('the budget from the parent again', async () => ((await webviewText('Comes from the parent')).text ? true : null));
    await webviewKeys(BUDGET_FIELD, ['Enter'], { fill: '1000' });
    await waitFor('the refusal again', async () => ((await webviewText('Budget not changed')).text ? true : null));
    await vscode.commands.executeCommand('baton.setSplitPolicy', ids.docs, 'fixed');
    await waitFor('the refusal gone once the split is fixed', async () => ((await webviewText('Budget not changed', 500)).text ? null : true));
    await vscode.commands.executeCommand('baton.setSplitPolicy', ids.docs, 'equal');
    await vscode.commands.executeCommand('notifications.clearAll');
    await waitFor('the equal split shown', async () => ((await webviewText('Comes from the parent')).text ? true : null));
  });

  test('the checkpoint timeline lists a new checkpoint; Compare with now opens a diff; Restore brings the file back', async () => {
    const checkpoints = api.workspaces.for(folder()).checkpoints; // the extension's: signed with its key, so the sidebar lists it as its own
    const id = await checkpoints.create({ nodeId: ids.parse, label: 'Sidebar test edit', paths: [FILE], tokens: 321, cost: 0.02 });
    fs.writeFileSync(abs(FILE), `${original.toString('utf8')}\n# SIDEBAR-TEST-CHANGE\n`);
    await checkpoints.recordAfter(id);
    await vscode.commands.executeCommand('baton.sidebar.refresh');

    const text = (await webviewText('Sidebar test edit')).text ?? '';
    assert.match(text, /Checkpoints \(1\)[\s\S]*Parse tbsp\. in parse_line\s*Sidebar test edit\s*pantry\/units\.py\s*modified[\s\S]*321 tokens · \$0\.02/i);

    assert.ok((await webviewClick(`li[data-checkpoint-id="${id}"] vscode-button[data-action="compare"]`)).clicked);
    const diff = await waitFor('the comparison diff', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : null;
    });
    assert.equal(diff.original.scheme, 'baton-checkpoint');
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), original.toString('utf8'), 'the left side is the pre-image');
    assert.equal(diff.modified.fsPath, abs(FILE));
    // Closed once both sides are shown: a diff editor closed while it still opens can come back.
    await waitFor('both sides of the diff shown', () => {
      const shown = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString());
      return shown.includes(diff.original.toString()) && shown.includes(diff.modified.toString()) ? true : null;
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Unsaved edits to the file: the restore is refused before anything is asked, and the sidebar says why.
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(abs(FILE)));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# unsaved\n'));
    assert.ok((await webviewClick(`li[data-checkpoint-id="${id}"] vscode-button[data-action="restore"]`)).clicked);
    const refused = (await webviewText('unsaved changes')).text ?? '';
    assert.match(refused, /Restoring checkpoint "Sidebar test edit" refused: "?pantry\/units\.py"? has unsaved changes/);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(editor.document.isDirty, false, 'the unsaved edit was not reverted');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    assert.ok((await webviewClick(`li[data-checkpoint-id="${id}"] vscode-button[data-action="restore"]`)).clicked);
    await vscode.commands.executeCommand('notifications.showList');
    // The confirmation names each file the restore will write.
    const asked = await waitFor('the restore confirmation', () => uiText('.notifications-center .notification-list-item:has-text("to before")'));
    assert.match(asked, /restore to before "Sidebar test edit"\? It will rewrite "pantry\/units\.py"\./);
    assert.ok(
      await uiClick('.notifications-center .notification-list-item:has-text("to before") .monaco-button:has-text("Restore")', 20000),
      'the restore confirmation did not appear',
    );
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
    await waitFor('the file restored', () => (fs.readFileSync(abs(FILE)).equals(original) ? true : null));
    // One reading: by the time the notice says the file was restored, the timeline lists the restore.
    const after = await waitFor('the restore notice', async () => (await webviewText('Restored 1 file')).text);
    assert.match(after, /Checkpoints \(2\)[\s\S]*Restore to before "Sidebar test edit"/i);
  });

  test('the selection survives hiding and showing the sidebar; the status bar brings it back', async () => {
    assert.notEqual(await uiText('.part.sidebar'), null, 'the sidebar shows before it is hidden');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the sidebar hidden', async () => ((await uiText('.part.sidebar')) === null ? true : null));
    assert.ok(await uiClick(STATUS_ITEM), 'could not click the status bar item');
    const r = await waitFor('the selected item after showing again', async () => {
      const k = await webviewKeys('[role="treeitem"][aria-selected="true"]', [], { timeoutMs: 5000 });
      return k.pressed ? k : null;
    });
    assert.equal(r.active?.nodeId, ids.write, 'the selection was kept');
    await waitFor('the ledger again', async () => ((await webviewText('Comes from the parent')).text ? true : null));
  });

  test('screenshots in the dark, light and high-contrast themes', async () => {
    assert.ok((await webviewClick(`[data-node-id="${ids.parse}"] .node-title`)).clicked);
    await waitFor('the ledger', async () => ((await webviewText('Budget 2,500 tokens')).text ? true : null));
    await sleep(500);
    for (const [theme, name] of [
      ['Default Dark Modern', 'baton-sidebar-tree'],
      ['Default Light Modern', 'baton-sidebar-tree-light'],
      ['Default High Contrast', 'baton-sidebar-tree-hc'],
    ] as const) {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      await sleep(1200);
      const file = await screenshot(name);
      assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
      await assertThemedComponents(theme);
    }
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  });

  test("one ledger at a time: a typed task's plan replaces the node's ledger, with a way back; at 300 px no row is cut off", async function () {
    this.timeout(180000);
    fs.writeFileSync(abs(LONG_FILE), 'def tablespoon_conversion_table():\n    return {"tbsp.": "tbsp", "tsp.": "tsp"}  # dotted abbreviations\n');
    try {
      assert.ok((await webviewClick(`[data-node-id="${ids.parse}"] .node-title`)).clicked);
      await waitFor("the node's ledger", async () => ((await webviewText('Of the selected node')).text ? true : null));
      await vscode.commands.executeCommand('baton.showContextPlan', `tablespoon conversion tables for dotted abbreviations in ${LONG_FILE}`);
      const plan = await waitFor(
        'the plan instead of the ledger',
        async () => {
          // innerText follows the CSS: headings read in capitals.
          const t = (await webviewText('tablespoon conversion tables for dotted')).text;
          return t && /Context plan for a typed task/i.test(t) ? t : null;
        },
        30000,
      );
      assert.doesNotMatch(plan, /^Ledger$/im, "the node's ledger shows beside the plan");
      assert.match(plan, /← Node Ledger\s*Context plan for a typed task\s*tablespoon conversion tables/i);
      const width = parseFloat((await webviewStyle('body', ['width'])).styles.width ?? '0');
      assert.ok(width > 200 && width <= 320, `the sidebar is ${width} px wide, not about 300`);
      const planOverflow = await webviewOverflow('section.plan');
      assert.deepEqual(planOverflow.overflowing, [], `the plan is cut off at ${planOverflow.width} px`);
      assert.ok((await webviewStyle(`section.plan [data-path="${LONG_FILE}"] .path`, ['display'])).found, 'the long path is not in the plan');

      // The way back: the node's ledger, and from there the plan again.
      assert.ok((await webviewClick('vscode-button[data-action="show-node-ledger"]')).clicked, "no way back to the node's ledger");
      const ledger = await waitFor("the node's ledger again", async () => (await webviewText('Of the selected node')).text);
      assert.match(ledger, /← Context Plan\s*Ledger\s*Parse tbsp\. in parse_line/i);
      assert.doesNotMatch(ledger, /Context plan for a typed task/i, "the plan shows beside the node's ledger");
      const ledgerOverflow = await webviewOverflow('section.ledger');
      assert.deepEqual(ledgerOverflow.overflowing, [], `the ledger is cut off at ${ledgerOverflow.width} px`);
      assert.ok((await webviewClick('vscode-button[data-action="show-plan"]')).clicked, 'no way back to the plan');
      await waitFor('the plan again', async () => ((await webviewText('tablespoon conversion tables for dotted')).text ? true : null));
      // Selecting a node is the newer request: its ledger replaces the plan.
      assert.ok((await webviewClick(`[data-node-id="${ids.write}"] .node-title`)).clicked);
      const other = await waitFor("the other node's ledger", async () => {
        const t = (await webviewText('Of the selected node')).text;
        return t && /^Ledger$/im.test(t) && t.includes('Write the units table') ? t : null;
      });
      assert.doesNotMatch(other, /Context plan for a typed task/i);
      await screenshot('baton-sidebar-one-ledger');
    } finally {
      fs.rmSync(abs(LONG_FILE), { force: true });
    }
  });
});
