// Where Baton writes, attacked in the real extension: a repository's symbolic links. An accepted
// edit whose folder became a link out of the workspace is refused and shown; a restore through
// such a link is refused; an edit of `meta/config` (meta -> .git) is refused at the maker, which
// tells the model why, and never reaches review; `.VSCode/tasks.json` and `cfg/tasks.json`
// (cfg -> .vscode) ask first about the link, then the second confirmation naming the real path.
// The editor's adapter gives the same refusal as the command line's, word for word.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TaskTree } from '../../../src/core/tasks/taskTree';
import { FilesApplier } from '../../../src/core/proposals/filesApplier';
import type { NodeRunOutcome } from '../../../src/core/run/nodeRun';
import type { AcceptedChange } from '../../../src/core/proposals/types';
import type { BatonServices } from '../../../src/host/batonServices';
import { batonServices } from './baton';
import { WorkspaceEditApplier } from '../../../src/host/review/editApplier';
import { VsCodeWorkspaceFiles } from '../../../src/host/vscodeWorkspaceFiles';
import { NodeWorkspaceFiles } from '../../../src/node/nodeAdapters';
import { attempted } from '../../support/attackLedger';
import { ScriptedServer } from '../../support/scriptedServer';
import { hasRunner, notification, uiClick, uiText, waitFor } from './runner';
import { setBatonSettings } from './workspaceSettings';
import { folder, abs, treeStore } from './workspaceFolder';

const GIT_CONFIG = '[core]\n\tbare = false\n';
const OUTSIDE_X = 'outside file: never to be written\n';

/** Clicks `button` on the notification holding `contains`; returns the notification's text. */
async function answer(contains: string, button: string): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    const item = `.notifications-center .notification-list-item:has-text(${JSON.stringify(contains)})`;
    const text = await waitFor(`a notification with ${JSON.stringify(contains)}`, () => uiText(item), 30000);
    assert.ok(await uiClick(`${item} .monaco-button:has-text(${JSON.stringify(button)})`, 10000), `no "${button}" on the notification`);
    return text.replace(/\s+/g, ' ');
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

suite('hostile paths in a real VS Code', () => {
  let server: ScriptedServer;
  let api: BatonServices;
  let outside: string;
  let savedState: string | undefined;
  let testCommandApproved = false;

  const outsideFiles = (): string[] => fs.readdirSync(outside).sort();
  const outsideUnchanged = (): void => {
    assert.deepEqual(outsideFiles(), ['x.txt']);
    assert.equal(fs.readFileSync(path.join(outside, 'x.txt'), 'utf8'), OUTSIDE_X, 'the outside file is byte for byte as it was');
  };
  const linkOut = (link: string, target: string): void => {
    fs.rmSync(abs(link), { recursive: true, force: true });
    fs.symlinkSync(target, abs(link));
    assert.ok(fs.lstatSync(abs(link)).isSymbolicLink(), `${link} is a link`);
  };
  /** Whether `link` is a link that leads to `target` (an absolute path): what an attack through it needs. */
  const leadsTo = (link: string, target: string): boolean =>
    fs.lstatSync(abs(link), { throwIfNoEntry: false })?.isSymbolicLink() === true &&
    fs.existsSync(abs(link)) &&
    fs.realpathSync(abs(link)) === fs.realpathSync(target);

  /**
   * Saves a node in the tree and runs it through the palette command; the maker answers with the
   * edits of each of `answers` in turn (a refused answer is asked again). Wrapped, so awaiting the
   * start does not wait for the run.
   */
  async function startRun(title: string, ...answers: object[][]): Promise<{ running: Thenable<NodeRunOutcome | undefined> }> {
    const store = treeStore();
    const loaded = fs.existsSync(abs('.baton/tree.json')) ? (await store.load()).tree : TaskTree.empty({ now: () => Date.now() });
    const { tree, node } = loaded.addChild(null, { title, acceptance: ['done'], budget: 8000 });
    await store.save(tree);
    server.enqueue(...answers.map((edits) => ({ json: { summary: title, edits } })));
    const running = vscode.commands.executeCommand<NodeRunOutcome | undefined>('baton.runSubtask', node.id);
    if (!testCommandApproved) {
      // The test command (`true`) is confirmed once, before its first run.
      await vscode.commands.executeCommand('notifications.showList');
      assert.ok(
        await uiClick('.notifications-center .notification-list-item:has-text("Baton will run") .monaco-button:has-text("Run It")', 20000),
        'the test command confirmation did not appear',
      );
      await vscode.commands.executeCommand('notifications.hideList');
      testCommandApproved = true;
    }
    return { running };
  }

  async function acceptEverything(round: string): Promise<void> {
    await waitFor(`the proposal "${round}" in review`, () => (api.diffReview.current?.proposal.summary === round ? true : undefined), 30000);
    // The review closes its diff editors: let one finish opening first.
    await waitFor("the proposal's diff shown", () =>
      vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'baton-proposal') ? true : undefined,
    );
    await vscode.commands.executeCommand('baton.review.acceptAll');
    await vscode.commands.executeCommand('baton.review.apply');
  }

  suiteSetup(async function () {
    if (!hasRunner()) this.skip();
    api = await batonServices();
    if (fs.existsSync(abs('.baton'))) {
      savedState = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-saved-state-'));
      fs.cpSync(abs('.baton'), savedState, { recursive: true });
    }
    server = await ScriptedServer.start();
    server.models = [{ id: 'maker-model', max_model_len: 16000 }];
    await setBatonSettings({ roles: { maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL } }, 'tests.command': 'true' });
  });

  setup(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-outside-'));
    fs.writeFileSync(path.join(outside, 'x.txt'), OUTSIDE_X);
    fs.mkdirSync(abs('docs'), { recursive: true });
    fs.writeFileSync(abs('docs/x.txt'), 'inside\n');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    // Links are removed, not what they lead to (`cfg` leads to the workspace settings' folder).
    for (const rel of ['docs', 'notes', 'meta', 'cfg', '.git', '.VSCode', '.vscode/tasks.json']) fs.rmSync(abs(rel), { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  suiteTeardown(async () => {
    if (!server) return;
    await server.close();
    await setBatonSettings({ roles: undefined, 'tests.command': undefined });
    fs.rmSync(abs('.baton'), { recursive: true, force: true });
    if (savedState) fs.cpSync(savedState, abs('.baton'), { recursive: true });
  });

  test('attack write-outside: an accepted edit whose folder became a link out of the workspace is refused, shown, and writes nothing; both adapters refuse it alike', async () => {
    const { running } = await startRun('Tidy docs', [{ kind: 'replace', path: 'docs/x.txt', search: 'inside', replace: 'WRITTEN THROUGH A LINK' }]);
    await waitFor('the docs proposal in review', () => (api.diffReview.current?.proposal.summary === 'Tidy docs' ? true : undefined), 30000);
    // While the person reviews, `docs` turns into a link to a folder outside the workspace.
    linkOut('docs', outside);
    attempted(
      'apply an accepted edit of docs/x.txt after docs became a link outside',
      leadsTo('docs', outside) && api.diffReview.current?.proposal.changes.some((c) => c.path === 'docs/x.txt') === true,
    );
    await acceptEverything('Tidy docs');
    assert.equal(await running, undefined, 'the run stopped');
    const shown = await notification('refused to write');
    assert.match(
      shown,
      /stopped at the review step \(round 1\): Baton refused to write "docs\/x\.txt": the symbolic link "docs" on the way leads outside the workspace folder/,
    );
    assert.match(shown, /Nothing of this proposal was written/);
    outsideUnchanged();

    // The editor's applier and the command line's refuse the same accepted change with the same words.
    const change: AcceptedChange = { path: 'docs/x.txt', before: OUTSIDE_X, text: 'ATTACK\n', baseHash: '' };
    attempted("the editor's and the command line's appliers write docs/x.txt through docs -> outside", leadsTo('docs', outside));
    const inEditor = await new WorkspaceEditApplier(new VsCodeWorkspaceFiles(folder())).apply([change]).then(
      () => 'applied',
      (err: Error) => err.message,
    );
    const onNode = await new FilesApplier(new NodeWorkspaceFiles(folder().fsPath)).apply([change]).then(
      () => 'applied',
      (err: Error) => err.message,
    );
    assert.match(inEditor, /Baton refused to write "docs\/x\.txt": the symbolic link "docs" on the way leads outside the workspace folder/);
    assert.equal(inEditor, onNode);
    outsideUnchanged();
  });

  test('attack write-outside: Restore Checkpoint through a link that now leads out of the workspace is refused and shown', async () => {
    const id = await vscode.commands.executeCommand<string>('baton.createCheckpoint', { paths: ['docs/x.txt'], label: 'before docs edit' });
    assert.ok(id, 'no checkpoint id');
    fs.writeFileSync(abs('docs/x.txt'), 'edited\n');
    linkOut('docs', outside);
    attempted(
      'Restore Checkpoint of docs/x.txt, with docs now -> outside',
      leadsTo('docs', outside) &&
        (await api.workspaces.for(folder()).checkpoints.history()).some((h) => h.id === id && h.files.some((f) => f.path === 'docs/x.txt')),
    );
    assert.equal(await vscode.commands.executeCommand('baton.restoreCheckpoint', id, { confirmed: true, force: true }), undefined, 'restored through the link');
    const shown = await notification('restore refused');
    assert.match(
      shown,
      /Restoring checkpoint "before docs edit" refused, nothing was written: Baton refused to read "docs\/x\.txt": the symbolic link "docs" on the way leads outside the workspace folder/,
    );
    outsideUnchanged();
  });

  test('attack sensitive-path: meta/config (meta -> .git) is refused before review and the model is told why; .VSCode/tasks.json and cfg/tasks.json (cfg -> .vscode) ask about the link, then the second confirmation names .vscode/tasks.json; "Skip" writes neither', async () => {
    fs.mkdirSync(abs('.git'), { recursive: true });
    fs.writeFileSync(abs('.git/config'), GIT_CONFIG);
    linkOut('meta', '.git');
    fs.mkdirSync(abs('.vscode'), { recursive: true });
    linkOut('cfg', '.vscode');
    const tasks = '{ "version": "2.0.0", "tasks": [{ "label": "x", "type": "shell", "command": "echo pwned", "runOptions": { "runOn": "folderOpen" } }] }\n';
    const taskEdits = [
      { kind: 'create', path: '.VSCode/tasks.json', content: tasks },
      { kind: 'create', path: 'cfg/tasks.json', content: tasks },
    ];
    const requestsBefore = server.chatRequests.length;
    // The model asks for .git/config through the link too; told why not, it answers without it.
    const { running } = await startRun(
      'Configure tasks',
      [{ kind: 'replace', path: 'meta/config', search: '\tbare = false', replace: '\tbare = false\n\thooksPath = /tmp/evil-hooks' }, ...taskEdits],
      taskEdits,
    );
    await waitFor('the proposal "Configure tasks" in review', () => (api.diffReview.current?.proposal.summary === 'Configure tasks' ? true : undefined), 30000);
    attempted('the maker sent an edit of meta/config, with meta -> .git', leadsTo('meta', abs('.git')) && server.pendingSteps === 0);
    const inReview = api.diffReview.current?.proposal.changes.map((c) => c.path) ?? [];
    attempted('a created .VSCode/tasks.json, a case variant of .vscode, in review', inReview.includes('.VSCode/tasks.json'));
    attempted('a created cfg/tasks.json, with cfg -> .vscode, in review', inReview.includes('cfg/tasks.json') && leadsTo('cfg', abs('.vscode')));
    assert.deepEqual(inReview, ['.VSCode/tasks.json', 'cfg/tasks.json'], 'meta/config never reached review');
    const requests = server.chatRequests.slice(requestsBefore).map((r) => JSON.stringify(r.body));
    assert.equal(requests.length, 2, 'the maker was asked once more');
    assert.match(requests[1]!, /meta\/config is never shown to a model \([^)]*\), so it cannot be edited here/, 'the model is told why');
    assert.ok(!requests.some((r) => r.includes('bare = false')), '.git/config reached no request');
    await acceptEverything('Configure tasks');

    const link = await answer('goes through the link', 'Write Through Link');
    assert.match(link, /"cfg\/tasks\.json" goes through the link "cfg" → "\.vscode", so Baton would write "\.vscode\/tasks\.json"/);
    const sensitive = await answer('touch sensitive files', 'Skip These Files');
    assert.match(sensitive, /\.VSCode\/tasks\.json \(editor settings, tasks and launch configurations/);
    assert.match(sensitive, /cfg\/tasks\.json → \.vscode\/tasks\.json \(editor settings, tasks and launch configurations/);

    assert.equal((await running)?.kind, 'rejected', 'nothing was left to apply');
    assert.equal(fs.readFileSync(abs('.git/config'), 'utf8'), GIT_CONFIG, '.git/config untouched');
    assert.equal(fs.existsSync(abs('.VSCode')), false, '.VSCode/tasks.json not created');
    assert.equal(fs.existsSync(abs('.vscode/tasks.json')), false, '.vscode/tasks.json not created');
  });

  test('attack hidden-tail: writes through a link listed past what a notification shows are asked beside an editor showing the whole list; dismissing writes none of them', async () => {
    fs.mkdirSync(abs('notes'), { recursive: true });
    linkOut('docs', abs('notes'));
    // Harmless names first, the one that matters last: past the 1,000 characters a notification shows.
    const names = [...[1, 2, 3, 4].map((n) => `${'harmless-'.repeat(12)}${n}.md`), 'LAST-build-hook.md'];
    const edits = names.map((name) => ({ kind: 'create', path: `docs/${name}`, content: 'x\n' }));
    const { running } = await startRun('Write notes', edits);
    await waitFor('the proposal "Write notes" in review', () => (api.diffReview.current?.proposal.summary === 'Write notes' ? true : undefined), 30000);
    await acceptEverything('Write notes');

    const question = await waitFor('the question open in an editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'baton-question' && e.document.getText().includes('goes through the link')),
    );
    const whole = question.document.getText().replace(/\n/g, ' ');
    attempted('a list of writes through a link whose last item sits past what a notification shows', whole.indexOf('LAST-build-hook.md') > 1000);
    assert.match(
      whole,
      /"docs\/LAST-build-hook\.md" goes through the link "docs" → "notes", so Baton would write "notes\/LAST-build-hook\.md"/,
      'the editor shows the last one',
    );
    await vscode.commands.executeCommand('notifications.showList');
    const asked = await waitFor('the short question', () =>
      uiText('.notifications-center .notification-list-item:has-text("Write through links in the workspace?")'),
    );
    assert.match(asked.replace(/\s+/g, ' '), /open whole in the editor \("Baton question \d+"\); read it there before you answer/);
    assert.match(asked, /Write Through Link/);
    assert.doesNotMatch(asked, /harmless|LAST-build-hook/, 'the notification asks without the list');
    await vscode.commands.executeCommand('notifications.clearAll'); // dismissed: no
    await vscode.commands.executeCommand('notifications.hideList');
    await running;
    for (const name of names) assert.equal(fs.existsSync(abs(`notes/${name}`)), false, `${name} not written`);
    await waitFor('the question closed once answered', () =>
      vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'baton-question') ? undefined : true,
    );
  });
});
