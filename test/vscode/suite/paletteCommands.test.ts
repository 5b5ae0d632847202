// Named to run after extension.test.ts, which checks the sidebar as a fresh window shows it (before any plan).
// The palette commands in a real VS Code: every command of the manifest is under "Baton" in the
// palette with a `when` on every menu item, Pin / Exclude sit in the explorer and editor menus and
// change the next context plan, New Task and Set Budget write .baton/tree.json (a refusal changes
// nothing), Decompose against the scripted server, a checkpoint round trip, Select Model for Role
// through its pickers, the journal document, and the walkthrough (screenshot baton-walkthrough.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskNode } from '../../../src/core/tasks/taskTree';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import type { PlanView } from '../../../src/protocol';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, notification, palette, screenshot, sleep, uiClick, uiKeys, uiText, waitFor, webviewText } from './runner';
import { folder, abs, treeStore } from './workspaceFolder';

const EXTENSION_ID = 'baton-dev.baton';
const TASK = 'Ingredient lines with a dotted unit abbreviation, like "3 tbsp. sugar", fail to parse: accept the dotted forms in parse_line.';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const manifest = (): {
  commands: ManifestCommand[];
  menus: Record<string, MenuItem[]>;
  walkthroughs: { id: string; title: string; steps: { id: string; completionEvents?: string[]; media: { markdown?: string } }[] }[];
} => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
const savedTree = (): { nodes: { id: string; title: string; budget: { allocated: number }; mode: string }[] } =>
  JSON.parse(fs.readFileSync(abs('.baton/tree.json'), 'utf8'));

/** Says yes to the restore question in its notification; returns the question. */
async function clickRestore(): Promise<string> {
  const question = '.notifications-center .notification-list-item:has-text("to before")';
  await vscode.commands.executeCommand('notifications.showList');
  try {
    const text = await waitFor('the restore question', () => uiText(question));
    assert.ok(await uiClick(`${question} .monaco-button:has-text("Restore")`, 20000), 'the restore question has no Restore');
    return text.replace(/\s+/g, ' ');
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

suite('Baton commands in a real VS Code', () => {
  let api: BatonServices;

  suiteSetup(async () => {
    api = await batonServices();
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
  });

  test('every command has the category "Baton", every menu item a `when`, and Pin / Exclude are in the explorer and editor menus', () => {
    const { commands, menus } = manifest();
    assert.deepEqual(
      commands.filter((c) => c.category !== 'Baton').map((c) => c.command),
      [],
    );
    for (const [menu, items] of Object.entries(menus)) {
      assert.deepEqual(
        items.filter((i) => !i.when?.trim()).map((i) => i.command),
        [],
        `${menu} items without a when clause`,
      );
    }
    assert.deepEqual(
      commands.filter((c) => !menus.commandPalette!.some((i) => i.command === c.command)).map((c) => c.command),
      [],
      'commands with no palette entry (and so no when)',
    );
    for (const menu of ['explorer/context', 'editor/context']) {
      for (const command of ['baton.pinFile', 'baton.excludeFile']) {
        const item = menus[menu]?.find((i) => i.command === command);
        assert.ok(item, `${command} is not in ${menu}`);
        // A remote host (code-server here) rewrites the file scheme to the one its explorer uses.
        assert.match(item.when!, /resourceScheme == '?(file|vscode-remote)'?/, `${menu} ${command}: ${item.when}`);
      }
    }
    for (const title of [
      'New Task',
      'Run Next Subtask',
      'Run Subtask',
      'Show Context Plan',
      'Pin File to Context',
      'Exclude File from Context',
      'Set Budget',
      'Create Checkpoint',
      'Restore Checkpoint',
      'Review Pending Changes',
      'Select Model for Role',
      'Set API Key',
      'Open Walkthrough',
      'Show Journal',
    ]) {
      assert.ok(
        commands.some((c) => c.title === title),
        `no command titled "${title}"`,
      );
    }
    assert.ok(commands.some((c) => c.command === 'baton.decompose' && /^Decompose/.test(c.title)));
  });

  test('every command outside a diff review is in the command palette under "Baton"', async function () {
    if (!hasRunner()) this.skip();
    this.timeout(180_000);
    const { commands, menus } = manifest();
    const reviewOnly = new Set(menus.commandPalette!.filter((i) => i.when === 'baton.reviewing').map((i) => i.command));
    const missing: string[] = [];
    for (const c of commands.filter((c) => !reviewOnly.has(c.command))) {
      const hit = await palette(`Baton: ${c.title}`, false);
      if (!hit.found) missing.push(`Baton: ${c.title} (seen: ${JSON.stringify(hit.seen?.slice(0, 5))})`);
    }
    assert.deepEqual(missing, []);
  });

  test('Exclude and Pin with a file Uri (as the explorer passes it) change the next context plan; .baton/context.json keeps them', async () => {
    const excluded = 'pantry/ingredients.py';
    const pinned = 'pantry/__main__.py';
    const before = await vscode.commands.executeCommand<PlanView>('baton.showContextPlan', TASK);
    assert.ok(
      before.items.some((i) => i.path === excluded),
      `${excluded} is in the plan before it is excluded`,
    );

    const changed = await vscode.commands.executeCommand<string[]>('baton.excludeFile', vscode.Uri.file(abs(excluded)), [vscode.Uri.file(abs(excluded))]);
    assert.deepEqual(changed, [excluded]);
    await vscode.commands.executeCommand('baton.pinFile', vscode.Uri.file(abs(pinned)));
    assert.deepEqual(JSON.parse(fs.readFileSync(abs('.baton/context.json'), 'utf8')), { schemaVersion: 1, pinned: [pinned], excluded: [excluded] });

    const after = await vscode.commands.executeCommand<PlanView>('baton.showContextPlan', TASK);
    assert.ok(!after.items.some((i) => i.path === excluded), `${excluded} is still in the plan: ${JSON.stringify(after.items.map((i) => i.path))}`);
    assert.equal(after.items[0]?.path, pinned, 'the pinned file comes first');
    assert.ok((after.omittedByReason.dropped ?? 0) >= 1, 'the ledger says a file was dropped');

    // Pinning the excluded file undoes the exclude.
    await vscode.commands.executeCommand('baton.pinFile', excluded);
    assert.deepEqual(await api.contextPreferences.get(folder()), { pinned: [pinned, excluded].sort(), excluded: [] });
    await api.contextPreferences.set(folder(), pinned, 'none');
    await api.contextPreferences.set(folder(), excluded, 'none');
  });

  test('New Task writes a root with the budget; Set Budget changes it, and a refused change leaves the file as it was', async () => {
    const node = await vscode.commands.executeCommand<TaskNode>('baton.newTask', { task: 'Accept dotted unit abbreviations', budget: 9000 });
    assert.ok(node, 'baton.newTask returned no node');
    assert.equal(savedTree().nodes.find((n) => n.id === node.id)?.budget.allocated, 9000);

    const updated = await vscode.commands.executeCommand<TaskNode>('baton.setBudget', node.id, 12000);
    assert.equal(updated?.budget.allocated, 12000);
    assert.equal(savedTree().nodes.find((n) => n.id === node.id)?.budget.allocated, 12000);

    // A child of a weighted split gets its budget from its parent: refused, nothing saved.
    const store = treeStore();
    const withChild = (await store.load()).tree.addChild(node.id, { title: 'Parse "tbsp."' });
    await store.save(withChild.tree);
    const bytes = fs.readFileSync(abs('.baton/tree.json'));
    assert.equal(await vscode.commands.executeCommand('baton.setBudget', withChild.node.id, 500), undefined);
    assert.deepEqual(fs.readFileSync(abs('.baton/tree.json')), bytes, 'a refused budget changed the file');
    if (hasRunner()) assert.match(await notification('was not changed'), /gets its budget from/);
  });

  test('Decompose splits a task through the planner role (scripted server) and the journal records it', async () => {
    const server = await ScriptedServer.start();
    const config = vscode.workspace.getConfiguration('baton');
    try {
      server.models = [{ id: 'planner-model', max_model_len: 16000 }];
      await config.update('roles', { planner: { provider: 'vllm', model: 'planner-model', baseURL: server.baseURL } }, vscode.ConfigurationTarget.Workspace);
      const root = await vscode.commands.executeCommand<TaskNode>('baton.newTask', { task: 'Accept dotted units like "tbsp." and "c."', budget: 10000 });
      server.enqueue({
        json: {
          subtasks: [
            {
              title: 'Strip a trailing dot from units',
              goal: 'lookup("tbsp.") is tbsp',
              acceptance: ['lookup("tbsp.") is tbsp'],
              likelyFiles: ['pantry/units.py'],
              budgetShare: 2,
              dependsOn: [],
              mode: 'delegate',
            },
            {
              title: 'Decide which abbreviations are allowed',
              goal: 'a list agreed with the product owner',
              acceptance: ['the list is written down'],
              likelyFiles: [],
              budgetShare: 1,
              dependsOn: [],
              mode: 'keep',
              keepReason: 'a business rule',
            },
          ],
        },
      });
      const added = await vscode.commands.executeCommand<TaskNode[]>('baton.decompose', root.id);
      assert.equal(added?.length, 2, 'two subtasks added');
      assert.deepEqual(
        added.map((n) => n.mode),
        ['delegate', 'keep'],
      );
      assert.equal(savedTree().nodes.filter((n) => added.some((a) => a.id === n.id)).length, 2, 'saved in .baton/tree.json');
      assert.equal(added[0]!.budget.allocated + added[1]!.budget.allocated <= 10000, true);

      const { events } = await api.journal.store(folder()).load();
      const mine = events.filter((e) => e.taskId === root.id);
      assert.deepEqual(
        mine.filter((e) => e.kind === 'node' && e.source === 'plan').map((e) => e.kind === 'node' && e.mode),
        ['delegate', 'keep'],
      );
      assert.ok(
        mine.some((e) => e.kind === 'usage' && e.role === 'planner' && e.inputTokens > 0),
        'the planner call is in the journal',
      );

      const journal = await vscode.commands.executeCommand<vscode.TextDocument>('baton.showJournal', { preview: false });
      assert.match(journal.getText(), /# Baton journal/);
      assert.match(journal.getText(), /Accept dotted units like/);
    } finally {
      await config.update('roles', undefined, vscode.ConfigurationTarget.Workspace);
      await server.close();
    }
  });

  test('Create Checkpoint and Restore Checkpoint put a file back byte for byte after the yes in a notification; unsaved edits refuse the restore', async function () {
    if (!hasRunner()) this.skip(); // the restore waits for a click on its notification
    const file = 'pantry/scaling.py';
    const original = fs.readFileSync(abs(file));
    const id = await vscode.commands.executeCommand<string>('baton.createCheckpoint', { paths: [file], label: 'before the test edit' });
    assert.ok(id, 'no checkpoint id');
    fs.writeFileSync(abs(file), 'broken = True\n');

    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(abs(file)));
    await waitFor('the edited file in the editor', () => (document.getText() === 'broken = True\n' ? true : null));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '# unsaved\n');
    await vscode.workspace.applyEdit(edit);
    // Refused before anything is asked: there is nothing to say yes to.
    assert.equal(await vscode.commands.executeCommand('baton.restoreCheckpoint', id), undefined, 'restored over unsaved edits');
    assert.match(await notification('restore refused'), /unsaved/i);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const restoring = vscode.commands.executeCommand<{ written: string[] }>('baton.restoreCheckpoint', id);
    assert.match(await clickRestore(), /restore to before "before the test edit"\? It will rewrite "pantry\/scaling\.py"\./, 'the question names the file');
    assert.deepEqual((await restoring)?.written, [file]);
    assert.deepEqual(fs.readFileSync(abs(file)), original, 'the file is back byte for byte');
  });

  test("Restore Checkpoint of a subtask's step puts the subtask back to pending, so Run Next Subtask does not skip it", async function () {
    if (!hasRunner()) this.skip(); // the restore waits for a click on its notification
    const file = 'pantry/units.py';
    const original = fs.readFileSync(abs(file));
    const store = treeStore();
    const task = (await store.load()).tree.addChild(null, { title: 'Accept fractions as a scale factor' });
    const sub = task.tree.addChild(task.node.id, { title: 'Parse "1/2" in scale' });
    await store.save(sub.tree.edit(sub.node.id, { state: 'done' }));
    // The step as a run leaves it: a checkpoint of the node, the write, its result recorded.
    const checkpoints = api.workspaces.for(folder()).checkpoints;
    const id = await checkpoints.create({ nodeId: sub.node.id, label: 'Parse "1/2" in scale (round 1)', paths: [file] });
    fs.writeFileSync(abs(file), `${original.toString('utf8')}\n# the subtask's change\n`);
    await checkpoints.recordAfter(id);

    const restoring = vscode.commands.executeCommand<{ written: string[] }>('baton.restoreCheckpoint', id);
    await clickRestore();
    assert.deepEqual((await restoring)?.written, [file]);
    assert.deepEqual(fs.readFileSync(abs(file)), original, 'the file is back byte for byte');
    assert.equal((await store.load()).tree.get(sub.node.id).state, 'pending', 'the subtask is to run again');
  });

  test("A Decompose that fails keeps the planner's calls on the node and in the journal, as the server counted them", async () => {
    const server = await ScriptedServer.start();
    const config = vscode.workspace.getConfiguration('baton');
    try {
      server.models = [{ id: 'planner-model', max_model_len: 16000 }];
      await config.update('roles', { planner: { provider: 'vllm', model: 'planner-model', baseURL: server.baseURL } }, vscode.ConfigurationTarget.Workspace);
      const root = await vscode.commands.executeCommand<TaskNode>('baton.newTask', { task: 'Scale recipes by fractions', budget: 10000 });
      server.enqueue(
        { text: 'I would split it in two.', usage: { promptTokens: 900, completionTokens: 7 } },
        { text: 'Still two parts.', usage: { promptTokens: 950, completionTokens: 4 } },
      );
      assert.equal(await vscode.commands.executeCommand('baton.decompose', root.id), undefined, 'no subtasks from answers that are no plan');
      assert.equal(server.chatRequests.length, 2);

      const usage = (await treeStore().load()).tree.get(root.id).usage;
      assert.deepEqual([usage.calls, usage.inputTokens, usage.outputTokens], [2, 1850, 11], 'both calls are on the node');
      const journalled = await waitFor('both calls in the journal', async () => {
        const { events } = await api.journal.store(folder()).load();
        const calls = events.filter((e) => e.taskId === root.id && e.kind === 'usage');
        return calls.length === 2 ? calls : null;
      });
      assert.deepEqual(
        journalled.map((e) => (e.kind === 'usage' ? [e.role, e.inputTokens, e.outputTokens] : [])),
        [
          ['planner', 900, 7],
          ['planner', 950, 4],
        ],
      );
    } finally {
      await config.update('roles', undefined, vscode.ConfigurationTarget.Workspace);
      await server.close();
    }
  });

  test("Select Model for Role: provider, base URL (checked), Test Connection listing the server's models, written to baton.roles.<role>; the Roles panel shows the address and a health mark", async function () {
    if (!hasRunner()) this.skip(); // the person's picks are made in the quick input
    const config = () => vscode.workspace.getConfiguration('baton');
    const server = await ScriptedServer.start();
    try {
      server.ollamaModels.set('qwen2.5-coder:7b', { trainedContext: 32_768 });
      server.ollamaModels.set('llama3.1', { trainedContext: 131_072 });
      // The role as the sidebar's "Choose…" passes it; provider, address and model picked as a person would.
      const choosing = vscode.commands.executeCommand('baton.selectModelForRole', 'summariser');
      assert.ok(await uiClick('.quick-input-widget .monaco-list-row:has-text("Ollama")', 20000), 'the provider picker did not appear');
      const box = await waitFor('the base URL box', () => uiText('.quick-input-widget:has-text("base URL for the summariser")'));
      assert.match(box, /default: http:\/\/127\.0\.0\.1:11434\/v1/, box);
      assert.ok(await uiKeys('.quick-input-widget input', [], { fill: 'http://me:secret@127.0.0.1:11434/v1' }), 'the base URL box took no text');
      assert.match(
        await waitFor('the check of a URL with a password', () => uiText('.quick-input-widget:has-text("Take the user name and password out")')),
        /SecretStorage/,
      );
      assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: server.baseURL }), 'the base URL was not accepted');
      const listed = await waitFor("the server's models", () => uiText('.quick-input-widget:has-text("llama3.1:latest")'));
      assert.match(
        listed.replaceAll('\u200B', ''),
        /connected: 2 models at http:\/\/127\.0\.0\.1:\d+\/v1\)\s*3 Results\s*llama3\.1:latest\s*qwen2\.5-coder:7b\s*.*Type a model name/,
        listed,
      );
      assert.ok(
        server.requests.some((r) => r.method === 'GET' && r.path === '/api/tags'),
        "Ollama's models were listed from /api/tags",
      );
      assert.ok(await uiClick('.quick-input-widget .monaco-list-row:has-text("qwen2.5-coder:7b")'), 'the listed model could not be picked');
      assert.deepEqual(await choosing, { role: 'summariser', provider: 'ollama', model: 'qwen2.5-coder:7b' });
      assert.deepEqual(config().inspect('roles')?.workspaceValue, { summariser: { provider: 'ollama', model: 'qwen2.5-coder:7b', baseURL: server.baseURL } });

      await vscode.commands.executeCommand('baton.sidebar.focus');
      const roles = (await webviewText(server.baseURL)).text ?? '';
      assert.match(
        roles,
        new RegExp(`summariser\\s*ollama / qwen2\\.5-coder:7b\\s*${server.baseURL.replaceAll('.', '\\.')}\\s*✓ ok: connected: 2 models listed`),
        roles,
      );
      await screenshot('baton-roles-base-url');
      assert.equal(
        await vscode.commands.executeCommand('baton.selectModelForRole', 'summariser', { provider: 'nonesuch', model: 'x' }),
        undefined,
        'an unknown provider is refused',
      );
    } finally {
      await config().update('roles', undefined, vscode.ConfigurationTarget.Workspace);
      await server.close();
    }
  });

  test('A planner the base URL does not reach: the error says so in words and its Change Base URL… reopens the address step, where a working address is listed and saved', async function () {
    if (!hasRunner()) this.skip(); // the fix is a click on the error
    const config = () => vscode.workspace.getConfiguration('baton');
    const gone = await ScriptedServer.start();
    const deadURL = gone.baseURL;
    await gone.close();
    const server = await ScriptedServer.start();
    try {
      server.models = [{ id: 'planner-model' }];
      await config().update('network.maxRetries', 0, vscode.ConfigurationTarget.Workspace);
      await config().update('roles', { planner: { provider: 'vllm', model: 'planner-model', baseURL: deadURL } }, vscode.ConfigurationTarget.Workspace);
      const root = await vscode.commands.executeCommand<TaskNode>('baton.newTask', { task: 'Scale recipes by fractions', budget: 10000 });
      assert.equal(await vscode.commands.executeCommand('baton.decompose', root.id), undefined);
      const error = '.notifications-center .notification-list-item:has-text("could not reach")';
      await vscode.commands.executeCommand('notifications.showList');
      const text = (await waitFor('the connection error', () => uiText(error))).replace(/\s+/g, ' ').replaceAll('\u200B', ''); // links broken for display
      assert.ok(text.includes(`could not reach ${deadURL}: connection refused`), text);
      assert.doesNotMatch(text, /fetch failed|Connection error\./);
      assert.doesNotMatch(text, /Select Model for Role/, 'no command that cannot fix an address');
      assert.ok(await uiClick(`${error} .monaco-button:has-text("Change Base URL")`), 'the error has no Change Base URL…');
      await vscode.commands.executeCommand('notifications.hideList');

      await waitFor('the base URL box for the planner', () => uiText('.quick-input-widget:has-text("vLLM base URL for the planner")'));
      assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: server.baseURL }), 'the base URL was not accepted');
      assert.ok(await uiClick('.quick-input-widget .monaco-list-row:has-text("planner-model")', 20000), "the server's model was not listed");
      await waitFor('the new address in the settings', () =>
        config().inspect<Record<string, { baseURL?: string }>>('roles')?.workspaceValue?.planner?.baseURL === server.baseURL ? true : null,
      );
      assert.deepEqual(config().inspect('roles')?.workspaceValue, { planner: { provider: 'vllm', model: 'planner-model', baseURL: server.baseURL } });
    } finally {
      await config().update('roles', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('network.maxRetries', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('notifications.clearAll');
      await server.close();
    }
  });

  test('Review Pending Changes says there is none when no diff review is open', async () => {
    assert.equal(api.diffReview.current, undefined);
    assert.equal(await vscode.commands.executeCommand('baton.reviewPendingChanges'), false);
    if (hasRunner()) assert.match(await notification('no changes are waiting'), /Run Next Subtask/);
  });

  test('Open Walkthrough shows the getting-started walkthrough (screenshot)', async function () {
    const [walkthrough] = manifest().walkthroughs;
    assert.equal(walkthrough?.id, 'baton.gettingStarted');
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents?.length, `${step.id} has no completionEvents`);
      assert.ok(
        fs.existsSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, step.media.markdown!)),
        `${step.media.markdown} is missing`,
      );
    }
    if (!hasRunner()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('baton.openWalkthrough');
    const text = await waitFor('the walkthrough in an editor', async () => {
      const t = await uiText('.gettingStartedContainer');
      return t?.includes(walkthrough.title) ? t : null;
    });
    assert.match(text, /Choose a provider/);
    // The step's Markdown renders in a webview of its own.
    const media = await webviewText('Choose where your models run');
    assert.ok(media.text, `the step's Markdown did not render; webviews: ${JSON.stringify(media.frames)}`);
    assert.match(media.text, /Ollama/);
    await sleep(500);
    const file = await screenshot('baton-walkthrough');
    assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
