// A node run in a real VS Code against a scripted server with no structured output: the maker's
// request with json_schema is refused (HTTP 400), Baton asks again in JSON, the model answers in
// fenced search/replace blocks anyway, one of them quoted a level short. The proposal opens for
// review with that hunk labelled "matched ignoring indentation", and the accepted change lands on
// disk byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { NodeStateStore } from '../../../src/node/nodeAdapters';
import { TaskTree } from '../../../src/core/tasks/taskTree';
import { TaskTreeStore } from '../../../src/core/tasks/treeStore';
import type { NodeRunOutcome } from '../../../src/core/run/nodeRun';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, screenshot, sleep, uiClick, waitFor } from './runner';
import { setBatonSettings } from './workspaceSettings';
import { abs, treeStore } from './workspaceFolder';

const FILE = 'pantry/units.py';
const TEST_COMMAND = `sh -c 'echo "1 passed"'`;
const KG = '        Unit("kg", "mass", 1000.0),\n';
const ML = '        Unit("ml", "volume", 1.0),\n';
const MG = '        Unit("mg", "mass", 0.001),\n';
const ALIASES = '"pieces": "piece"}';

const dedent = (block: string): string => block.replace(/^ {4}/gm, '');

suite('A maker answering in the text format, in a real VS Code', () => {
  let server: ScriptedServer;
  let api: BatonServices;
  let original: Buffer;

  suiteSetup(async function () {
    if (!hasRunner()) this.skip();
    api = await batonServices();
    server = await ScriptedServer.start({ structuredOutput: false });
    server.models = [{ id: 'local-coder', max_model_len: 16000 }];
    const roles = Object.fromEntries(['maker', 'breaker'].map((r) => [r, { provider: 'vllm', model: 'local-coder', baseURL: server.baseURL }]));
    await setBatonSettings({ roles, 'tests.command': TEST_COMMAND });
    original = fs.readFileSync(abs(FILE));
  });

  suiteTeardown(async () => {
    if (!server) return;
    await server.close();
    await setBatonSettings({ roles: undefined, 'tests.command': undefined });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(abs(FILE), original);
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
  });

  test('search/replace blocks with one quoted a level short go through review and apply', async () => {
    const store = treeStore();
    const { tree, node } = TaskTree.empty({ now: () => Date.now() }).addChild(null, {
      title: 'Know milligrams',
      acceptance: ['lookup("mg") is a mass unit', 'lookup("milligrams") is mg'],
      budget: 8000,
    });
    await store.save(tree);
    const text = original.toString('utf8');
    const answer =
      'Summary: Add milligrams and their alias\n\n' +
      `${FILE}\n\`\`\`python\n<<<<<<< SEARCH\n${dedent(KG + ML)}=======\n${dedent(KG + MG + ML)}>>>>>>> REPLACE\n\`\`\`\n\n` +
      `${FILE}\n\`\`\`python\n<<<<<<< SEARCH\n${text.split('\n').find((l) => l.startsWith('ALIASES'))}\n=======\n${text
        .split('\n')
        .find((l) => l.startsWith('ALIASES'))!
        .replace(ALIASES, '"pieces": "piece", "milligrams": "mg"}')}\n>>>>>>> REPLACE\n\`\`\`\n`;
    server.enqueue({ text: answer }, { text: `Looks right.\n\`\`\`json\n${JSON.stringify({ verdict: 'pass', findings: [] })}\n\`\`\`` });

    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    await vscode.commands.executeCommand('notifications.showList');
    assert.ok(
      await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 20000),
      'the test command confirmation did not appear',
    );
    await vscode.commands.executeCommand('notifications.hideList');

    const review = await waitFor('the proposal in review', () => api.diffReview.current, 30000);
    const tab = await waitFor('the proposal in a diff editor', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'baton-proposal'),
    );
    assert.equal(review.hunks.get(FILE)?.length, 2, 'the inserted unit and the alias are two hunks');
    const titles = (
      await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', (tab.input as vscode.TabInputTextDiff).modified)
    ).map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => /Hunk 1 of 2 \(matched ignoring indentation\): ○ undecided/.test(t)),
      `the loosely matched hunk says so; saw ${JSON.stringify(titles)}`,
    );
    assert.ok(
      titles.some((t) => /Hunk 2 of 2: ○ undecided/.test(t)),
      `the exact one says nothing more; saw ${JSON.stringify(titles)}`,
    );
    await sleep(1500); // let the diff editor and its CodeLenses paint
    await screenshot('baton-text-answer-review');
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');

    const outcome = await running;
    assert.equal(outcome?.kind, 'done');
    const expected = text.replace(KG + ML, KG + MG + ML).replace(ALIASES, '"pieces": "piece", "milligrams": "mg"}');
    assert.equal(fs.readFileSync(abs(FILE), 'utf8'), expected, "the change landed byte for byte, at the file's indentation");
    const formats = server.chatRequests.map((r) => (r.body as { response_format?: { type: string } }).response_format?.type ?? 'none');
    assert.deepEqual(formats.slice(0, 2), ['json_schema', 'none'], 'json_schema was refused, then asked for without it');
    assert.equal(formats[2], 'none', 'the breaker on the same model is asked without json_schema from the start');
  });

  test('an answer cut off before any whole edit changes nothing, and Split This Node has the planner split the node', async () => {
    const clock = { now: () => Date.now() };
    const store = new TaskTreeStore(new NodeStateStore(abs('.baton')), clock);
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Rewrite every unit table', acceptance: ['all units are listed'], budget: 8000 });
    await store.save(tree);
    const roles = Object.fromEntries(['planner', 'maker', 'breaker'].map((r) => [r, { provider: 'vllm', model: 'local-coder', baseURL: server.baseURL }]));
    await setBatonSettings({ roles });
    const before = fs.readFileSync(abs(FILE));
    const cut = `${FILE}\n\`\`\`python\n<<<<<<< SEARCH\n${dedent(KG)}=======\n${dedent(KG)}`;
    server.enqueue({ text: cut, finishReason: 'length' });

    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    await vscode.commands.executeCommand('notifications.showList');
    await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 10000);
    assert.equal(await running, undefined, 'the run stopped');
    assert.deepEqual(fs.readFileSync(abs(FILE)), before, 'half an edit was never applied');

    server.enqueue({
      text: JSON.stringify({
        subtasks: [
          {
            title: 'Rewrite the mass units',
            goal: 'mass units listed',
            acceptance: ['mass units listed'],
            likelyFiles: [FILE],
            budgetShare: 1,
            dependsOn: [],
            mode: 'delegate',
          },
          {
            title: 'Rewrite the volume units',
            goal: 'volume units listed',
            acceptance: ['volume units listed'],
            likelyFiles: [FILE],
            budgetShare: 1,
            dependsOn: [],
            mode: 'delegate',
          },
        ],
      }),
    });
    assert.ok(
      await uiClick('.notifications-center .notification-list-item:has-text("cut off") .monaco-button:has-text("Split This Node")', 20000),
      'the cut-off error offers Split This Node',
    );
    await vscode.commands.executeCommand('notifications.hideList');
    const children = await waitFor(
      'the node split into subtasks',
      async () => {
        const saved = (await store.load()).tree;
        const kids = saved.childrenIds(node.id);
        return kids.length === 2 ? kids.map((id) => saved.get(id)?.title) : null;
      },
      30000,
    );
    assert.deepEqual(children, ['Rewrite the mass units', 'Rewrite the volume units']);
    await setBatonSettings({
      roles: Object.fromEntries(['maker', 'breaker'].map((r) => [r, { provider: 'vllm', model: 'local-coder', baseURL: server.baseURL }])),
    });
  });
});
