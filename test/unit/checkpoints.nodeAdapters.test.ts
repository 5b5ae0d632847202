import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { makeTempDir, utf8 } from '../support/checkpointFixtures';

// The Node ports the checkpoints rely on: atomic state writes that never show half-written files,
// and workspace access that cannot leave its folder.

describe('checkpoints: Node adapters', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('node-adapters');
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('NodeStateStore writes atomically, creates folders, and leaves no temp files behind', async () => {
    const state = new NodeStateStore(join(root, '.baton'));
    await state.write('checkpoints/objects/ab/cdef', utf8('one'));
    await state.write('checkpoints/objects/ab/cdef', utf8('two'));
    assert.deepEqual(await state.read('checkpoints/objects/ab/cdef'), utf8('two'));
    assert.deepEqual(await fsp.readdir(join(root, '.baton', 'checkpoints', 'objects', 'ab')), ['cdef']);
    assert.equal(await state.read('checkpoints/missing'), undefined);
  });

  it('NodeStateStore lists by prefix and never lists a temp file a crash left', async () => {
    const state = new NodeStateStore(join(root, '.baton'));
    await state.write('checkpoints/manifests/1.json', utf8('{}'));
    await state.write('checkpoints/manifests/2.json', utf8('{}'));
    await state.write('tree.json', utf8('{}'));
    await fsp.writeFile(join(root, '.baton', 'checkpoints', 'manifests', '3.json.123.abcd.baton-tmp'), 'half');
    assert.deepEqual(await state.list('checkpoints/manifests/'), ['checkpoints/manifests/1.json', 'checkpoints/manifests/2.json']);
    assert.deepEqual(await state.list('checkpoints/manifests/2'), ['checkpoints/manifests/2.json']);
    assert.deepEqual(await state.list('nothing/here/'), []);
    assert.equal((await state.list('')).length, 3);
    await state.delete('tree.json');
    await state.delete('tree.json'); // deleting twice is fine
    assert.equal(await state.read('tree.json'), undefined);
  });

  it('NodeStateStore refuses paths that leave its folder', async () => {
    const state = new NodeStateStore(join(root, '.baton'));
    await assert.rejects(state.write('../escape', utf8('x')), /Baton refused to write "\.\.\/escape": it leaves the workspace through '\.\.'/);
    await assert.rejects(fsp.access(join(root, 'escape')));
  });

  it('NodeWorkspaceFiles reads, writes and deletes bytes, and names a folder read as a file', async () => {
    const files = new NodeWorkspaceFiles(root);
    const bytes = new Uint8Array([0, 1, 2, 0, 255]);
    await files.write('deep/er/file.bin', bytes);
    assert.deepEqual(await files.read('deep/er/file.bin'), bytes);
    assert.equal(files.hasUnsavedChanges('deep/er/file.bin'), false);
    await files.delete('deep/er/file.bin');
    await files.delete('deep/er/file.bin');
    assert.equal(await files.read('deep/er/file.bin'), undefined);
    await assert.rejects(files.read('deep'), /"deep" is a folder, not a file/);
  });

  it('NodeWorkspaceFiles reads through a symlink that stays inside the workspace, and writes through it only once approved', async () => {
    const asked: string[][] = [];
    const approving = new NodeWorkspaceFiles(root, { approve: async (paths) => (asked.push(paths.map((p) => `${p.path} -> ${p.realPath}`)), true) });
    await approving.write('real/target.txt', utf8('target'));
    await fsp.symlink(join(root, 'real'), join(root, 'alias'));
    const files = new NodeWorkspaceFiles(root);
    assert.deepEqual(await files.read('alias/target.txt'), utf8('target'));
    await assert.rejects(
      files.write('alias/target.txt', utf8('x')),
      /the symbolic link "alias" \(to "real"\), and Baton writes through a link only after you approve it/,
    );
    assert.deepEqual(await files.read('real/target.txt'), utf8('target'));

    await approving.write('alias/target.txt', utf8('through the link'));
    await approving.write('alias/target.txt', utf8('again'));
    assert.deepEqual(await files.read('real/target.txt'), utf8('again'));
    assert.deepEqual(asked, [['alias/target.txt -> real/target.txt']], 'asked once for that link');
    assert.ok((await fsp.lstat(join(root, 'alias'))).isSymbolicLink(), 'the link itself is left as it is');
  });
});
