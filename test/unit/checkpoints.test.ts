import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { blobPath } from '../../src/core/checkpoints/blobStore';
import { CheckpointError } from '../../src/core/checkpoints/checkpointError';
import { CheckpointStore, type NewCheckpoint } from '../../src/core/checkpoints/checkpointStore';
import { manifestPath } from '../../src/core/checkpoints/manifest';
import { describeDifferences, makeTempDir, snapshotFolder, steppingClock, testSigningKey, utf8, withUnsavedEdits } from '../support/checkpointFixtures';

// Checkpoints on a real folder: every example works through NodeWorkspaceFiles and NodeStateStore.

describe('checkpoints', () => {
  let root: string;
  let files: NodeWorkspaceFiles;
  let state: NodeStateStore;
  let store: CheckpointStore;

  beforeEach(async () => {
    root = await makeTempDir('checkpoints');
    files = new NodeWorkspaceFiles(root);
    state = new NodeStateStore(join(root, '.baton'));
    store = new CheckpointStore({ files, state, clock: steppingClock(), key: testSigningKey });
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  async function put(path: string, bytes: Uint8Array | string): Promise<void> {
    await files.write(path, typeof bytes === 'string' ? utf8(bytes) : bytes);
  }

  async function text(path: string): Promise<string | undefined> {
    const bytes = await files.read(path);
    return bytes && new TextDecoder().decode(bytes);
  }

  /** Runs a step as the engine will: checkpoint, write, record the result. */
  async function step(input: Partial<NewCheckpoint> & { paths: string[] }, write: () => Promise<void>): Promise<string> {
    const id = await store.create({ nodeId: 'n1', label: 'step', ...input });
    await write();
    await store.recordAfter(id);
    return id;
  }

  async function workspace(): Promise<Map<string, Uint8Array>> {
    return snapshotFolder(root, ['.baton']);
  }

  async function rejectsWith(promise: Promise<unknown>, code: string, mentions: string[]): Promise<CheckpointError> {
    const err = await promise.then(
      () => assert.fail(`expected a refusal with ${code}`),
      (caught: unknown) => caught,
    );
    assert.ok(err instanceof CheckpointError, String(err));
    assert.equal(err.code, code, err.message);
    for (const mention of mentions) assert.ok(err.message.includes(mention), `"${err.message}" should mention ${mention}`);
    return err;
  }

  it('restores a modified text file', async () => {
    await put('src/app.ts', 'export const answer = 41;\n');
    const id = await step({ paths: ['src/app.ts'] }, () => put('src/app.ts', 'export const answer = 42;\n'));
    const result = await store.restore(id);
    assert.equal(await text('src/app.ts'), 'export const answer = 41;\n');
    assert.deepEqual(result.written, ['src/app.ts']);
  });

  it('restores binary files byte for byte, NUL bytes included', async () => {
    const original = new Uint8Array([0, 255, 0, 0, 13, 10, 0, ...randomBytes(4096)]);
    await put('assets/logo.bin', original);
    const id = await step({ paths: ['assets/logo.bin'] }, () => put('assets/logo.bin', randomBytes(100)));
    await store.restore(id);
    assert.deepEqual(await files.read('assets/logo.bin'), original);
  });

  it('deletes files the step created and re-creates files it deleted', async () => {
    await put('keep.txt', 'kept');
    await put('old.txt', 'old');
    const before = await workspace();
    const id = await step({ paths: ['new/deep/file.txt', 'old.txt'] }, async () => {
      await put('new/deep/file.txt', 'created');
      await files.delete('old.txt');
    });
    const result = await store.restore(id);
    assert.deepEqual(describeDifferences(await workspace(), before), []);
    assert.deepEqual(result.deleted, ['new/deep/file.txt']);
    assert.deepEqual(result.written, ['old.txt']);
  });

  it('records a rename as a delete and a create, shows it as a rename, and restores it', async () => {
    await put('a/old-name.ts', 'content');
    const id = await step({ paths: ['a/old-name.ts', 'b/new-name.ts'] }, async () => {
      await put('b/new-name.ts', 'content');
      await files.delete('a/old-name.ts');
    });
    const [entry] = await store.history();
    assert.deepEqual(entry?.files, [
      { path: 'a/old-name.ts', change: 'deleted', renamedTo: 'b/new-name.ts' },
      { path: 'b/new-name.ts', change: 'created', renamedFrom: 'a/old-name.ts' },
    ]);
    await store.restore(id);
    assert.equal(await text('a/old-name.ts'), 'content');
    assert.equal(await files.read('b/new-name.ts'), undefined);
  });

  it('lists time, node, label, files, tokens and cost, newest first', async () => {
    await put('a.txt', 'a');
    await step({ nodeId: 'plan.1', label: 'Add parser', paths: ['a.txt', 'b.txt'], tokens: 1200, cost: 0.0042 }, async () => {
      await put('a.txt', 'A');
      await put('b.txt', 'B');
    });
    const pending = await store.create({ nodeId: 'plan.2', label: 'Write tests', paths: ['a.txt'], tokens: 300, cost: 0.001 });
    const history = await store.history();
    assert.deepEqual(
      history.map(({ nodeId, label, tokens, cost, complete, kind }) => ({ nodeId, label, tokens, cost, complete, kind })),
      [
        { nodeId: 'plan.2', label: 'Write tests', tokens: 300, cost: 0.001, complete: false, kind: 'step' },
        { nodeId: 'plan.1', label: 'Add parser', tokens: 1200, cost: 0.0042, complete: true, kind: 'step' },
      ],
    );
    assert.equal(history[0]?.id, pending);
    assert.ok((history[0]?.time ?? 0) > (history[1]?.time ?? 0));
    assert.deepEqual(history[1]?.files, [
      { path: 'a.txt', change: 'modified' },
      { path: 'b.txt', change: 'created' },
    ]);
    assert.deepEqual(history[0]?.files, [{ path: 'a.txt', change: 'pending' }]);
  });

  it('keeps the tree state with the checkpoint and hands it back on restore', async () => {
    const treeState = { nodes: [{ id: 'n1', status: 'running', budget: 4000 }], version: 3 };
    const id = await step({ paths: ['x.txt'], treeState }, () => put('x.txt', 'x'));
    const result = await store.restore(id, { treeState: { nodes: [], version: 4 } });
    assert.deepEqual(result.treeState, treeState);
    assert.deepEqual((await store.checkpoint(result.undoCheckpointId)).treeState, { nodes: [], version: 4 });
  });

  it('refuses to restore over unsaved edits, names the file and writes nothing', async () => {
    await put('a.txt', 'before');
    await put('b.txt', 'before');
    const id = await step({ paths: ['a.txt', 'b.txt'] }, async () => {
      await put('a.txt', 'after');
      await put('b.txt', 'after');
    });
    const editor = new CheckpointStore({ files: withUnsavedEdits(files, ['b.txt']), state, clock: steppingClock(), key: testSigningKey });
    const historyBefore = await store.history();
    const err = await rejectsWith(editor.restore(id), 'unsaved-changes', ['"b.txt"', 'unsaved']);
    assert.deepEqual(err.paths, ['b.txt']);
    assert.equal(await text('a.txt'), 'after');
    assert.equal(await text('b.txt'), 'after');
    assert.equal((await store.history()).length, historyBefore.length);
  });

  it('refuses when a file changed after the step (naming it), and overwrites only with force', async () => {
    await put('a.txt', 'v0');
    const id = await step({ paths: ['a.txt'] }, () => put('a.txt', 'v1 from the step'));
    await put('a.txt', 'v2 edited by the person');
    await rejectsWith(store.restore(id), 'changed-since', ['"a.txt"', 'force']);
    assert.equal(await text('a.txt'), 'v2 edited by the person');
    const result = await store.restore(id, { force: true });
    assert.deepEqual(result.overwritten, ['a.txt']);
    assert.equal(await text('a.txt'), 'v0');
    // The person's edit is not lost for good: the restore's own checkpoint holds it.
    await store.restore(result.undoCheckpointId);
    assert.equal(await text('a.txt'), 'v2 edited by the person');
  });

  it('makes every restore undoable', async () => {
    await put('a.txt', 'v0');
    const first = await step({ paths: ['a.txt', 'c.txt'] }, async () => {
      await put('a.txt', 'v1');
      await put('c.txt', 'created');
    });
    await step({ paths: ['a.txt'] }, () => put('a.txt', 'v2'));
    const after = await workspace();
    const restored = await store.restore(first);
    assert.equal(restored.reverted.length, 2, 'restoring a checkpoint takes back the later steps too');
    assert.equal(await text('a.txt'), 'v0');
    assert.equal(await files.read('c.txt'), undefined);
    assert.equal((await store.history())[0]?.kind, 'restore');
    await store.restore(restored.undoCheckpointId);
    assert.deepEqual(describeDifferences(await workspace(), after), []);
  });

  it('undoes one node alone and leaves other nodes and other files untouched', async () => {
    await put('a.txt', 'a0');
    await put('b.txt', 'b0');
    await put('bystander.txt', 'never checkpointed');
    await step({ nodeId: 'A', paths: ['a.txt'] }, () => put('a.txt', 'a1'));
    await step({ nodeId: 'B', paths: ['b.txt'] }, () => put('b.txt', 'b1'));
    await step({ nodeId: 'A', paths: ['c.txt'] }, () => put('c.txt', 'c1'));
    await put('bystander.txt', 'edited by the person');
    const result = await store.undoNode('A');
    assert.equal(result.reverted.length, 2);
    assert.equal(await text('a.txt'), 'a0');
    assert.equal(await files.read('c.txt'), undefined);
    assert.equal(await text('b.txt'), 'b1');
    assert.equal(await text('bystander.txt'), 'edited by the person');
    await rejectsWith(store.undoNode('A'), 'nothing-to-undo', ['"A"']);
    const undone = (await store.history()).filter((entry) => entry.undone).map((entry) => entry.nodeId);
    assert.deepEqual(undone, ['A', 'A']);
    // Undoing the undo brings node A's changes back, and they can be undone again.
    await store.restore(result.undoCheckpointId);
    assert.equal(await text('c.txt'), 'c1');
    await store.undoNode('A');
    assert.equal(await files.read('c.txt'), undefined);
  });

  it('refuses to undo a node whose file a later node changed, naming the later step', async () => {
    await put('shared.txt', 's0');
    await step({ nodeId: 'A', label: 'first', paths: ['shared.txt'] }, () => put('shared.txt', 's1'));
    await step({ nodeId: 'B', label: 'second', paths: ['shared.txt'] }, () => put('shared.txt', 's2'));
    await rejectsWith(store.undoNode('A'), 'changed-since', ['"shared.txt"', '"second"', 'node B']);
    assert.equal(await text('shared.txt'), 's2');
  });

  it('refuses a corrupted blob before writing anything', async () => {
    await put('a.txt', 'a0');
    await put('b.txt', 'b0 with enough bytes to flip one');
    const id = await step({ paths: ['a.txt', 'b.txt'] }, async () => {
      await put('a.txt', 'a1');
      await put('b.txt', 'b1');
    });
    const manifest = await store.checkpoint(id);
    const bImage = manifest.files.find((file) => file.path === 'b.txt')?.before;
    assert.ok(bImage?.kind === 'file');
    const blobFile = join(root, '.baton', ...blobPath(bImage.sha256).split('/'));
    const blob = await fsp.readFile(blobFile);
    blob[3] = (blob[3] ?? 0) ^ 0x01;
    await fsp.writeFile(blobFile, blob);
    const before = await workspace();
    const historyLength = (await store.history()).length;
    const err = await rejectsWith(store.restore(id), 'corrupt-blob', ['"b.txt"', 'nothing was written']);
    assert.deepEqual(err.paths, ['b.txt']);
    assert.deepEqual(describeDifferences(await workspace(), before), []);
    assert.equal((await store.history()).length, historyLength);
  });

  it('refuses a checkpoint whose blob is missing, and one whose manifest is damaged', async () => {
    await put('a.txt', 'a0');
    const id = await step({ paths: ['a.txt'] }, () => put('a.txt', 'a1'));
    const image = (await store.checkpoint(id)).files[0]?.before;
    assert.ok(image?.kind === 'file');
    await state.delete(blobPath(image.sha256));
    await rejectsWith(store.restore(id), 'missing-blob', ['"a.txt"', 'missing']);
    await state.write(manifestPath(id), utf8('{"version": 1, "id": '));
    await rejectsWith(store.restore(id), 'unreadable-manifest', [id]);
    assert.equal(await text('a.txt'), 'a1');
  });

  it('refuses paths that leave the workspace, in the store and in the Node adapter', async () => {
    for (const path of ['../outside.txt', '/etc/passwd', 'a/../../x', 'C:/x', 'a\\b', '']) {
      await rejectsWith(store.create({ nodeId: 'n', label: 'bad', paths: [path] }), 'invalid-path', [`"${path}"`]);
      await assert.rejects(files.write(path, utf8('x')), /Baton refused to write "/);
      await assert.rejects(files.read(path), /Baton refused to read "/);
    }
    const outside = await makeTempDir('outside');
    try {
      await fsp.symlink(outside, join(root, 'link'));
      await assert.rejects(files.write('link/escape.txt', utf8('x')), /the symbolic link "link" on the way leads outside the workspace folder/);
      assert.deepEqual(await fsp.readdir(outside), []);
    } finally {
      await fsp.rm(outside, { recursive: true, force: true });
    }
  });

  it('never touches a file outside the checkpoint, even one the step wrote without declaring', async () => {
    await put('declared.txt', 'd0');
    const id = await step({ paths: ['declared.txt'] }, async () => {
      await put('declared.txt', 'd1');
      await put('undeclared.txt', 'u1');
    });
    await store.restore(id);
    assert.equal(await text('declared.txt'), 'd0');
    assert.equal(await text('undeclared.txt'), 'u1');
  });

  it('keeps a file mode when restoring over it, and removes orphan blobs on gc', async () => {
    await put('run.sh', '#!/bin/sh\necho 0\n');
    await fsp.chmod(join(root, 'run.sh'), 0o755);
    const id = await step({ paths: ['run.sh'] }, () => put('run.sh', '#!/bin/sh\necho 1\n'));
    await store.restore(id);
    assert.equal((await fsp.stat(join(root, 'run.sh'))).mode & 0o777, 0o755);
    await state.write(blobPath('ab'.repeat(32)), utf8('orphan from a crash'));
    assert.deepEqual(await store.gc(), { removed: 1 });
    const [latest] = await store.history();
    assert.ok(latest);
    await store.restore(latest.id); // every blob a manifest names survived gc
    assert.equal(await text('run.sh'), '#!/bin/sh\necho 1\n');
  });
});
