import { strict as assert } from 'node:assert';
import { settleInterruptedRuns } from '../../src/core/tasks/interruptedRuns';
import { TaskTree } from '../../src/core/tasks/taskTree';

// A node saved as running by a run that never finished is not left looking busy forever.

const clock = { now: () => Date.now() };

describe('runs interrupted mid-way', () => {
  const task = TaskTree.empty(clock).addChild(null, { title: 'Scale recipes' });
  const a = task.tree.addChild(task.node.id, { title: 'Parse fractions' });
  const b = a.tree.addChild(task.node.id, { title: 'Scale units' });
  const c = b.tree.addChild(task.node.id, { title: 'Round amounts' });
  const tree = c.tree
    .edit(a.node.id, { state: 'running' })
    .edit(b.node.id, { state: 'running', notes: 'Tests (make test), round 1: 2 passed' })
    .edit(c.node.id, { state: 'review' });

  it('marks failed, saying why, every running node no run here is working on; a run in progress and a waiting review stay', () => {
    const settled = settleInterruptedRuns(tree, new Set([a.node.id]));
    assert.equal(settled.get(a.node.id).state, 'running');
    assert.equal(settled.get(b.node.id).state, 'failed');
    assert.match(settled.get(b.node.id).notes ?? '', /^Interrupted: its run stopped without finishing[^]*round 1: 2 passed$/);
    assert.equal(settled.get(c.node.id).state, 'review', 'a deferred review can still be resumed');
  });

  it('gives back the same tree when nothing was interrupted', () => {
    assert.equal(settleInterruptedRuns(tree, new Set([a.node.id, b.node.id])), tree);
  });
});
