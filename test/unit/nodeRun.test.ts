import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import { RoleRouter } from '../../src/core/providers/router';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { usageRollUp } from '../../src/core/tasks/usage';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import { runNode, type TestStep } from '../../src/core/run/nodeRun';
import type { FileDecision, Proposal, ReviewPort } from '../../src/core/proposals/types';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';
import { testSigningKey } from '../support/checkpointFixtures';

const fixture = join(__dirname, '..', 'fixtures', 'pyshop');
const clock = { now: () => Date.now() };

const EDIT_ROUND_1 = {
  summary: 'Round total to cents',
  edits: [
    {
      kind: 'replace',
      path: 'shop/cart.py',
      search: '        return subtotal + compute_tax(subtotal, self.region)',
      replace: '        return round(subtotal + compute_tax(subtotal, self.region), 2)',
    },
  ],
};
const EDIT_ROUND_2 = {
  summary: 'Round total to cents, half up',
  edits: [
    {
      kind: 'replace',
      path: 'shop/cart.py',
      search: '        return subtotal + compute_tax(subtotal, self.region)',
      replace: '        return round_half_up(subtotal + compute_tax(subtotal, self.region))',
    },
    { kind: 'create', path: 'shop/rounding.py', content: 'def round_half_up(x):\n    return int(x * 100 + 0.5) / 100\n' },
  ],
};
const SAVE_STATE = {
  filesChanged: [{ path: 'shop/cart.py', summary: 'total rounds half up' }],
  decisions: ['half up'],
  openQuestions: [],
  pinnedFacts: [],
  summary: 'Totals are rounded.',
};

describe('runNode: maker, breaker, review, checkpoint, apply, tests, save state', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let root: string;
  let engine: ContextEngine;
  let reviews: Proposal[];

  const acceptAll: ReviewPort = {
    async review(proposal) {
      reviews.push(proposal);
      return proposal.changes.map((c): FileDecision => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) }));
    },
  };
  const deps = (overrides: Partial<Parameters<typeof runNode>[2]> = {}) => {
    const files = new NodeWorkspaceFiles(root);
    return {
      router: RoleRouter.fromSettings(
        {
          roles: Object.fromEntries(
            ['maker', 'breaker', 'summariser'].map((r) => [
              r,
              { provider: 'vllm', model: r === 'breaker' ? 'reviewer-model' : 'maker-model', baseURL: server.baseURL },
            ]),
          ),
        },
        { secrets: new MemorySecretStore() },
      ),
      engine,
      files,
      checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
      review: acceptAll,
      applier: new FilesApplier(files),
      ...overrides,
    };
  };
  const tree = (mode: 'delegate' | 'keep' = 'delegate') =>
    TaskTree.empty(clock).addChild(null, {
      title: 'Cart.total must round to cents',
      acceptance: ['total() returns at most 2 decimals'],
      budget: 6000,
      mode,
      keepReason: mode === 'keep' ? 'business rule' : undefined,
    });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'baton-run-'));
    cpSync(fixture, root, { recursive: true });
    engine = await ContextEngine.open(root);
    server = await ScriptedServer.start();
    server.models = [
      { id: 'maker-model', max_model_len: 16000 },
      { id: 'reviewer-model', max_model_len: 16000 },
    ];
    reviews = [];
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("sends a breaker 'fail' back to the maker, then applies what the person accepted after a checkpoint", async () => {
    server.enqueue(
      { json: EDIT_ROUND_1 },
      {
        json: {
          verdict: 'fail',
          findings: [{ file: 'shop/cart.py', line: 28, severity: 'major', problem: 'round() uses banker rounding', edgeCase: '0.125 rounds to 0.12' }],
        },
      },
      { json: EDIT_ROUND_2 },
      { json: { verdict: 'pass', findings: [] } },
      { json: SAVE_STATE },
    );
    const { tree: t, node } = tree();
    const original = readFileSync(join(root, 'shop/cart.py'));
    const d = deps();
    const result = await runNode(t, node.id, d);

    assert.equal(result.outcome.kind, 'done');
    const makerSecond = server.chatRequests[2]!.body as { messages: { content: string }[] };
    assert.match(makerSecond.messages[1]!.content, /round\(\) uses banker rounding \(breaks when: 0\.125 rounds to 0\.12\)/, 'the finding reached the maker');
    assert.equal((server.chatRequests[1]!.body as { model: string }).model, 'reviewer-model', 'the breaker ran on its own model');
    assert.equal(reviews.length, 1, 'only the passing proposal reached the person');
    assert.match(readFileSync(join(root, 'shop/cart.py'), 'utf8'), /return round_half_up\(subtotal/);
    assert.equal(readFileSync(join(root, 'shop/rounding.py'), 'utf8'), 'def round_half_up(x):\n    return int(x * 100 + 0.5) / 100\n');
    assert.equal(result.tree.get(node.id).state, 'done');
    assert.equal(result.tree.get(node.id).saveState?.summary, 'Totals are rounded.');
    assert.equal(usageRollUp(result.tree).get(node.id)!.own.calls, 5, 'every call is recorded on the node');

    // The checkpoint taken before writing restores the original bytes and removes the created file.
    if (result.outcome.kind !== 'done') throw new Error('unreachable');
    await d.checkpoints.restore(result.outcome.checkpointId);
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), original);
    assert.throws(() => readFileSync(join(root, 'shop/rounding.py')));
  });

  it('hands a failing test run back to the maker as a new round, reviewed again', async () => {
    // Round 2 edits the file as round 1 left it: proposals resolve against the files as they are.
    const afterRound1 = {
      summary: 'Round half up',
      edits: [
        {
          kind: 'replace',
          path: 'shop/cart.py',
          search: 'return round(subtotal + compute_tax(subtotal, self.region), 2)',
          replace: 'return round(subtotal + compute_tax(subtotal, self.region) + 1e-9, 2)',
        },
      ],
    };
    server.enqueue(
      { json: EDIT_ROUND_1 },
      { json: { verdict: 'pass', findings: [] } },
      { json: afterRound1 },
      { json: { verdict: 'pass', findings: [] } },
      { json: SAVE_STATE },
    );
    let runs = 0;
    const tests: TestStep = {
      command: 'python -m pytest -q',
      async run() {
        runs++;
        return runs === 1
          ? {
              passed: false,
              summary: '1 failed',
              output: 'FAILED test_total - AssertionError: 2.405 != 2.41',
              forMaker: 'python -m pytest -q exited with 1:\nAssertionError: 2.405 != 2.41',
            }
          : { passed: true, summary: '2 passed', output: '2 passed', forMaker: '' };
      },
    };
    const { tree: t, node } = tree();
    const result = await runNode(t, node.id, deps({ tests }));
    assert.equal(result.outcome.kind, 'done');
    assert.equal(runs, 2, 'the test command ran after each applied round');
    assert.equal(reviews.length, 2, 'the second proposal was reviewed again');
    const makerSecond = server.chatRequests[2]!.body as { messages: { content: string }[] };
    assert.match(makerSecond.messages[1]!.content, /the project's tests failed[\s\S]*AssertionError: 2\.405 != 2\.41/);
    assert.match(result.tree.get(node.id).notes ?? '', /round 2: 2 passed/);
    assert.match(readFileSync(join(root, 'shop/cart.py'), 'utf8'), /\+ 1e-9, 2\)/, 'both rounds are on disk');
  });

  it('a deferred review leaves the node waiting with nothing written; resumed with the decisions, it applies them after a checkpoint', async () => {
    server.enqueue({ json: EDIT_ROUND_2 }, { json: { verdict: 'pass', findings: [] } }, { json: SAVE_STATE });
    const { tree: t, node } = tree();
    const before = readFileSync(join(root, 'shop/cart.py'));
    const waiting = await runNode(t, node.id, deps({ review: { review: async () => 'defer' } }));
    assert.equal(waiting.outcome.kind, 'waiting-review');
    assert.equal(waiting.tree.get(node.id).state, 'review');
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), before, 'nothing written while the review waits');
    if (waiting.outcome.kind !== 'waiting-review') throw new Error('unreachable');
    assert.equal(waiting.outcome.review?.verdict, 'pass');

    // Later (another process): only the new file is accepted.
    const d = deps({ review: { review: async () => assert.fail('a resumed run does not ask again') } });
    const { proposal } = waiting.outcome;
    const resumed = await runNode(waiting.tree, node.id, d, {
      round: waiting.outcome.round,
      proposal,
      decisions: [{ path: 'shop/rounding.py', acceptedHunks: [0] }],
      earlier: [],
    });
    assert.equal(resumed.outcome.kind, 'done');
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), before, 'the hunk not accepted was not applied');
    assert.equal(readFileSync(join(root, 'shop/rounding.py'), 'utf8'), 'def round_half_up(x):\n    return int(x * 100 + 0.5) / 100\n');
    assert.equal(server.chatRequests.length, 3, 'maker, breaker, then only the summariser');
    if (resumed.outcome.kind !== 'done') throw new Error('unreachable');
    await d.checkpoints.restore(resumed.outcome.checkpointId);
    assert.throws(() => readFileSync(join(root, 'shop/rounding.py')));
  });

  it('writes nothing the person rejected', async () => {
    server.enqueue({ json: EDIT_ROUND_1 }, { json: { verdict: 'pass', findings: [] } });
    const { tree: t, node } = tree();
    const before = readFileSync(join(root, 'shop/cart.py'));
    const result = await runNode(t, node.id, deps({ review: { review: async () => 'reject' } }));
    assert.equal(result.outcome.kind, 'rejected');
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), before);
  });

  it('refuses to apply over a file that changed since the proposal, writing nothing', async () => {
    server.enqueue({ json: EDIT_ROUND_1 }, { json: { verdict: 'pass', findings: [] } });
    const { tree: t, node } = tree();
    const review: ReviewPort = {
      async review(proposal) {
        // The person edits the file while the proposal waits for review.
        const path = join(root, 'shop/cart.py');
        const edited = readFileSync(path, 'utf8').replace('Items a customer', 'Things a customer');
        writeFileSync(path, edited);
        return proposal.changes.map((c) => ({ path: c.path, acceptedHunks: [0] }));
      },
    };
    await assert.rejects(runNode(t, node.id, deps({ review })), /"shop\/cart\.py" changed since the proposal was made: nothing was applied/);
    assert.match(readFileSync(join(root, 'shop/cart.py'), 'utf8'), /Things a customer[\s\S]*return subtotal \+ compute_tax/);
  });

  it('stops a "keep" node after preparing its context, calling no model', async () => {
    const { tree: t, node } = tree('keep');
    const result = await runNode(t, node.id, deps());
    assert.equal(result.outcome.kind, 'kept');
    assert.equal(result.tree.get(node.id).state, 'kept');
    assert.equal(server.chatRequests.length, 0);
    if (result.outcome.kind === 'kept') assert.ok(result.outcome.prompt.plan.ledger.items.length > 0);
  });

  it('stops when cancelled while waiting for the review, writing nothing', async () => {
    server.enqueue({ json: EDIT_ROUND_1 }, { json: { verdict: 'pass', findings: [] } });
    const { tree: t, node } = tree();
    const controller = new AbortController();
    const before = readFileSync(join(root, 'shop/cart.py'));
    const review: ReviewPort = {
      review: (_p, _r, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          setTimeout(() => controller.abort(new Error('cancelled by the person')), 50);
        }),
    };
    const t0 = Date.now();
    await assert.rejects(runNode(t, node.id, deps({ review, signal: controller.signal })), /cancelled by the person/);
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), before);
  });
});
