// The delegation core in a real VS Code: provider settings are checked as soon as they change, and
// a checkpoint restore goes through the editor's documents: it refuses while a file it would
// overwrite has unsaved edits, then returns the original bytes once they are gone, and is undoable.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CheckpointError } from '../../../src/core/checkpoints/checkpointError';
import { CheckpointStore } from '../../../src/core/checkpoints/checkpointStore';
import { NodeStateStore } from '../../../src/node/nodeAdapters';
import { VsCodeWorkspaceFiles } from '../../../src/host/vscodeWorkspaceFiles';
import { testSigningKey } from '../../support/checkpointFixtures';
import { hasRunner, notification } from './runner';
import { folder } from './workspaceFolder';

suite('delegation core in the editor', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('baton-dev.baton')!.activate();
  });

  teardown(async () => {
    await vscode.workspace.getConfiguration('baton').update('roles', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('a bad role setting is named as soon as it is saved', async function () {
    if (!hasRunner()) this.skip();
    await vscode.workspace.getConfiguration('baton').update('roles', { maker: { provider: 'openai', model: '' } }, vscode.ConfigurationTarget.Workspace);
    const message = await notification('baton.roles.maker.model');
    assert.match(message, /baton\.roles\.maker\.model must be a non-empty string/);
  });

  test('an API key written into settings is refused with a pointer to SecretStorage', async function () {
    if (!hasRunner()) this.skip();
    await vscode.workspace
      .getConfiguration('baton')
      .update('roles', { planner: { provider: 'openai', model: 'gpt-4.1', apiKey: 'sk-x' } }, vscode.ConfigurationTarget.Workspace);
    const message = await notification('SecretStorage');
    assert.match(message, /baton\.roles\.planner\.apiKey is not allowed: API keys are kept in SecretStorage only/);
  });

  test('a checkpoint restore refuses over unsaved edits, then restores the exact bytes, and can be undone', async () => {
    const files = new VsCodeWorkspaceFiles(folder());
    const state = new NodeStateStore(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-state-')));
    const store = new CheckpointStore({ files, state, clock: { now: () => Date.now() }, key: testSigningKey });
    const rel = 'pantry/checkpoint_probe.py';
    const original = new TextEncoder().encode('VALUE = 1\r\n# café ✓\r\n');
    await files.write(rel, original);

    const id = await store.create({ nodeId: 't1', label: 'change VALUE', paths: [rel, 'pantry/created_by_step.py'] });
    await files.write(rel, new TextEncoder().encode('VALUE = 2\n'));
    await files.write('pantry/created_by_step.py', new TextEncoder().encode('print("new")\n'));
    await store.recordAfter(id);

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), rel));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# not saved yet\n'));
    assert.ok(doc.isDirty);
    await assert.rejects(store.restore(id), (e: unknown) => {
      assert.ok(e instanceof CheckpointError);
      assert.equal(e.code, 'unsaved-changes');
      assert.match(e.message, /checkpoint_probe\.py/);
      return true;
    });
    assert.equal(fs.readFileSync(path.join(folder().fsPath, rel), 'utf8'), 'VALUE = 2\n', 'nothing was written');

    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!doc.isDirty);
    const result = await store.restore(id);
    assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(folder().fsPath, rel))), original, 'byte-exact pre-image, CRLF and UTF-8 intact');
    assert.ok(!fs.existsSync(path.join(folder().fsPath, 'pantry/created_by_step.py')), 'the file the step created is gone');

    await store.restore(result.undoCheckpointId);
    assert.equal(fs.readFileSync(path.join(folder().fsPath, rel), 'utf8'), 'VALUE = 2\n', 'the restore itself was undone');
  });

  suiteTeardown(async () => {
    // Later suites plan context on this workspace: leave it as it was.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const rel of ['pantry/checkpoint_probe.py', 'pantry/created_by_step.py']) fs.rmSync(path.join(folder().fsPath, rel), { force: true });
  });
});
