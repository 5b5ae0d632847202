import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Clock } from '../../src/core/ports';
import { MemoryStateStore as SharedMemoryStateStore } from '../support/checkpointFixtures';
import { DEFAULT_PRICE_TABLE, mergePriceTables } from '../../src/core/providers/prices';
import { dependencyContext } from '../../src/core/tasks/dependencyContext';
import { classifyKeep, type KeepCategory } from '../../src/core/tasks/keepClassifier';
import { applyPlan, parsePlannerAnswer, plannerAnswerJsonSchema, type PlannerAnswer } from '../../src/core/tasks/plannerSchema';
import { compactSaveState, renderSaveState, SAVE_STATE_FLOOR_TOKENS, SaveStateSchema, type SaveState } from '../../src/core/tasks/saveState';
import { TaskTree, TaskTreeError } from '../../src/core/tasks/taskTree';
import { TaskTreeStore, TREE_FILE, TreeFileError } from '../../src/core/tasks/treeStore';
import { addUsage, recordUsage, totalUsage, usageRollUp } from '../../src/core/tasks/usage';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';

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
    assert.deepEqual(
      three.children(root.id).map((n) => n.title),
      ['Zeroth', 'First'],
    );
    assert.equal(zeroth.parentId, root.id);
    assert.deepEqual(
      three.children(root.id).map((n) => n.budget.allocated),
      [500, 500],
    );
    assert.deepEqual(
      two.children(root.id).map((n) => n.budget.allocated),
      [1000],
    );
    assert.deepEqual(
      three.ancestors(zeroth.id).map((n) => n.id),
      [root.id],
    );
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
    assert.throws(
      () => tree.move('a', 'b'),
      (e: Error) => e instanceof TaskTreeError && /cannot sit inside itself/.test(e.message),
    );
    assert.throws(() => tree.move('a', 'a'), TaskTreeError);
  });

  it('removes a subtree, refusing while other nodes depend on it unless asked to drop those dependencies', () => {
    let tree = smallTree()
      .move('b', 'a')
      .edit('c', { dependsOn: ['b'] });
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
    const tree = smallTree()
      .edit('a', { dependsOn: ['b'] })
      .edit('b', { dependsOn: ['c'] });
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
    assert.deepEqual(
      tree.siblingsInDependencyOrder('root').map((n) => n.id),
      ['b', 'c', 'a'],
    );
  });

  it('nextRunnable: the first delegated leaf whose dependencies are done, never under a kept node', () => {
    let tree = smallTree()
      .edit('a', { dependsOn: ['b'] })
      .edit('b', { mode: 'keep', keepReason: 'business rule' });
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
    assert.throws(
      () => tree.setBudget('a', 10),
      (err: Error) => {
        // Its advice names what a person can do: set the parent's budget, or switch its split (Set Split Policy).
        assert.match(err.message, /splits equally; set the budget of .* instead/);
        assert.match(err.message, /or switch "Ship feature" \(root\) to a fixed split \(Baton: Set Split Policy\)/);
        return true;
      },
    );
    tree = tree.setPolicy('root', { kind: 'weighted', weights: { a: 2, b: 1, c: 0 } });
    assert.deepEqual(
      tree.children('root').map((n) => n.budget.allocated),
      [6000, 3000, 0],
    );
    assert.throws(() => tree.setPolicy('root', { kind: 'weighted', weights: { x: 1 } }), /no child "x"/);
    assert.throws(() => tree.setPolicy('root', { kind: 'weighted', weights: { a: -1 } }), /finite number, 0 or more/);
    tree = tree.setPolicy('root', { kind: 'fixed' });
    tree = tree.setBudget('c', 0).setBudget('a', 1000);
    assert.deepEqual(
      tree.children('root').map((n) => n.budget.allocated),
      [1000, 3000, 0],
    );
    assert.throws(() => tree.setBudget('c', 5001), /"Ship feature" \(root\) has a budget of 9000 tokens but its children ask for 9001 .*1 tokens over/);
    assert.throws(() => tree.setBudget('root', 100), /over/);
    tree = tree.setBudget('root', 4000);
    assert.equal(tree.get('root').budget.allocated, 4000);
  });

  it('round-trips through a snapshot and refuses inconsistent snapshots', () => {
    const tree = smallTree()
      .move('b', 'a')
      .edit('c', { dependsOn: ['a'] });
    const again = TaskTree.fromSnapshot(structuredClone(tree.toSnapshot()), steppingClock());
    assert.deepEqual(again.toSnapshot(), tree.toSnapshot());
    const broken = structuredClone(tree.toSnapshot());
    const child = broken.nodes.find((n) => n.id === 'b')!;
    (child as { parentId: string | null }).parentId = 'root';
    assert.throws(() => TaskTree.fromSnapshot(broken, steppingClock()), /"Task b" \(b\) is listed under "Task a" \(a\) but names "Ship feature" \(root\)/);
  });
});

describe('usage', () => {
  const prices = mergePriceTables(DEFAULT_PRICE_TABLE, { cheap: { inputPricePerMTok: 1, outputPricePerMTok: 1 }, 'gpt-4o': { inputPricePerMTok: 2.5 } });

  it('records a call on the node, keeps own and total apart, and rolls it up to every ancestor', () => {
    let tree = smallTree().move('b', 'a');
    const first = recordUsage(tree, 'b', { model: 'openai/gpt-4o-2024-08-06', inputTokens: 1_000_000, outputTokens: 100_000 }, prices);
    assert.equal(first.cost, 3.5);
    tree = first.tree;
    tree = recordUsage(tree, 'a', { model: 'cheap', inputTokens: 500_000, outputTokens: 500_000 }, prices).tree;
    const unpriced = recordUsage(tree, 'c', { model: 'unknown', inputTokens: 10, outputTokens: 5 }, prices);
    assert.equal(unpriced.priced, false);
    tree = recordUsage(unpriced.tree, 'c', { model: 'unknown', inputTokens: 1, outputTokens: 1, cost: 0.25 }, prices).tree;
    const rollUp = usageRollUp(tree);
    assert.deepEqual(rollUp.get('b')!.own, { inputTokens: 1_000_000, outputTokens: 100_000, cost: 3.5, calls: 1 });
    assert.deepEqual(rollUp.get('a')!.own, { inputTokens: 500_000, outputTokens: 500_000, cost: 1, calls: 1 });
    assert.deepEqual(rollUp.get('a')!.total, { inputTokens: 1_500_000, outputTokens: 600_000, cost: 4.5, calls: 2 });
    assert.deepEqual(rollUp.get('root')!.own, { inputTokens: 0, outputTokens: 0, cost: 0, calls: 0 });
    assert.deepEqual(rollUp.get('root')!.total, { inputTokens: 1_500_011, outputTokens: 600_006, cost: 4.75, calls: 4 });
    assert.deepEqual(totalUsage(tree, 'a'), rollUp.get('a')!.total);
    assert.throws(() => recordUsage(tree, 'a', { model: 'x', inputTokens: -1, outputTokens: 0 }, prices), /inputTokens/);
  });

  it('the root total is the sum of every call, wherever it was made (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(30), { minLength: 1, maxLength: 25 }),
        fc.array(fc.record({ node: fc.nat(30), input: fc.nat(100_000), output: fc.nat(20_000), model: fc.constantFrom('gpt-4o', 'cheap', 'unknown') }), {
          maxLength: 40,
        }),
        fc.array(fc.record({ node: fc.nat(30), parent: fc.nat(30) }), { maxLength: 5 }),
        (parents, calls, moves) => {
          let tree = TaskTree.empty(steppingClock()).addChild(null, { id: 'root', title: 'root', budget: 1000 }).tree;
          for (const p of parents) {
            const ids = tree.depthFirst().map((n) => n.id);
            tree = tree.addChild(ids[p % ids.length]!, { title: 'n' }).tree;
          }
          const ids = tree.depthFirst().map((n) => n.id);
          let expected = { inputTokens: 0, outputTokens: 0, calls: 0, cost: 0 };
          for (const call of calls) {
            const recorded = recordUsage(tree, ids[call.node % ids.length]!, { model: call.model, inputTokens: call.input, outputTokens: call.output }, prices);
            tree = recorded.tree;
            expected = {
              inputTokens: expected.inputTokens + call.input,
              outputTokens: expected.outputTokens + call.output,
              calls: expected.calls + 1,
              cost: expected.cost + recorded.cost,
            };
          }
          for (const m of moves) {
            try {
              const id = ids[m.node % ids.length]!;
              if (id !== 'root') tree = tree.move(id, ids[m.parent % ids.length]!);
            } catch (e) {
              if (!(e instanceof TaskTreeError)) throw e;
            }
          }
          const rollUp = usageRollUp(tree);
          const total = rollUp.get('root')!.total;
          assert.equal(total.inputTokens, expected.inputTokens);
          assert.equal(total.outputTokens, expected.outputTokens);
          assert.equal(total.calls, expected.calls);
          assert.ok(Math.abs(total.cost - expected.cost) < 1e-9);
          for (const node of tree.depthFirst()) {
            const sumOfChildren = tree
              .childrenIds(node.id)
              .map((c) => rollUp.get(c)!.total)
              .reduce(addUsage, node.usage);
            assert.deepEqual(rollUp.get(node.id)!.total, sumOfChildren, `total of ${node.id} is own + children's totals`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('keep classification', () => {
  const keeps: Array<[string, string, KeepCategory]> = [
    ['Add OAuth login', 'Let users sign in with GitHub', 'security'],
    ['Rotate the API key', '', 'security'],
    ['Hash passwords with argon2', '', 'security'],
    ['Fix permissions check on delete', '', 'security'],
    ['Encrypt backups', '', 'security'],
    ['Handle Stripe payments', 'charge the card at checkout', 'security'],
    ['Store secrets in the vault', '', 'security'],
    ['Decide the architecture of the sync engine', '', 'architecture'],
    ['Change the database schema for orders', '', 'architecture'],
    ['Encode the discount policy for members', '', 'business-rules'],
    ['Apply the business rules for late fees', '', 'business-rules'],
  ];
  for (const [title, goal, category] of keeps) {
    it(`keeps "${title}" (${category})`, () => {
      const decision = classifyKeep({ title, goal }, { mode: 'delegate' });
      assert.equal(decision.mode, 'keep');
      assert.ok(
        decision.matches.some((m) => m.category === category),
        JSON.stringify(decision.matches),
      );
      assert.match(decision.keepReason!, /looks like/);
    });
  }

  const delegates = [
    ['Rename the author field in the blog model', 'and update the token budget display'],
    ['Add a log in the retry loop', 'use dependency injection for the clock'],
    ['Update function signatures in utils.py', 'add type hints'],
    ['Fix the off-by-one in pagination', ''],
  ];
  for (const [title, goal] of delegates) {
    it(`delegates "${title}"`, () => {
      assert.deepEqual(classifyKeep({ title: title!, goal: goal! }, { mode: 'delegate' }), { mode: 'delegate', matches: [] });
    });
  }

  it('the stricter answer wins and both reasons are recorded', () => {
    const planner = classifyKeep({ title: 'Fix pagination' }, { mode: 'keep', keepReason: 'the person asked to review paging' });
    assert.deepEqual(planner, { mode: 'keep', keepReason: 'the person asked to review paging', matches: [] });
    const both = classifyKeep({ title: 'Refactor auth middleware' }, { mode: 'keep', keepReason: 'risky' });
    assert.equal(both.mode, 'keep');
    assert.match(both.keepReason!, /^risky; looks like security-critical work \("auth"\)$/);
  });
});

describe('save states', () => {
  const counter = new TokenCounter('cl100k_base');
  const count = (text: string): number => counter.count(text);
  const words = (n: number, word: string): string => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const big: SaveState = {
    summary: words(300, 'summary'),
    pinnedFacts: ['The public API of shop.cart must not change.', 'Prices are in cents.'],
    decisions: Array.from({ length: 20 }, (_, i) => `decision ${i}: ${words(10, 'why')}`),
    openQuestions: Array.from({ length: 20 }, (_, i) => `question ${i}: ${words(10, 'what')}`),
    filesChanged: Array.from({ length: 30 }, (_, i) => ({ path: `src/file${i}.ts`, summary: words(15, 'change') })),
  };

  it('validates with zod', () => {
    assert.ok(SaveStateSchema.safeParse(big).success);
    assert.ok(!SaveStateSchema.safeParse({ ...big, pinnedFacts: 'x' }).success);
  });

  it('leaves a state that fits as it is', () => {
    const result = compactSaveState(big, 100_000, count);
    assert.deepEqual(result.state, big);
    assert.deepEqual(result.trimmed, []);
  });

  it('compacts to the budget, lowest priority first, never dropping pinned facts', () => {
    const before = count(renderSaveState(big));
    const result = compactSaveState(big, 600, count);
    assert.ok(before > 2000);
    assert.ok(result.tokens <= 600, `${result.tokens} tokens`);
    assert.equal(result.tokens, count(renderSaveState(result.state)));
    assert.deepEqual(result.state.pinnedFacts, big.pinnedFacts);
    assert.ok(
      result.state.filesChanged.every((f) => f.summary === ''),
      'file summaries go first',
    );
    assert.match(result.trimmed[0]!, /^summary of src\/file29\.ts$/);
    assert.deepEqual(result.state.decisions, big.decisions, 'decisions are the last to go');
  });

  it('never goes below the floor: 200 tokens, or the pinned facts when they are larger', () => {
    const tiny = compactSaveState(big, 10, count);
    assert.equal(tiny.target, SAVE_STATE_FLOOR_TOKENS);
    assert.ok(tiny.tokens >= SAVE_STATE_FLOOR_TOKENS && tiny.tokens <= SAVE_STATE_FLOOR_TOKENS + 40, `${tiny.tokens} tokens`);
    assert.deepEqual(tiny.state.pinnedFacts, big.pinnedFacts);
    const pinnedHeavy: SaveState = { ...big, pinnedFacts: Array.from({ length: 40 }, (_, i) => `fact ${i}: ${words(8, 'pin')}`) };
    const heavy = compactSaveState(pinnedHeavy, 10, count);
    assert.deepEqual(heavy.state.pinnedFacts, pinnedHeavy.pinnedFacts);
    assert.ok(heavy.target > SAVE_STATE_FLOOR_TOKENS);
    assert.ok(heavy.tokens >= heavy.target);
  });

  it('keeps pinned facts and the floor for random states and budgets (property)', () => {
    const stateArb: fc.Arbitrary<SaveState> = fc.record({
      summary: fc.string({ maxLength: 400 }),
      pinnedFacts: fc.array(fc.string({ maxLength: 80 }), { maxLength: 6 }),
      decisions: fc.array(fc.string({ maxLength: 80 }), { maxLength: 10 }),
      openQuestions: fc.array(fc.string({ maxLength: 80 }), { maxLength: 10 }),
      filesChanged: fc.array(fc.record({ path: fc.string({ minLength: 1, maxLength: 20 }), summary: fc.string({ maxLength: 80 }) }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(stateArb, fc.nat(1500), (state, max) => {
        const result = compactSaveState(state, max, count);
        const before = count(renderSaveState(state));
        assert.deepEqual(result.state.pinnedFacts, state.pinnedFacts);
        assert.ok(result.tokens >= Math.min(before, SAVE_STATE_FLOOR_TOKENS), 'not below the floor');
        assert.ok(result.tokens <= before, 'compaction never grows a state');
      }),
      { numRuns: 100 },
    );
  });

  it('a node sees the save states of what it depends on, not their conversations', () => {
    let tree = smallTree()
      .edit('a', {
        state: 'done',
        saveState: {
          summary: 'Added the Cart.total method.',
          pinnedFacts: ['Totals are in cents.'],
          decisions: ['Round half up.'],
          openQuestions: [],
          filesChanged: [{ path: 'shop/cart.py', summary: 'total()' }],
        },
      })
      .edit('c', { dependsOn: ['a', 'b'] });
    const text = dependencyContext(tree, 'c');
    assert.equal(
      text,
      '## Task a (a, done)\nAdded the Cart.total method.\nPinned facts:\n- Totals are in cents.\nDecisions:\n- Round half up.\nFiles changed:\n- shop/cart.py: total()\n\n' +
        '## Task b (b, pending)\n(no save state yet)',
    );
    tree = tree.edit('a', { saveState: { ...big } });
    const compacted = dependencyContext(tree, 'c', { maxTokensEach: 300, countTokens: count });
    assert.ok(count(compacted) < 400);
    assert.ok(compacted.includes('Prices are in cents.'));
  });
});

/** StateStore in memory, as the `.baton/` folder would hold it, with text helpers. */
class MemoryStateStore extends SharedMemoryStateStore {
  text(path: string): string {
    return new TextDecoder().decode(this.entries.get(path));
  }
  putText(path: string, text: string): void {
    this.entries.set(path, new TextEncoder().encode(text));
  }
}

describe('tree store', () => {
  function richTree(): TaskTree {
    let tree = smallTree()
      .move('b', 'a')
      .setPolicy('root', { kind: 'weighted', weights: { a: 3, c: 1 } })
      .edit('c', { dependsOn: ['a'], state: 'running', notes: 'in progress' })
      .edit('b', {
        state: 'done',
        saveState: { summary: 's', pinnedFacts: ['p'], decisions: ['d'], openQuestions: ['q'], filesChanged: [{ path: 'x.py', summary: 'y' }] },
      });
    tree = tree.addChild('a', { title: 'Check auth', mode: 'keep', keepReason: 'security' }, 0).tree;
    tree = tree.setPolicy('a', { kind: 'fixed' }).setBudget('b', 100);
    return recordUsage(tree, 'b', { model: 'm', inputTokens: 10, outputTokens: 2, cost: 0.01 }, {}).tree;
  }

  it('round-trips every node, parent-child link, order, state, budget and usage', async () => {
    const store = new MemoryStateStore();
    const trees = new TaskTreeStore(store, steppingClock());
    const tree = richTree();
    await trees.save(tree);
    const file = JSON.parse(store.text(TREE_FILE)) as { schemaVersion: number };
    assert.equal(file.schemaVersion, 2);
    const loaded = await new TaskTreeStore(store, steppingClock()).load();
    assert.deepEqual(loaded.tree.toSnapshot(), tree.toSnapshot());
    assert.equal(loaded.migratedFrom, undefined);
    assert.deepEqual(loaded.tree.childrenIds('a'), tree.childrenIds('a'));
    // The id counter survives too: a node added after the restart gets a fresh id.
    const added = loaded.tree.addChild('root', { title: 'after restart' }).node;
    assert.ok(!tree.has(added.id));
  });

  it('starts empty when there is no file', async () => {
    const loaded = await new TaskTreeStore(new MemoryStateStore(), steppingClock()).load();
    assert.equal(loaded.tree.size, 0);
  });

  it('migrates a version 1 file (bare budgets, no counter) and saves it as version 2', async () => {
    const v1 = {
      schemaVersion: 1,
      roots: ['t1'],
      nodes: [
        {
          id: 't1',
          parentId: null,
          title: 'Root',
          goal: '',
          acceptance: [],
          likelyFiles: [],
          dependsOn: [],
          mode: 'delegate',
          state: 'planned',
          budget: 1000,
          createdAt: 1,
          updatedAt: 1,
          children: ['t2', 't3'],
        },
        {
          id: 't2',
          parentId: 't1',
          title: 'Two',
          goal: 'g',
          acceptance: ['a'],
          likelyFiles: ['f.py'],
          dependsOn: [],
          mode: 'delegate',
          state: 'done',
          budget: 600,
          createdAt: 1,
          updatedAt: 1,
          children: ['t4', 't5'],
        },
        {
          id: 't3',
          parentId: 't1',
          title: 'Three',
          goal: '',
          acceptance: [],
          likelyFiles: [],
          dependsOn: ['t2'],
          mode: 'keep',
          keepReason: 'payments',
          state: 'kept',
          budget: 400,
          usage: { inputTokens: 5, outputTokens: 1, cost: 0, calls: 1 },
          createdAt: 1,
          updatedAt: 1,
          children: [],
        },
        {
          id: 't4',
          parentId: 't2',
          title: 'Four',
          goal: '',
          acceptance: [],
          likelyFiles: [],
          dependsOn: [],
          mode: 'delegate',
          state: 'done',
          budget: 500,
          createdAt: 1,
          updatedAt: 1,
          children: [],
        },
        {
          id: 't5',
          parentId: 't2',
          title: 'Five',
          goal: '',
          acceptance: [],
          likelyFiles: [],
          dependsOn: [],
          mode: 'keep',
          state: 'kept',
          budget: 500,
          createdAt: 1,
          updatedAt: 1,
          children: [],
        },
      ],
    };
    const store = new MemoryStateStore();
    store.putText(TREE_FILE, JSON.stringify(v1));
    const trees = new TaskTreeStore(store, steppingClock());
    const { tree, migratedFrom, notes } = await trees.load();
    assert.equal(migratedFrom, 1);
    assert.deepEqual(tree.get('t1').budget, { allocated: 1000, policy: { kind: 'fixed' } });
    assert.deepEqual(
      tree.children('t1').map((n) => n.budget.allocated),
      [600, 400],
    );
    assert.deepEqual(tree.get('t2').budget.policy, { kind: 'equal' }, 'children over budget now split equally');
    assert.deepEqual(
      tree.children('t2').map((n) => n.budget.allocated),
      [300, 300],
    );
    assert.match(notes.join('\n'), /"Two" \(t2\): its children asked for 1000 of its 600 tokens/);
    assert.deepEqual(tree.get('t3').dependsOn, ['t2']);
    assert.equal(tree.get('t3').usage.calls, 1);
    assert.equal(tree.get('t4').usage.calls, 0);
    assert.match(tree.get('t5').keepReason!, /older Baton recorded no reason/);
    assert.equal(tree.addChild('t1', { title: 'new' }).node.id, 't6');
    await trees.save(tree);
    const saved = JSON.parse(store.text(TREE_FILE)) as { schemaVersion: number };
    assert.equal(saved.schemaVersion, 2);
    const again = await trees.load();
    assert.equal(again.migratedFrom, undefined);
    assert.deepEqual(again.tree.toSnapshot(), tree.toSnapshot());
  });

  it('names the file and what is wrong in a malformed file, and never overwrites it', async () => {
    const store = new MemoryStateStore();
    const trees = new TaskTreeStore(store, steppingClock());
    await trees.save(smallTree());
    const good = JSON.parse(store.text(TREE_FILE)) as { nodes: Array<{ budget: { allocated: unknown } }> };
    good.nodes[1]!.budget.allocated = 'lots';
    const bad = JSON.stringify(good);
    store.putText(TREE_FILE, bad);
    await assert.rejects(trees.load(), (e: Error) => {
      assert.ok(e instanceof TreeFileError);
      assert.match(e.message, /^\.baton\/tree\.json cannot be read: node "a" \(nodes\[1\]\)\.budget\.allocated: .*expected number/);
      assert.match(e.message, /left the file untouched/);
      return true;
    });
    await assert.rejects(trees.save(smallTree()), TreeFileError);
    assert.equal(store.text(TREE_FILE), bad, 'the bad file is still there, unchanged');

    store.putText(TREE_FILE, '{ "schemaVersion": 2, ');
    await assert.rejects(trees.load(), /\.baton\/tree\.json cannot be read: it is not valid UTF-8 JSON/);
    store.putText(TREE_FILE, '{ "schemaVersion": 9 }');
    await assert.rejects(trees.load(), /written by a newer Baton \(schemaVersion 9/);
    const dangling = JSON.parse(store.text(TREE_FILE)) as object;
    store.putText(TREE_FILE, JSON.stringify({ ...dangling, schemaVersion: 2, nextSeq: 1, roots: ['ghost'], nodes: [] }));
    await assert.rejects(trees.load(), /the roots list lists a child "ghost" that is not in the tree/);
  });

  it('keeps an unreadable file as tree.json.bad-<time> before starting fresh, only when asked', async () => {
    const store = new MemoryStateStore();
    store.putText(TREE_FILE, 'not json');
    const trees = new TaskTreeStore(store, { now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 6) });
    const fresh = await trees.load({ startFreshIfUnreadable: true });
    assert.equal(fresh.tree.size, 0);
    assert.equal(fresh.keptBadFileAs, 'tree.json.bad-2025-01-02T03-04-05-006Z');
    assert.equal(store.text(fresh.keptBadFileAs), 'not json');
    assert.equal(store.text(TREE_FILE), 'not json', 'loading alone writes nothing over it');
  });
});

describe('planner answers', () => {
  const answer = {
    subtasks: [
      {
        key: 'model',
        title: 'Add Cart.total',
        goal: 'Cart has a total in cents',
        acceptance: ['test_total passes'],
        likelyFiles: ['shop/cart.py'],
        budgetShare: 3,
        mode: 'delegate',
      },
      { title: 'Show the total', goal: 'The view shows it', acceptance: ['renders'], budgetShare: 1, dependsOn: ['model'], mode: 'delegate' },
      {
        key: 'tax',
        title: 'Decide VAT handling',
        goal: 'Pick the tax rate rules',
        acceptance: ['the person decided'],
        budgetShare: 1,
        dependsOn: [0],
        mode: 'keep',
        keepReason: 'legal question',
      },
      { title: 'Store card tokens', goal: 'Save the payment method for later', acceptance: ['saved'], budgetShare: 1, dependsOn: ['tax', 1], mode: 'delegate' },
    ],
  };

  function parentWith(policy: 'equal' | 'weighted' | 'fixed'): TaskTree {
    let tree = TaskTree.empty(steppingClock()).addChild(null, { id: 'root', title: 'Cart totals', budget: 12_000 }).tree;
    if (policy === 'weighted') tree = tree.setPolicy('root', { kind: 'weighted', weights: {} });
    if (policy === 'fixed') tree = tree.setPolicy('root', { kind: 'fixed' }).addChild('root', { id: 'old', title: 'Existing', budget: 6000 }).tree;
    return tree;
  }

  it('parses a good answer and fills in defaults', () => {
    const parsed = parsePlannerAnswer(answer);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.plan.subtasks[0]!.dependsOn, []);
    assert.deepEqual(parsed.plan.subtasks[1]!.likelyFiles, []);
    assert.equal(typeof plannerAnswerJsonSchema(), 'object');
  });

  it('names the subtask and the field of every problem', () => {
    const bad = {
      subtasks: [
        { key: 'a', title: 'One', goal: 'g', acceptance: [], budgetShare: 1, mode: 'keep' },
        { key: 'a', title: 'Two', goal: 'g', acceptance: ['x'], budgetShare: 0, dependsOn: ['nope', 1], mode: 'delegate' },
      ],
    };
    const parsed = parsePlannerAnswer(bad);
    assert.ok(!parsed.ok);
    const text = parsed.problems.join('\n');
    assert.match(text, /subtask 0 "One", acceptance: /);
    assert.match(text, /subtask 0 "One", keepReason: a subtask with mode 'keep' needs a keepReason/);
    assert.match(text, /subtask 1 "Two", budgetShare: /);
    const linked = parsePlannerAnswer({
      subtasks: [
        { ...bad.subtasks[1], budgetShare: 1 },
        { ...bad.subtasks[1], key: 'b', budgetShare: 1, dependsOn: [] },
      ],
    });
    assert.ok(!linked.ok);
    assert.match(linked.problems.join('\n'), /subtask 0 "Two", dependsOn.0: "nope" is neither an index nor a key/);
    const cyclic = parsePlannerAnswer({ subtasks: [{ ...answer.subtasks[0], dependsOn: [1] }, { ...answer.subtasks[1] }] });
    assert.ok(!cyclic.ok);
    assert.match(cyclic.problems.join('\n'), /cycle: 0 "Add Cart.total" -> 1 "Show the total" -> 0/);
  });

  it('adds the subtasks as children with dependencies, keep guard and an equal split', () => {
    const parsed = parsePlannerAnswer(answer);
    assert.ok(parsed.ok);
    const { tree, added } = applyPlan(parentWith('equal'), 'root', parsed.plan);
    assert.deepEqual(
      tree.childrenIds('root'),
      added.map((n) => n.id),
    );
    assert.equal(tree.get('root').state, 'planned');
    assert.deepEqual(
      added.map((n) => n.budget.allocated),
      [3000, 3000, 3000, 3000],
    );
    assert.deepEqual(added[1]!.dependsOn, [added[0]!.id]);
    assert.deepEqual(tree.get(added[3]!.id).dependsOn, [added[2]!.id, added[1]!.id]);
    assert.deepEqual(
      added.map((n) => n.mode),
      ['delegate', 'delegate', 'keep', 'keep'],
    );
    assert.match(added[2]!.keepReason!, /^legal question; looks like .*a business rule \("tax rate"\)$/, 'planner and guard reasons both kept');
    assert.match(added[3]!.keepReason!, /^looks like security-critical work \("payment"\)$/);
    assert.equal(added[3]!.state, 'kept');
    assert.deepEqual(added[0]!.likelyFiles, ['shop/cart.py']);
    assert.equal(tree.nextRunnable()?.id, added[0]!.id);
  });

  it('uses the shares as weights under a weighted split, and what is left under a fixed one', () => {
    const parsed = parsePlannerAnswer(answer);
    assert.ok(parsed.ok);
    const weighted = applyPlan(parentWith('weighted'), 'root', parsed.plan);
    assert.deepEqual(
      weighted.added.map((n) => n.budget.allocated),
      [6000, 2000, 2000, 2000],
    );
    const fixed = applyPlan(parentWith('fixed'), 'root', parsed.plan);
    assert.deepEqual(
      fixed.added.map((n) => n.budget.allocated),
      [3000, 1000, 1000, 1000],
    );
    assert.equal(fixed.tree.get('old').budget.allocated, 6000);
  });

  it('refuses a plan that is not valid and leaves the tree as it was', () => {
    const tree = parentWith('equal');
    assert.throws(() => applyPlan(tree, 'root', { subtasks: [] } as unknown as PlannerAnswer), /the plan for "Cart totals" \(root\) is not valid: subtasks: /);
    assert.equal(tree.childrenIds('root').length, 0);
  });
});
