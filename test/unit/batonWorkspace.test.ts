import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles, systemClock } from '../../src/node/nodeAdapters';
import { BatonWorkspace } from '../../src/core/workspace/batonWorkspace';
import { RunInProgressError, StateLockedError } from '../../src/core/workspace/stateConflicts';
import { NodeRunFailure, runSavedNode } from '../../src/core/run/savedNodeRun';
import { makeTempDir, testSigningKey } from '../support/checkpointFixtures';

// Two writers of one folder's `.baton/` (two windows, a window and the command line), on real
// files: every change to the tree lands, checkpoints never share a number, and runs go one at a time.

const REPO = resolve(__dirname, '../..');
const PER_WRITER = 12;

function openFolder(root: string): BatonWorkspace {
  return new BatonWorkspace({ files: new NodeWorkspaceFiles(root), state: new NodeStateStore(join(root, '.baton')), clock: systemClock, key: testSigningKey });
}

// A second process: adds PER_WRITER tasks and takes PER_WRITER checkpoints, as fast as it can.
const WRITER = `
const { BatonWorkspace } = require(${JSON.stringify(join(REPO, 'src/core/workspace/batonWorkspace.ts'))});
const { NodeStateStore, NodeWorkspaceFiles, systemClock } = require(${JSON.stringify(join(REPO, 'src/node/nodeAdapters.ts'))});
const { testSigningKey } = require(${JSON.stringify(join(REPO, 'test/support/checkpointFixtures.ts'))});
const root = process.env.BATON_WRITER_ROOT;
const name = process.env.BATON_WRITER_NAME;
const ws = new BatonWorkspace({ files: new NodeWorkspaceFiles(root), state: new NodeStateStore(root + '/.baton'), clock: systemClock, key: testSigningKey });
Promise.all(Array.from({ length: ${PER_WRITER} }, (_, i) => Promise.all([
  ws.tree.update((tree) => tree.addChild(null, { title: name + ' task ' + i, budget: 1000 }).tree),
  ws.checkpoints.create({ nodeId: name, label: name + ' checkpoint ' + i, paths: ['shared.txt'] }),
]))).then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;

function runWriter(root: string, name: string): Promise<void> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', WRITER], {
    cwd: REPO,
    env: { ...process.env, BATON_WRITER_ROOT: root, BATON_WRITER_NAME: name },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((done, fail) => child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`writer ${name} exited ${code}: ${errors}`)))));
}

describe('one folder, two writers', function () {
  this.timeout(60_000);
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('two-writers');
    await fsp.writeFile(join(root, 'shared.txt'), 'shared\n');
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('two processes adding tasks and taking checkpoints at once lose no task and never share a checkpoint number', async () => {
    await Promise.all([runWriter(root, 'first'), runWriter(root, 'second')]);
    const ws = openFolder(root);
    const titles = (await ws.tree.load()).tree
      .depthFirst()
      .map((node) => node.title)
      .sort();
    const expected = ['first', 'second'].flatMap((name) => Array.from({ length: PER_WRITER }, (_, i) => `${name} task ${i}`)).sort();
    assert.deepEqual(titles, expected, 'every task either process added is in tree.json');
    const sequences = (await ws.checkpoints.history()).map((entry) => Number(entry.id.split('-')[0])).sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: 2 * PER_WRITER }, (_, i) => i),
      'each checkpoint has its own number, none skipped',
    );
  });

  it('two stores in one process (two windows) keep every change to the tree, each applied to the newest tree', async () => {
    const [a, b] = [openFolder(root), openFolder(root)];
    await Promise.all(
      Array.from({ length: PER_WRITER }, (_, i) => [
        a.tree.update((tree) => tree.addChild(null, { title: `a ${i}`, budget: 1000 }).tree),
        b.tree.update((tree) => tree.addChild(null, { title: `b ${i}`, budget: 1000 }).tree),
      ]).flat(),
    );
    const tree = (await openFolder(root).tree.load()).tree;
    assert.equal(tree.size, 2 * PER_WRITER);
    assert.equal(new Set(tree.depthFirst().map((node) => node.id)).size, 2 * PER_WRITER, 'no two tasks got the same id');
  });

  it('a run saves only its own node: a task added while it ran stays', async () => {
    const ws = openFolder(root);
    const other = openFolder(root); // the window where the person adds a task meanwhile
    const tree = await ws.tree.update((t) => t.addChild(null, { title: 'Run me', budget: 1000 }).tree);
    const runNodeId = tree.roots()[0]!.id;
    const failure = await runSavedNode(
      tree,
      runNodeId,
      async () => {
        await other.tree.update((t) => t.addChild(null, { title: 'Added during the run', budget: 1000 }).tree);
        throw new Error('the model is unreachable');
      },
      { store: ws.tree },
    ).catch((err: unknown) => err);
    assert.ok(failure instanceof NodeRunFailure);
    const saved = (await ws.tree.load()).tree;
    assert.deepEqual(
      saved.roots().map((n) => [n.title, n.state]),
      [
        ['Run me', 'failed'],
        ['Added during the run', 'pending'],
      ],
    );
  });

  it('refuses a second run on the folder, naming the node running, and lets one start once it is over', async () => {
    const [window, cli] = [openFolder(root), openFolder(root)];
    const tree = await window.tree.update(
      (t) => t.addChild(null, { title: 'Parse units', budget: 1000 }).tree.addChild(null, { title: 'Other', budget: 1000 }).tree,
    );
    const [running, second] = tree.roots().map((n) => n.id) as [string, string];
    const end = await window.beginRun(running);
    await window.tree.update((t) => t.edit(running, { state: 'running' }));
    await assert.rejects(
      window.beginRun(second),
      (err: unknown) => err instanceof RunInProgressError && /Another run is in progress on "Parse units" \(t\d+\) \(in this window\)/.test(err.message),
    );
    await assert.rejects(
      cli.beginRun(second),
      (err: unknown) => err instanceof RunInProgressError && /on "Parse units" .*in another window or by the baton command line/.test(err.message),
    );
    assert.equal((await cli.settleInterruptedRuns()).get(running).state, 'running', 'a run under way elsewhere is not taken for interrupted');
    await end();
    const endSecond = await cli.beginRun(second);
    assert.equal((await cli.tree.load()).tree.get(running).state, 'failed', 'with the run lock free, a node left running was interrupted');
    await endSecond();
  });

  it('names the lock and what to do when another holder keeps it, and takes over a lock its holder left behind', async () => {
    const state = new NodeStateStore(join(root, '.baton'));
    const release = await state.lock('tree.json');
    await assert.rejects(
      new NodeStateStore(join(root, '.baton')).lock('tree.json', { waitMs: 100 }),
      (err: unknown) =>
        err instanceof StateLockedError && /^\.baton\/tree\.json is being changed by another Baton .* Nothing was changed: try again/.test(err.message),
    );
    await release();
    // A holder that died: its lock folder stays, no longer refreshed.
    await fsp.mkdir(join(root, '.baton', 'checkpoints.lock'));
    const longAgo = new Date(Date.now() - 60_000);
    await fsp.utimes(join(root, '.baton', 'checkpoints.lock'), longAgo, longAgo);
    const id = await openFolder(root).checkpoints.create({ nodeId: 'manual', label: 'after a crash', paths: ['shared.txt'] });
    assert.match(id, /^0+-/);
  });
});
