import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { promptBudget, splitBudget, splitByWeights, type BudgetPolicy } from '../../src/core/tasks/budgets';
import { TaskTree, TaskTreeError } from '../../src/core/tasks/taskTree';

const clock = { now: () => 1_700_000_000_000 };

const policyArb: fc.Arbitrary<BudgetPolicy | 'weighted-random'> = fc.constantFrom<BudgetPolicy | 'weighted-random'>(
  { kind: 'equal' },
  { kind: 'fixed' },
  'weighted-random',
);

// A tree built by random operations; refused ones (over-allocation, budgets set under a split)
// must leave the tree as it was, so they are simply skipped.
type Step =
  | { op: 'add'; parent: number; budget: number }
  | { op: 'policy'; node: number; policy: BudgetPolicy | 'weighted-random'; weights: number[] }
  | { op: 'budget'; node: number; tokens: number }
  | { op: 'move'; node: number; parent: number; position: number }
  | { op: 'remove'; node: number };

// Adds outweigh removals so that trees grow several levels deep.
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('add' as const), parent: fc.nat(40), budget: fc.nat(5000) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('policy' as const),
      node: fc.nat(40),
      policy: policyArb,
      weights: fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 12 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('budget' as const), node: fc.nat(40), tokens: fc.nat(200_000) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), node: fc.nat(40), parent: fc.nat(40), position: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), node: fc.nat(40) }) },
);

function applyStep(tree: TaskTree, step: Step): TaskTree {
  const ids = tree.depthFirst().map((n) => n.id);
  const pick = (i: number): string => ids[i % ids.length]!;
  switch (step.op) {
    case 'add': {
      const parent = tree.get(pick(step.parent));
      return tree.addChild(parent.id, { title: 'x', ...(parent.budget.policy.kind === 'fixed' ? { budget: step.budget } : {}) }).tree;
    }
    case 'policy': {
      const node = pick(step.node);
      if (step.policy !== 'weighted-random') return tree.setPolicy(node, step.policy);
      const weights = Object.fromEntries(tree.childrenIds(node).map((c, i) => [c, step.weights[i] ?? 1]));
      return tree.setPolicy(node, { kind: 'weighted', weights });
    }
    case 'budget':
      return tree.setBudget(pick(step.node), step.tokens);
    case 'move':
      return pick(step.node) === 'root' ? tree : tree.move(pick(step.node), pick(step.parent), step.position);
    case 'remove':
      return pick(step.node) === 'root' ? tree : tree.remove(pick(step.node), { dropDependencies: true });
  }
}

describe('budgets', () => {
  it('splits equally with the remainder to the earliest children', () => {
    const split = splitBudget(
      10,
      { kind: 'equal' },
      ['a', 'b', 'c'].map((id) => ({ id, allocated: 0 })),
    );
    assert.ok(split.ok);
    assert.deepEqual([...split.allocations.values()], [4, 3, 3]);
  });

  it('splits by weights with largest remainders, missing weights counting 1, all-zero weights equally', () => {
    assert.deepEqual(splitByWeights(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(splitByWeights(10, [0.5, 0.25, 0.25]), [5, 3, 2]);
    assert.deepEqual(splitByWeights(7, [0, 0]), [4, 3]);
    const split = splitBudget(
      900,
      { kind: 'weighted', weights: { a: 2 } },
      ['a', 'b'].map((id) => ({ id, allocated: 0 })),
    );
    assert.ok(split.ok);
    assert.deepEqual([...split.allocations.values()], [600, 300]);
  });

  it('a fixed split keeps the children budgets and reports over-allocation with the amounts', () => {
    const fits = splitBudget(100, { kind: 'fixed' }, [
      { id: 'a', allocated: 60 },
      { id: 'b', allocated: 40 },
    ]);
    assert.ok(fits.ok);
    const over = splitBudget(100, { kind: 'fixed' }, [
      { id: 'a', allocated: 60 },
      { id: 'b', allocated: 41 },
    ]);
    assert.ok(!over.ok);
    assert.equal(over.overAllocation.childrenTotal, 101);
    assert.throws(() => splitBudget(1.5, { kind: 'equal' }, []), /whole number of tokens/);
  });

  it('promptBudget is the node budget capped by the window minus the reserved output', () => {
    assert.equal(promptBudget({ budget: { allocated: 10_000 } }, { contextWindow: 8192, maxOutputTokens: 1024 }), 7168);
    assert.equal(promptBudget({ budget: { allocated: 3000 } }, { contextWindow: 8192, maxOutputTokens: 1024 }), 3000);
    assert.equal(promptBudget({ budget: { allocated: 3000 } }, { contextWindow: 1000, maxOutputTokens: 2000 }), 0);
  });

  it('for random trees and policies no child sum exceeds its parent and no prompt exceeds the window (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.array(stepArb, { maxLength: 80 }),
        fc.record({ contextWindow: fc.nat(300_000), maxOutputTokens: fc.nat(50_000) }),
        (rootBudget, steps, model) => {
          let tree = TaskTree.empty(clock).addChild(null, { id: 'root', title: 'root', budget: rootBudget }).tree;
          for (const step of steps) {
            try {
              tree = applyStep(tree, step);
            } catch (error) {
              if (!(error instanceof TaskTreeError)) throw error;
            }
          }
          for (const node of tree.depthFirst()) {
            const children = tree.children(node.id);
            const sum = children.reduce((n, c) => n + c.budget.allocated, 0);
            assert.ok(sum <= node.budget.allocated, `children of ${node.id} hold ${sum} > ${node.budget.allocated}`);
            if (children.length > 0 && node.budget.policy.kind !== 'fixed') assert.equal(sum, node.budget.allocated);
            for (const c of children) assert.ok(Number.isSafeInteger(c.budget.allocated) && c.budget.allocated >= 0);
            const prompt = promptBudget(node, model);
            assert.ok(prompt <= node.budget.allocated && prompt <= Math.max(0, model.contextWindow - model.maxOutputTokens));
          }
          TaskTree.fromSnapshot(tree.toSnapshot(), clock); // every invariant the loader checks holds
        },
      ),
      { numRuns: 300 },
    );
  });
});
