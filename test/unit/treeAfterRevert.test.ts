import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { revertFollowingTree, treeAfterRevert } from '../../src/core/tasks/treeAfterRevert';
import { TaskTreeStore } from '../../src/core/tasks/treeStore';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { testSigningKey } from '../support/checkpointFixtures';

// After Restore or Roll Back the tree says what the files hold, so Run Next Subtask does not skip
// a node whose work was taken back.

const clock = { now: () => Date.now() };

/** A task with two subtasks done (each wrote its file after a checkpoint) and one kept for the person. */
function doneTree() {
  const task = TaskTree.empty(clock).addChild(null, { title: 'Prices in cents' });
  const first = task.tree.addChild(task.node.id, { title: 'Cart total in cents' });
  const second = first.tree.addChild(task.node.id, { title: 'Invoice total in cents', dependsOn: [first.node.id] });
  const kept = second.tree.addChild(task.node.id, { title: 'Rounding rule', mode: 'keep', keepReason: 'business rule' });
  const tree = kept.tree.edit(first.node.id, { state: 'done' }).edit(second.node.id, { state: 'done' });
  return { tree, first: first.node.id, second: second.node.id, kept: kept.node.id };
}

describe('the task tree after a restore or a roll back', function () {
  this.timeout(20_000);
  let root: string;
  let checkpoints: CheckpointStore;
  let store: TaskTreeStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-revert-tree-'));
    const files = new NodeWorkspaceFiles(root);
    checkpoints = new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey });
    store = new TaskTreeStore(new NodeStateStore(join(root, '.baton')), clock);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The node's step as a run does it: a checkpoint, the write, the "after" recorded. */
  const step = async (nodeId: string, path: string, text: string) => {
    const id = await checkpoints.create({ nodeId, label: `step of ${nodeId}`, paths: [path] });
    writeFileSync(join(root, path), text);
    await checkpoints.recordAfter(id);
    return id;
  };
  const states = async () => {
    const tree = (await store.load()).tree;
    return tree.depthFirst().map((n) => `${n.title}: ${n.state}`);
  };

  it('a step taken back makes its node pending; kept, cancelled, manual and removed nodes are left alone', () => {
    const { tree, first, second, kept } = doneTree();
    const next = treeAfterRevert(tree, [
      { kind: 'step', nodeId: first, treeState: null },
      { kind: 'step', nodeId: 'manual', treeState: null },
      { kind: 'step', nodeId: kept, treeState: null },
      { kind: 'step', nodeId: 'n-removed-since', treeState: null },
    ]);
    assert.equal(next.get(first).state, 'pending');
    assert.equal(next.get(second).state, 'done');
    assert.equal(next.get(kept).state, 'kept');
    assert.equal(next.nextRunnable()?.id, first, 'Run Next Subtask picks the node up again');
    assert.equal(treeAfterRevert(tree, []), tree, 'nothing taken back: the same tree');
  });

  it('Restore of the first step makes both later nodes pending and the files as before; restoring the restore brings back both', async () => {
    writeFileSync(join(root, 'cart.py'), 'total = 1.005\n');
    const { tree, first, second } = doneTree();
    const firstStep = await step(first, 'cart.py', 'total = 100\n');
    await step(second, 'invoice.py', 'total = 100\n');
    await store.save(tree);

    const restored = await revertFollowingTree(store, (treeState) => checkpoints.restore(firstStep, { treeState }));
    assert.equal(readFileSync(join(root, 'cart.py'), 'utf8'), 'total = 1.005\n');
    assert.deepEqual(await states(), ['Prices in cents: pending', 'Cart total in cents: pending', 'Invoice total in cents: pending', 'Rounding rule: kept']);
    assert.equal((await store.load()).tree.nextRunnable()?.id, first);

    await revertFollowingTree(store, (treeState) => checkpoints.restore(restored.undoCheckpointId, { treeState }));
    assert.equal(readFileSync(join(root, 'cart.py'), 'utf8'), 'total = 100\n');
    assert.deepEqual(await states(), ['Prices in cents: pending', 'Cart total in cents: done', 'Invoice total in cents: done', 'Rounding rule: kept']);
  });

  it('Roll Back of one node makes only that node pending', async () => {
    const { tree, first, second } = doneTree();
    await step(first, 'cart.py', 'total = 100\n');
    await step(second, 'invoice.py', 'total = 100\n');
    await store.save(tree);

    await revertFollowingTree(store, (treeState) => checkpoints.undoNode(second, { treeState }));
    assert.throws(() => readFileSync(join(root, 'invoice.py')), 'the file the node created is gone');
    assert.deepEqual(await states(), ['Prices in cents: pending', 'Cart total in cents: done', 'Invoice total in cents: pending', 'Rounding rule: kept']);
  });

  it('a refused restore leaves the tree as it was', async () => {
    const { tree, first } = doneTree();
    const id = await step(first, 'cart.py', 'total = 100\n');
    writeFileSync(join(root, 'cart.py'), 'total = 100  # edited by the person\n');
    await store.save(tree);
    await assert.rejects(
      revertFollowingTree(store, (treeState) => checkpoints.restore(id, { treeState })),
      /changed after the step/,
    );
    assert.deepEqual(await states(), ['Prices in cents: pending', 'Cart total in cents: done', 'Invoice total in cents: done', 'Rounding rule: kept']);
  });
});
