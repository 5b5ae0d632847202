import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles, systemClock } from '../../src/node/nodeAdapters';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { describeDifferences, makeTempDir, snapshotFolder, testSigningKey, utf8 } from '../support/checkpointFixtures';

// A process killed while writing a checkpoint must leave a store that still lists and restores
// every checkpoint it completed: blobs go first, the manifest's atomic rename commits.

const BIG_FILE_COUNT = 2000;
const REPO = resolve(__dirname, '../..');

// Runs in the child (CommonJS through tsx): three small complete steps, then a checkpoint of
// many files, during which the parent kills it.
const CHILD = `
const { CheckpointStore } = require(${JSON.stringify(join(REPO, 'src/core/checkpoints/checkpointStore.ts'))});
const { NodeStateStore, NodeWorkspaceFiles, systemClock } = require(${JSON.stringify(join(REPO, 'src/node/nodeAdapters.ts'))});
const { testSigningKey } = require(${JSON.stringify(join(REPO, 'test/support/checkpointFixtures.ts'))});
const root = process.env.BATON_CRASH_ROOT;
(async () => {
  const files = new NodeWorkspaceFiles(root);
  const store = new CheckpointStore({ files, state: new NodeStateStore(root + '/.baton'), clock: systemClock, key: testSigningKey });
  for (let i = 0; i < 3; i++) {
    const id = await store.create({ nodeId: 'small-' + i, label: 'small ' + i, paths: ['f' + i + '.txt', 'new-' + i + '.bin'] });
    await files.write('f' + i + '.txt', Buffer.from('after ' + i));
    await files.write('new-' + i + '.bin', Buffer.from([0, i, 255]));
    await store.recordAfter(id);
    process.stdout.write('complete ' + id + '\\n');
  }
  process.stdout.write('big-start\\n');
  const paths = Array.from({ length: ${BIG_FILE_COUNT} }, (_, i) => 'big/' + i + '.bin');
  await store.create({ nodeId: 'big', label: 'big', paths });
  process.stdout.write('big-done\\n');
})();
`;

describe('checkpoints: a crash while writing a checkpoint', function () {
  this.timeout(30_000);
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('checkpoint-crash');
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('leaves a store that lists and restores every complete checkpoint', async () => {
    for (let i = 0; i < 3; i++) await fsp.writeFile(join(root, `f${i}.txt`), `before ${i}`);
    await fsp.mkdir(join(root, 'big'));
    for (let i = 0; i < BIG_FILE_COUNT; i++) await fsp.writeFile(join(root, 'big', `${i}.bin`), randomBytes(8192));
    const beforeSteps = await snapshotFolder(root, ['.baton']);

    const { completed, output } = await runChildAndKillMidCheckpoint(root);
    assert.equal(completed.length, 3, output);
    assert.ok(!output.includes('big-done'), 'the child finished before it was killed; the test needs more files');

    const files = new NodeWorkspaceFiles(root);
    const state = new NodeStateStore(join(root, '.baton'));
    const store = new CheckpointStore({ files, state, clock: systemClock, key: testSigningKey });
    const history = await store.history();
    assert.deepEqual(history.map((entry) => entry.id).reverse(), completed);
    assert.ok(history.every((entry) => entry.complete));
    const afterSteps = await snapshotFolder(root, ['.baton']);

    const restored = await store.restore(completed[0] ?? '');
    assert.deepEqual(describeDifferences(await snapshotFolder(root, ['.baton']), beforeSteps), []);
    await store.restore(restored.undoCheckpointId);
    assert.deepEqual(describeDifferences(await snapshotFolder(root, ['.baton']), afterSteps), []);

    // The killed checkpoint's blobs are orphans: harmless, and gc removes them.
    const { removed } = await store.gc();
    assert.ok(removed > 0, 'expected blobs of the interrupted checkpoint');
    await store.undoNode('small-1');
    assert.equal(new TextDecoder().decode(await files.read('f1.txt')), 'before 1');
    assert.equal(await files.read('new-1.bin'), undefined);
    assert.deepEqual(await files.read('f2.txt'), utf8('after 2'));
  });
});

/** Starts the child, waits until it is part way through the big checkpoint's blobs, then SIGKILLs it. */
async function runChildAndKillMidCheckpoint(root: string): Promise<{ completed: string[]; output: string }> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD], {
    cwd: REPO,
    env: { ...process.env, BATON_CRASH_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));

  const state = new NodeStateStore(join(root, '.baton'));
  const deadline = Date.now() + 20_000;
  let killed = false;
  while (Date.now() < deadline && child.exitCode === null) {
    if (output.includes('big-start')) {
      const blobs = await state.list('checkpoints/objects/');
      // The three small steps stored three pre-images; wait for a good part of the big one.
      if (blobs.length >= 3 + 100) {
        killed = child.kill('SIGKILL');
        break;
      }
    }
    await new Promise((wake) => setTimeout(wake, 5));
  }
  const signal = await exited;
  assert.ok(killed && signal === 'SIGKILL', `the child was not killed mid-way: ${output}`);
  const completed = [...output.matchAll(/^complete (\S+)$/gm)].map((match) => match[1] ?? '');
  return { completed, output };
}
