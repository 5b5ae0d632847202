import { strict as assert } from 'node:assert';
import type { Clock } from '../../src/core/ports';
import { TaskTree, TaskTreeError } from '../../src/core/tasks/taskTree';

function steppingClock(start = 1_700_000_000_000): Clock {
  let now = start;
  return { now: () => (now += 1000) };
}

/** A root "Ship feature" with budget 9000 and children a, b, c (equal split). */
function smallTree(): TaskTree {
  let tree = TaskTree.empty(steppingClock());
  tree = tree.addChild(null, { id: 'root', title: 'Ship feature', goal: 'ship it', budget: 9000 }).tree;
  for (const id of ['a', 'b', 'c']) tree = tree.addChild('root', { id, title: `Task ${id}` }).tree;
  return tree;
}

describe('TaskTree', () => {
  it('adds children in order, splits the parent budget, and leaves the old tree untouched', () => {
    const empty = TaskTree.empty(steppingClock());
    const { tree: one, node: root } = empty.addChild(null, { title: 'Root', budget: 1000 });
    assert.equal(root.id, 't1');
    assert.equal(empty.size, 0);
    const { tree: two } = one.addChild(root.id, { title: 'First' });
    const { tree: three, node: zeroth } = two.addChild(root.id, { title: 'Zeroth' }, 0);
    assert.deepEqual(three.children(root.id).map((n) => n.title), ['Zeroth', 'First']);
    assert.equal(zeroth.parentId, root.id);
    assert.deepEqual(three.children(root.id).map((n) => n.budget.allocated), [500, 500]);
    assert.deepEqual(two.children(root.id).map((n) => n.budget.allocated), [1000]);
    assert.deepEqual(three.ancestors(zeroth.id).map((n) => n.id), [root.id]);
  });

  it('reorders among siblings and moves to another parent, refusing to put a node inside itself', () => {
    let tree = smallTree();
    tree = tree.move('c', 'root', 0);
    assert.deepEqual(tree.childrenIds('root'), ['c', 'a', 'b']);
    tree = tree.move('b', 'a');
    assert.deepEqual(tree.childrenIds('root'), ['c', 'a']);
    assert.deepEqual(tree.childrenIds('a'), ['b']);
    assert.equal(tree.get('b').parentId, 'a');
    assert.equal(tree.get('b').budget.allocated, tree.get('a').budget.allocated, 'an only child gets the whole budget');
    assert.throws(() => tree.move('a', 'b'), (e: Error) => e instanceof TaskTreeError && /cannot sit inside itself/.test(e.message));
    assert.throws(() => tree.move('a', 'a'), TaskTreeError);
  });

  it('removes a subtree, refusing while other nodes depend on it unless asked to drop those dependencies', () => {
    let tree = smallTree().move('b', 'a').edit('c', { dependsOn: ['b'] });
    assert.throws(() => tree.remove('a'), /cannot remove "Task a" \(a\): "Task c" \(c\) depend/);
    tree = tree.remove('a', { dropDependencies: true });
    assert.equal(tree.has('a'), false);
    assert.equal(tree.has('b'), false);
    assert.deepEqual(tree.get('c').dependsOn, []);
    assert.equal(tree.get('c').budget.allocated, 9000);
  });

  it('edits fields, keeps the keep reason required, and moves between kept and pending', () => {
    let tree = smallTree().edit('a', { title: 'Renamed', acceptance: ['tests pass'], notes: 'n' });
    assert.equal(tree.get('a').title, 'Renamed');
    assert.deepEqual(tree.get('a').acceptance, ['tests pass']);
    assert.ok(tree.get('a').updatedAt > tree.get('a').createdAt);
    assert.throws(() => tree.edit('a', { mode: 'keep' }), /no keepReason/);
    tree = tree.edit('a', { mode: 'keep', keepReason: 'touches auth' });
    assert.equal(tree.get('a').state, 'kept');
    tree = tree.edit('a', { mode: 'delegate' });
    assert.equal(tree.get('a').state, 'pending');
    assert.throws(() => tree.edit('a', { title: '  ' }), /title must not be empty/);
  });

  it('refuses dependency cycles and dependencies on missing nodes, ancestors or subtasks, naming them', () => {
    const tree = smallTree().edit('a', { dependsOn: ['b'] }).edit('b', { dependsOn: ['c'] });
    assert.throws(
      () => tree.edit('c', { dependsOn: ['a'] }),
      (e: Error) => e instanceof TaskTreeError && e.message.includes('cycle') && e.message.includes('"Task a" (a)') && e.message.includes('"Task c" (c)'),
    );
    assert.throws(() => tree.edit('a', { dependsOn: ['zzz'] }), /"zzz", which is not in the tree/);
    assert.throws(() => tree.edit('a', { dependsOn: ['root'] }), /contains it/);
    assert.throws(() => tree.edit('root', { dependsOn: ['a'] }), /its own subtasks/);
    assert.throws(() => tree.edit('a', { dependsOn: ['a'] }), /itself/);
  });

  it('orders siblings by their dependencies, otherwise as the person ordered them', () => {
    const tree = smallTree().edit('a', { dependsOn: ['c'] });
    assert.deepEqual(tree.siblingsInDependencyOrder('root').map((n) => n.id), ['b', 'c', 'a']);
  });

  it('nextRunnable: the first delegated leaf whose dependencies are done, never under a kept node', () => {
    let tree = smallTree().edit('a', { dependsOn: ['b'] }).edit('b', { mode: 'keep', keepReason: 'business rule' });
    assert.equal(tree.nextRunnable()?.id, 'c');
    tree = tree.edit('c', { state: 'done' });
    assert.equal(tree.nextRunnable(), undefined, 'a waits for the kept b');
    tree = tree.edit('b', { state: 'done' });
    assert.equal(tree.nextRunnable()?.id, 'a');
    tree = tree.addChild('a', { id: 'a1', title: 'Sub a1' }).tree;
    assert.equal(tree.nextRunnable()?.id, 'a1', 'a parent runs through its children');
    tree = tree.edit('a', { mode: 'keep', keepReason: 'architecture' });
    assert.equal(tree.nextRunnable(), undefined);
  });

  it('setBudget and setPolicy re-split below, refuse shares set by hand and report over-allocation', () => {
    let tree = smallTree();
    assert.throws(() => tree.setBudget('a', 10), /splits equally/);
    tree = tree.setPolicy('root', { kind: 'weighted', weights: { a: 2, b: 1, c: 0 } });
    assert.deepEqual(tree.children('root').map((n) => n.budget.allocated), [6000, 3000, 0]);
    assert.throws(() => tree.setPolicy('root', { kind: 'weighted', weights: { x: 1 } }), /no child "x"/);
    assert.throws(() => tree.setPolicy('root', { kind: 'weighted', weights: { a: -1 } }), /finite number, 0 or more/);
    tree = tree.setPolicy('root', { kind: 'fixed' });
    tree = tree.setBudget('c', 0).setBudget('a', 1000);
    assert.deepEqual(tree.children('root').map((n) => n.budget.allocated), [1000, 3000, 0]);
    assert.throws(
      () => tree.setBudget('c', 5001),
      /"Ship feature" \(root\) has a budget of 9000 tokens but its children ask for 9001 .*1 tokens over/,
    );
    assert.throws(() => tree.setBudget('root', 100), /over/);
    tree = tree.setBudget('root', 4000);
    assert.equal(tree.get('root').budget.allocated, 4000);
  });

  it('round-trips through a snapshot and refuses inconsistent snapshots', () => {
    const tree = smallTree().move('b', 'a').edit('c', { dependsOn: ['a'] });
    const again = TaskTree.fromSnapshot(structuredClone(tree.toSnapshot()), steppingClock());
    assert.deepEqual(again.toSnapshot(), tree.toSnapshot());
    const broken = structuredClone(tree.toSnapshot());
    const child = broken.nodes.find((n) => n.id === 'b')!;
    (child as { parentId: string | null }).parentId = 'root';
    assert.throws(() => TaskTree.fromSnapshot(broken, steppingClock()), /"Task b" \(b\) is listed under "Task a" \(a\) but names "Ship feature" \(root\)/);
  });
});
