// The sidebar as the place delegation happens, in a real VS Code driven as a person would: the
// view's title bar (New Task, Refresh, Settings), the empty state's New Task, a node's context menu
// starting its run against the scripted OpenAI-compatible server, the test command's approval
// answered in the sidebar (the status bar saying a decision waits meanwhile), the node showing its
// step while it waits for the review, its inline actions following its state, Retry by keyboard and
// Stop from the sidebar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, screenshot, uiClick, uiKeys, uiText, waitFor, webviewClick, webviewKeys, webviewText } from './runner';
import { abs, treeStore } from './workspaceFolder';
import { setBatonSettings, useScriptedModels } from './workspaceSettings';

const FILE = 'pantry/units.py';
const TITLE = 'Accept "tablespoons" as a unit name';
// Its own command, so this run asks for it whatever an earlier suite approved.
const TEST_COMMAND = `sh -c 'echo "sidebar actions: 1 passed"'`;
const DECISION_ITEM = '.statusbar-item[id*="decisionWaiting" i]';
const VIEW_TITLE = '.part.sidebar .title-actions';

suite('Sidebar actions in a real VS Code', () => {
  let server: ScriptedServer;
  let api: BatonServices;
  let original: Buffer;
  let nodeId: string;

  suiteSetup(async function () {
    if (!hasRunner()) this.skip();
    api = await batonServices();
    server = await ScriptedServer.start();
    await useScriptedModels(server, TEST_COMMAND);
    original = fs.readFileSync(abs(FILE));
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    await vscode.commands.executeCommand('baton.sidebar.focus');
  });

  suiteTeardown(async () => {
    if (!server) return;
    await server.close();
    await setBatonSettings({ roles: undefined, 'tests.command': undefined });
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(abs(FILE), original);
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
    await vscode.commands.executeCommand('baton.sidebar.refresh');
  });

  test("the empty state's New Task asks for the task and shows it in the tree", async () => {
    const empty = (await webviewText('No tasks yet')).text ?? '';
    assert.match(empty, /No tasks yet in [^\n]+\. State one/);
    assert.ok((await webviewClick('vscode-button[data-action="new-task"]')).clicked, 'no New Task button in the empty state');
    assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: TITLE }), 'the task was not asked for');
    const root = await waitFor(
      'the task in tree.json',
      async () =>
        (
          await treeStore()
            .load()
            .catch(() => undefined)
        )?.tree.roots()[0],
    );
    assert.equal(root.title, TITLE);
    nodeId = root.id;
    const shown = await waitFor('the task in the sidebar tree', async () => (await webviewText(TITLE)).text);
    assert.match(shown, /Accept "tablespoons" as a unit name\s*delegate/);
    assert.doesNotMatch(shown, /No tasks yet/, 'the empty state is gone');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test("the node's context menu runs it; the test command is approved in the sidebar; the node shows its step", async () => {
    const aliases = 'ALIASES = {"cups": "cup", "grams": "g", "gram": "g", "teaspoon": "tsp", "tablespoon": "tbsp", "pieces": "piece"}';
    server.enqueue(
      {
        json: {
          summary: 'aliases',
          edits: [{ kind: 'replace', path: FILE, search: aliases, replace: aliases.replace('"pieces"', '"tablespoons": "tbsp", "pieces"') }],
        },
      },
      { json: { verdict: 'pass', findings: [] } },
      { json: { filesChanged: [{ path: FILE, summary: 'an alias' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Alias added.' } },
    );
    // Selected, it shows its actions inline; its context menu has those its state allows.
    assert.ok((await webviewClick(`[data-node-id="${nodeId}"] .node-title`)).clicked);
    const inline = (await webviewText('Edit Title and Goal')).text ?? '';
    assert.match(inline, /Run\s*Decompose\s*Keep for Me\s*Edit Title and Goal\s*Edit Budget\s*Show Ledger\s*Show Log/, "the pending node's inline actions");
    assert.ok((await webviewClick(`[data-node-id="${nodeId}"] .node-title`, 20000, 'right')).clicked);
    const menu = await waitFor("the node's context menu", () => uiText('.context-view .monaco-menu'));
    for (const item of ['Run Subtask', 'Decompose Task into Subtasks', 'Keep for Me', 'Edit Title and Goal', 'Set Budget', 'Show Ledger', 'Show Log'])
      assert.ok(menu.includes(item), `${item} is not in the menu: ${menu}`);
    assert.ok(!menu.includes('Retry') && !menu.includes('Stop'), 'a pending node offers no Retry or Stop');
    assert.ok(!/\bCut\b|\bPaste\b/.test(menu), "the webview's own Cut/Copy/Paste are left out");
    assert.ok(await uiClick('.context-view .monaco-menu .action-item:has-text("Run Subtask")'), 'could not click Run Subtask');

    // The approval waits on the node in the sidebar, and the status bar says so.
    // innerText follows the CSS: headings read in capitals.
    const asked = (await webviewText('Baton will run', 30000)).text ?? '';
    assert.match(
      asked,
      /Waiting for you: Run the test command\?\s*Accept "tablespoons" as a unit name\s*Baton will run, in .*\(change it with the setting baton\.tests\.command\): sh -c 'echo "sidebar actions: 1 passed"'/i,
    );
    assert.match(asked, /decision waiting/, 'the node in the tree is marked');
    assert.match(await waitFor('the status bar', () => uiText(DECISION_ITEM)), /a decision is waiting/);
    await screenshot('baton-sidebar-approval');
    assert.ok((await webviewClick('section.decision vscode-button[data-choice="Run It"]')).clicked, 'no Run It in the sidebar');

    // Answered there: the run goes on to the review, and the node says where it is.
    const review = await waitFor(
      'the run waiting for the review',
      async () => (api.diffReview.current ? (await webviewText('waiting for your review')).text : null),
      30000,
    );
    assert.match(review, /Running: Accept "tablespoons" as a unit name\s*Step: waiting for your review/);
    assert.match(review, /▶ waiting for your review/, 'the running node in the tree shows its step');
    assert.doesNotMatch(review, /Waiting for you: Run the test command/i, 'the answered decision is gone');
    assert.equal(await waitFor('the decision item hidden', async () => ((await uiText(DECISION_ITEM)) === null ? 'hidden' : null)), 'hidden');
    assert.ok((await webviewText('Stop')).text?.match(/Stop\s*Show Log/), 'the running node offers Stop inline');
    await screenshot('baton-sidebar-running');

    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');
    const saved = await waitFor(
      'the node done',
      async () => ((await treeStore().load()).tree.get(nodeId).state === 'done' ? (await treeStore().load()).tree.get(nodeId) : null),
      30000,
    );
    assert.match(saved.notes ?? '', /sidebar actions: 1 passed/, 'the approved test command ran');
    await waitFor(
      'the sidebar after the run',
      async () => {
        const t = (await webviewText('✓')).text;
        return t && !t.includes('Running:') ? t : null;
      },
      30000,
    );
  });

  test('a failed node offers Retry, inline and in its context menu, and no Run', async () => {
    const store = treeStore();
    await store.update((tree) => tree.edit(nodeId, { state: 'failed', notes: 'Failed at the maker step (round 1): a test failure' }));
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    const inline = await waitFor("the failed node's actions", async () => (await webviewText('Retry')).text);
    assert.match(inline, /✕\s*Accept "tablespoons" as a unit name/, 'the node shows as failed');
    assert.match(inline, /Retry\s*Decompose\s*Keep for Me/, 'Retry comes first');
    assert.ok((await webviewClick(`[data-node-id="${nodeId}"] .node-title`, 20000, 'right')).clicked);
    const menu = await waitFor("the failed node's context menu", () => uiText('.context-view .monaco-menu'));
    assert.ok(menu.includes('Retry Subtask'), `no Retry in the menu: ${menu}`);
    assert.ok(!menu.includes('Run Subtask'), 'a failed node is retried, not run');
    assert.ok(await uiKeys('.context-view .monaco-menu', ['Escape']));
  });

  test('Retry pressed with the keyboard runs the failed node again; Stop in the sidebar ends the run and writes nothing', async () => {
    const before = fs.readFileSync(abs(FILE));
    const aliases = before
      .toString('utf8')
      .split('\n')
      .find((l) => l.startsWith('ALIASES'))!;
    server.enqueue(
      {
        json: { summary: 'kg', edits: [{ kind: 'replace', path: FILE, search: aliases, replace: aliases.replace('"pieces"', '"kilograms": "kg", "pieces"') }] },
      },
      { json: { verdict: 'pass', findings: [] } },
    );
    assert.ok((await webviewKeys(`vscode-button[data-action="retry"]`, ['Enter'])).pressed, 'no Retry button');
    const running = await waitFor(
      'the retried run waiting for the review',
      async () => (api.diffReview.current ? (await webviewText('waiting for your review')).text : null),
      30000,
    );
    assert.match(running, /Running: Accept "tablespoons" as a unit name/i);
    assert.ok((await webviewClick('section.running vscode-button[data-action="stop"]')).clicked, 'no Stop in the running section');
    await waitFor(
      'the run stopped',
      async () => {
        const t = (await webviewText('Accept "tablespoons"')).text;
        return t && !/Running:/i.test(t) && !t.includes('waiting for your review') ? t : null;
      },
      30000,
    );
    assert.equal(api.diffReview.current, undefined, 'the review is closed');
    // Stopped in the review, the proposal is rejected (as the notification's Cancel does): the node can run again.
    const node = await waitFor('the stopped node saved', async () => {
      const n = (await treeStore().load()).tree.get(nodeId);
      return n.state === 'planned' || n.state === 'failed' ? n : null;
    });
    assert.notEqual(node.state, 'running');
    assert.deepEqual(fs.readFileSync(abs(FILE)), before, 'nothing was written');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('Stop while the maker answer streams is no failure: a plain note, the node as it was before the run, the journal says cancelled', async () => {
    const store = treeStore();
    await store.save((await store.load()).tree.edit(nodeId, { state: 'planned', notes: '' }));
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    await vscode.commands.executeCommand('notifications.clearAll');
    const before = fs.readFileSync(abs(FILE));
    const asked = server.chatRequests.length;
    // The server holds the stream open, a chunk every half second, until the person stops the run.
    server.enqueue({ json: { summary: 'held', edits: [] }, chunkChars: 1, chunkDelayMs: 500 });
    const run = vscode.commands.executeCommand('baton.runSubtask', nodeId);
    await waitFor('the maker call under way', () => (server.chatRequests.length > asked ? true : null), 30000);
    assert.ok((await webviewClick('section.running vscode-button[data-action="stop"]')).clicked, 'no Stop in the running section');
    assert.equal(await run, undefined, 'the run ended without an outcome');

    await vscode.commands.executeCommand('notifications.showList');
    try {
      const note = await waitFor('the cancel note', () =>
        uiText('.notifications-center .notification-list-item:has-text("was cancelled at the maker step"):has(.codicon-info)'),
      );
      assert.match(note, /nothing unreviewed was written/);
      assert.equal(await uiText('.notifications-center .notification-list-item:has(.codicon-error)'), null, 'no error notification');
      assert.equal(await uiText('.notifications-center .notification-list-item:has-text("stopped at")'), null, 'no failure notice');
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
    const node = (await store.load()).tree.get(nodeId);
    assert.equal(node.state, 'planned', 'the node is as it was before the run, not failed');
    assert.doesNotMatch(node.notes ?? '', /Failed/);
    const lastOutcome = () =>
      fs
        .readFileSync(abs('.baton/journal.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; outcome?: string })
        .filter((e) => e.kind === 'outcome')
        .at(-1)?.outcome;
    await waitFor('the journal recording the cancel', () => (lastOutcome() === 'cancelled' ? true : null));
    assert.deepEqual(fs.readFileSync(abs(FILE)), before, 'nothing was written');
  });

  test("the view's title bar has New Task, Refresh and Settings; Settings opens Baton's settings (last: it leaves a settings editor behind)", async () => {
    for (const title of ['New Task', 'Refresh', 'Settings']) {
      // An icon: found, with no text.
      await waitFor(`${title} in the title bar`, async () => ((await uiText(`${VIEW_TITLE} .action-label[aria-label^="${title}"]`)) === null ? null : true));
    }
    assert.ok(await uiClick(`${VIEW_TITLE} .action-label[aria-label^="Settings"]`), 'could not click Settings');
    const tab = await waitFor('the settings editor', () =>
      vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings' ? vscode.window.tabGroups.activeTabGroup.activeTab : null,
    );
    assert.ok(tab);
    assert.match(
      await waitFor('the settings search', () => uiText('.settings-editor .settings-count-widget')),
      /Setting/,
      'the settings editor is filtered to a count of settings',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
