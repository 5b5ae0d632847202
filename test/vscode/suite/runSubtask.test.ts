// A node run end to end in a real VS Code against the scripted OpenAI-compatible server (real HTTP
// on 127.0.0.1, through the real `openai` client): a breaker "fail" reaches the maker, the proposal
// opens as a diff, one hunk is accepted and one rejected, the test command (confirmed in its dialog)
// fails and leads to another maker round, and the first checkpoint restores the original bytes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TaskTree } from '../../../src/core/tasks/taskTree';
import { applyHunks } from '../../../src/core/proposals/hunks';
import type { NodeRunOutcome } from '../../../src/core/run/nodeRun';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, screenshot, sleep, uiClick, uiKeys, uiText, waitFor } from './runner';
import { setBatonSettings, useScriptedModels } from './workspaceSettings';
import { folder, abs, treeStore } from './workspaceFolder';

const FILE = 'pantry/units.py';
const TEST_MARK = '.baton-test-ran';
// Fails the first time (and says why), passes after.
const TEST_COMMAND = `sh -c 'if [ -f ${TEST_MARK} ]; then echo "2 passed"; else touch ${TEST_MARK}; echo "TEST-FAILURE-MARKER: cups of butter"; exit 1; fi'`;

const EDITED_MARK = '.baton-edited-command-ran';
const NEW_FILE = 'pantry/fractions.py';
const MEASURES_FILE = 'pantry/measures.py';

suite('Run Subtask in a real VS Code', () => {
  let server: ScriptedServer;
  let api: BatonServices;
  let original: Buffer;

  suiteSetup(async function () {
    if (!hasRunner()) this.skip();
    api = await batonServices();
    server = await ScriptedServer.start();
    await useScriptedModels(server, TEST_COMMAND);
    original = fs.readFileSync(abs(FILE));
  });

  suiteTeardown(async () => {
    if (!server) return;
    await server.close();
    await setBatonSettings({ roles: undefined, 'tests.command': undefined });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(abs(FILE), original);
    for (const rel of [TEST_MARK, EDITED_MARK, NEW_FILE, MEASURES_FILE, '.baton']) fs.rmSync(abs(rel), { recursive: true, force: true });
  });

  test('maker, breaker, diff review, checkpoint, tests and a second round, from one command', async () => {
    const store = treeStore();
    const { tree, node } = TaskTree.empty({ now: () => Date.now() }).addChild(null, {
      title: 'Accept "tablespoons" and "kilograms" as unit names',
      acceptance: ['lookup("tablespoons") is tbsp', 'lookup("kilograms") is kg'],
      budget: 8000,
    });
    await store.save(tree);

    const aliases = 'ALIASES = {"cups": "cup", "grams": "g", "gram": "g", "teaspoon": "tsp", "tablespoon": "tbsp", "pieces": "piece"}';
    const known = 'raise UnknownUnit(f"unknown unit {name!r}; known: {\', \'.join(sorted(UNITS))}")';
    server.enqueue(
      {
        json: {
          summary: 'aliases',
          edits: [{ kind: 'replace', path: FILE, search: aliases, replace: aliases.replace('"pieces"', '"tablespoons": "tbsp", "pieces"') }],
        },
      },
      {
        json: {
          verdict: 'fail',
          findings: [{ file: FILE, line: 27, severity: 'major', problem: 'FINDING-MARKER: kilograms is still unknown', edgeCase: 'lookup("kilograms")' }],
        },
      },
      // Round 2: two separate hunks (the aliases line and the error message).
      {
        json: {
          summary: 'aliases and message',
          edits: [
            { kind: 'replace', path: FILE, search: aliases, replace: aliases.replace('"pieces"', '"tablespoons": "tbsp", "kilograms": "kg", "pieces"') },
            { kind: 'replace', path: FILE, search: known, replace: known.replace('unknown unit', 'no such unit') },
          ],
        },
      },
      { json: { verdict: 'pass', findings: [] } },
      (request) => {
        // Round 3 is made from the file as round 2 left it (hunk 0 accepted, hunk 1 rejected).
        const text = fs.readFileSync(abs(FILE), 'utf8');
        const line = text.split('\n').find((l) => l.startsWith('ALIASES'))!;
        void request;
        return {
          json: {
            summary: 'plural cups',
            edits: [{ kind: 'replace', path: FILE, search: line, replace: line.replace('"cups": "cup"', '"cups": "cup", "Cups": "cup"') }],
          },
        };
      },
      { json: { verdict: 'pass', findings: [] } },
      { json: { filesChanged: [{ path: FILE, summary: 'more aliases' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Aliases added.' } },
    );

    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    // The test command is confirmed by the person before its first run.
    await vscode.commands.executeCommand('notifications.showList');
    assert.ok(
      await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 20000),
      'the test command confirmation did not appear',
    );
    await vscode.commands.executeCommand('notifications.hideList');

    // Round 2's proposal (round 1 never reached the person: the breaker failed it) opens as a diff.
    const round2 = await waitFor('round 2 in review', () => (api.diffReview.current?.proposal.round === 2 ? api.diffReview.current : undefined), 30000);
    // The review starts before its diff editor has opened: wait for the tab (a loaded machine is slow).
    await waitFor('the proposal in a diff editor', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'baton-proposal'),
    );
    assert.equal(round2.hunks.get(FILE)?.length, 2);
    await sleep(1500); // let the diff editor and its CodeLenses paint
    await screenshot('baton-run-subtask-review');
    const change = round2.proposal.changes.find((c) => c.path === FILE)!;
    await vscode.commands.executeCommand('baton.review.acceptHunk', FILE, 0);
    await vscode.commands.executeCommand('baton.review.rejectHunk', FILE, 1);
    await vscode.commands.executeCommand('baton.review.apply');

    // The tests fail after round 2: round 3 comes back for review, made from the applied file.
    const round3 = await waitFor('round 3 in review', () => (api.diffReview.current?.proposal.round === 3 ? api.diffReview.current : undefined), 30000);
    assert.equal(round3.proposal.changes[0]!.before, applyHunks(change.before, change.after, [0]), 'round 2 left exactly hunk 0 on disk');
    assert.ok(fs.existsSync(abs(TEST_MARK)), 'the test command ran');
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');

    const outcome = await running;
    assert.equal(outcome?.kind, 'done');
    const makerCalls = server.chatRequests.filter((r) => (r.body as { model: string }).model === 'maker-model').map((r) => JSON.stringify(r.body));
    assert.match(makerCalls[1]!, /FINDING-MARKER: kilograms is still unknown/, "the breaker's fail reached the maker");
    assert.match(makerCalls[2]!, /TEST-FAILURE-MARKER: cups of butter/, "the test failure reached the maker's next round");
    assert.match(fs.readFileSync(abs(FILE), 'utf8'), /"kilograms": "kg"[^\n]*\n[\s\S]*unknown unit/, 'the rejected hunk (the message) is not applied');
    const saved = (await store.load()).tree.get(node.id);
    assert.equal(saved.state, 'done');
    assert.match(saved.notes ?? '', /2 passed/);

    // The checkpoint taken before round 2's write restores the original bytes.
    const checkpoints = api.workspaces.for(folder()).checkpoints; // the extension's: signed with its key
    const first = (await checkpoints.history()).filter((h) => h.nodeId === node.id && h.kind === 'step').at(-1)!;
    await checkpoints.restore(first.id, { force: true });
    assert.deepEqual(fs.readFileSync(abs(FILE)), original);
  });

  test('with no test command set, the confirmation names the detected unittest command and why; Edit Command… runs what the person typed and keeps it', async () => {
    await setBatonSettings({ 'tests.command': undefined });
    const store = treeStore();
    const { tree, node } = (await store.load()).tree.addChild(null, {
      title: 'Add a fractions module',
      acceptance: ['pantry/fractions.py exists'],
      budget: 8000,
    });
    await store.save(tree);
    server.enqueue(
      { json: { summary: 'fractions', edits: [{ kind: 'create', path: NEW_FILE, content: 'HALF = 0.5\n' }] } },
      { json: { verdict: 'pass', findings: [] } },
      { json: { filesChanged: [{ path: NEW_FILE, summary: 'new module' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Fractions added.' } },
    );
    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    const question = '.notifications-center .notification-list-item:has-text("Baton will run")';
    await vscode.commands.executeCommand('notifications.showList');
    const text = (await waitFor('the test command confirmation', () => uiText(question))).replace(/\s+/g, ' ');
    assert.match(text, /python -m unittest discover -s tests/, 'the sample is unittest');
    assert.match(text, /tests\/test_scaling\.py found, and nothing configures pytest/, 'the reason is shown');
    assert.ok(await uiClick(`${question} .monaco-button:has-text("Edit Command")`, 20000), 'no Edit Command… on the confirmation');
    await vscode.commands.executeCommand('notifications.hideList');
    const typed = `touch ${EDITED_MARK}`;
    assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: typed }), 'the command box did not appear');

    await waitFor('the proposal in review', () => api.diffReview.current, 30000);
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');
    assert.equal((await running)?.kind, 'done');
    assert.ok(fs.existsSync(abs(EDITED_MARK)), 'the typed command ran');
    assert.equal(vscode.workspace.getConfiguration('baton').get('tests.command'), typed, 'and is kept in the setting');
  });

  test('a task added with New Task while a run waits for review is still in the tree once the review is applied; a second run meanwhile is refused', async () => {
    await setBatonSettings({ 'tests.command': 'true' });
    const store = treeStore();
    const tree = await store.update(
      (newest) => newest.addChild(null, { title: 'Add a measures module', acceptance: ['pantry/measures.py exists'], budget: 8000 }).tree,
    );
    const node = tree.roots().at(-1)!;
    server.enqueue(
      { json: { summary: 'measures', edits: [{ kind: 'create', path: MEASURES_FILE, content: 'PINCH = 1\n' }] } },
      { json: { verdict: 'pass', findings: [] } },
      {
        json: { filesChanged: [{ path: MEASURES_FILE, summary: 'new module' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'Measures added.' },
      },
    );
    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    // The test command is confirmed before its first run (unless an earlier test here did).
    const question = '.notifications-center .notification-list-item:has-text("Baton will run")';
    await vscode.commands.executeCommand('notifications.showList');
    const reviewing = (): unknown => api.diffReview.current?.proposal.changes.some((c) => c.path === MEASURES_FILE) || undefined;
    const first = await waitFor(
      'the review or the test command question',
      async () => reviewing() ?? ((await uiText(question)) ? 'question' : undefined),
      30000,
    );
    if (first === 'question') assert.ok(await uiClick(`${question} .monaco-button:has-text("Run It")`, 20000), 'no Run It on the confirmation');
    await vscode.commands.executeCommand('notifications.hideList');
    await waitFor('the proposal in review', reviewing, 30000);

    // While the run waits for the person, a new task is added and another run is asked for.
    const added = await vscode.commands.executeCommand<{ id: string } | undefined>('baton.newTask', 'Convert pinches to grams');
    assert.ok(added, 'New Task saved nothing');
    assert.ok((await store.load()).tree.has(added.id), 'the new task is in tree.json during the run');
    assert.equal(await vscode.commands.executeCommand('baton.runSubtask', added.id), undefined, 'a second run on the folder started');
    await vscode.commands.executeCommand('notifications.showList');
    const refusal = await waitFor(
      'the refusal of the second run',
      () => uiText('.notifications-center .notification-list-item:has-text("Another run is in progress")'),
      20000,
    );
    assert.match(refusal.replace(/\s+/g, ' '), /Another run is in progress on "Add a measures module"/);
    await vscode.commands.executeCommand('notifications.hideList');

    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');
    assert.equal((await running)?.kind, 'done');
    const saved = (await store.load()).tree;
    assert.equal(saved.get(node.id).state, 'done', 'the run saved its node');
    assert.equal(saved.find(added.id)?.title, 'Convert pinches to grams', 'the task added during the run is still in tree.json');
    assert.equal(saved.get(added.id).state, 'pending', 'and was not run');
    assert.equal(fs.readFileSync(abs(MEASURES_FILE), 'utf8'), 'PINCH = 1\n');
  });
});
