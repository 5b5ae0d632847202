import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationError } from '../../src/core/batonError';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import type { NewJournalEvent } from '../../src/core/run/journalEvent';
import { RoleRouter } from '../../src/core/providers/router';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { TaskTreeStore } from '../../src/core/tasks/treeStore';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import type { NodeRunDependencies, NodeRunProgress } from '../../src/core/run/nodeRun';
import { NodeRunFailure, runSavedNode } from '../../src/core/run/savedNodeRun';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { testSigningKey } from '../support/checkpointFixtures';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer, type ScriptedReply } from '../support/scriptedServer';

const fixture = join(__dirname, '..', 'fixtures', 'pyshop');
const clock = { now: () => Date.now() };

const GOOD_EDIT = {
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
const UNRESOLVABLE_EDIT = {
  summary: 'Round',
  edits: [{ kind: 'replace', path: 'shop/cart.py', search: 'this line is nowhere in the file', replace: 'x = 1' }],
};

/** A reply with the usage the server reports for it, so the test knows what the server counted. */
const reply = (json: unknown, promptTokens: number, completionTokens: number): ScriptedReply => ({ json, usage: { promptTokens, completionTokens } });

describe('runSavedNode: the saved tree and the journal say what happened, whatever the outcome', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let root: string;
  let engine: ContextEngine;
  let journal: NewJournalEvent[];
  let store: TaskTreeStore;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'baton-run-usage-'));
    cpSync(fixture, root, { recursive: true });
    engine = await ContextEngine.open(root);
    server = await ScriptedServer.start();
    server.models = [
      { id: 'maker-model', max_model_len: 16000 },
      { id: 'reviewer-model', max_model_len: 16000 },
    ];
    journal = [];
    store = new TaskTreeStore(new NodeStateStore(join(root, '.baton')), clock);
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const deps = (signal?: AbortSignal, review: NodeRunDependencies['review'] = { review: async () => 'reject' }): NodeRunDependencies => {
    const files = new NodeWorkspaceFiles(root);
    return {
      router: RoleRouter.fromSettings(
        {
          roles: {
            maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL },
            breaker: { provider: 'vllm', model: 'reviewer-model', baseURL: server.baseURL },
          },
          network: { maxRetries: 0 },
        },
        { secrets: new MemorySecretStore() },
      ),
      engine,
      files,
      checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
      review,
      applier: new FilesApplier(files),
      ...(signal ? { signal } : {}),
    };
  };

  /** Runs the node to its failure and returns what was saved and journalled. */
  const runToFailure = async (signal?: AbortSignal) => {
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: 'Cart.total must round to cents',
      acceptance: ['total() returns at most 2 decimals'],
      budget: 6000,
    });
    await store.save(tree);
    const failure = await runSavedNode(tree, node.id, async () => deps(signal), { store, journal: (e) => journal.push(e) }).then(
      () => assert.fail('the run should have failed'),
      (err: unknown) => err as NodeRunFailure,
    );
    assert.ok(failure instanceof NodeRunFailure, String(failure));
    const saved = (await store.load()).tree.get(node.id);
    const usageEvents = journal.filter((e) => e.kind === 'usage') as Extract<NewJournalEvent, { kind: 'usage' }>[];
    const journalled = usageEvents.reduce(
      (sum, e) => ({ calls: sum.calls + 1, inputTokens: sum.inputTokens + e.inputTokens, outputTokens: sum.outputTokens + e.outputTokens }),
      { calls: 0, inputTokens: 0, outputTokens: 0 },
    );
    return { failure, saved, journalled, outcome: journal.find((e) => e.kind === 'outcome') };
  };

  it('a maker that answers twice with edits that cannot apply: both calls are on the node and in the journal', async () => {
    server.enqueue(reply(UNRESOLVABLE_EDIT, 1200, 80), reply(UNRESOLVABLE_EDIT, 1500, 90));
    const { failure, saved, journalled, outcome } = await runToFailure();
    assert.match(failure.message, /could not be applied to the files as they are, twice/);
    assert.equal(server.chatRequests.length, 2);
    assert.deepEqual(
      { calls: saved.usage.calls, inputTokens: saved.usage.inputTokens, outputTokens: saved.usage.outputTokens },
      { calls: 2, inputTokens: 2700, outputTokens: 170 },
    );
    assert.deepEqual(journalled, { calls: 2, inputTokens: 2700, outputTokens: 170 });
    assert.equal(saved.state, 'failed');
    assert.equal(outcome && outcome.kind === 'outcome' ? outcome.outcome : undefined, 'failed');
  });

  it('a breaker that never gives a valid review: the maker call and both breaker calls are kept', async () => {
    server.enqueue(
      reply(GOOD_EDIT, 1000, 60),
      { text: 'no idea', usage: { promptTokens: 700, completionTokens: 5 } },
      { text: 'still no idea', usage: { promptTokens: 750, completionTokens: 6 } },
    );
    const { failure, saved, journalled } = await runToFailure();
    assert.match(failure.message, /no valid one in 2 tries/);
    assert.equal(server.chatRequests.length, 3);
    assert.deepEqual(
      { calls: saved.usage.calls, inputTokens: saved.usage.inputTokens, outputTokens: saved.usage.outputTokens },
      { calls: 3, inputTokens: 2450, outputTokens: 71 },
    );
    assert.deepEqual(journalled, { calls: 3, inputTokens: 2450, outputTokens: 71 });
    assert.match(saved.notes ?? '', /Failed at the breaker step \(round 1\)/);
  });

  it('cancelled while the maker is asked again: its first answer stays on the node and in the journal', async () => {
    const controller = new AbortController();
    server.enqueue(reply(UNRESOLVABLE_EDIT, 1000, 60), () => {
      controller.abort(new Error('cancelled by the person'));
      return { fault: 'hang-before-headers' };
    });
    const { failure, saved, journalled, outcome } = await runToFailure(controller.signal);
    assert.equal(failure.kind, 'cancelled');
    assert.equal(saved.state, 'pending', 'the node is back as it was before the run, not failed');
    assert.equal(server.chatRequests.length, 2, 'the maker was asked again, and never answered');
    assert.deepEqual(
      { calls: saved.usage.calls, inputTokens: saved.usage.inputTokens, outputTokens: saved.usage.outputTokens },
      { calls: 1, inputTokens: 1000, outputTokens: 60 },
    );
    assert.deepEqual(journalled, { calls: 1, inputTokens: 1000, outputTokens: 60 });
    assert.equal(outcome && outcome.kind === 'outcome' ? outcome.outcome : undefined, 'cancelled');
  });

  it('cancelled while the maker answer streams: no failure, the node is back as it was, the journal says cancelled', async () => {
    const controller = new AbortController();
    server.enqueue(() => {
      // The server holds the stream open, a chunk at a time; the person cancels in the middle of it.
      setTimeout(() => controller.abort(new CancellationError('Cancelled: nothing unreviewed was written.')), 150);
      return { json: GOOD_EDIT, chunkChars: 2, chunkDelayMs: 40 };
    });
    const before = readFileSync(join(root, 'shop/cart.py'));
    const { failure, saved, outcome } = await runToFailure(controller.signal);
    assert.equal(failure.kind, 'cancelled', String(failure.cause));
    assert.match(String(failure.cause), /CancelledError: vllm \(maker-model\): the call was cancelled/, 'stopped inside the model call');
    assert.equal(saved.state, 'pending', 'the node is as it was before the run, not failed');
    assert.doesNotMatch(saved.notes ?? '', /Failed/);
    assert.equal(outcome && outcome.kind === 'outcome' ? outcome.outcome : undefined, 'cancelled');
    assert.deepEqual(readFileSync(join(root, 'shop/cart.py')), before, 'nothing was written');
  });

  it('the saved node is running while the models work, in review while the person decides, then done', async () => {
    const states: string[] = [];
    const savedState = async () => (await store.load()).tree.get(node.id).state;
    /** The state on disk once it is no longer `from` (saves go out as the run moves on). */
    const nextSavedState = async (from: string) => {
      for (let tries = 0; tries < 100 && (await savedState()) === from; tries++) await new Promise((r) => setTimeout(r, 20));
      return savedState();
    };
    server.enqueue(reply(GOOD_EDIT, 1000, 60), reply({ verdict: 'pass', findings: [] }, 800, 20));
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: 'Cart.total must round to cents',
      acceptance: ['total() returns at most 2 decimals'],
      budget: 6000,
    });
    await store.save(tree);
    const review: NodeRunDependencies['review'] = {
      async review(proposal) {
        states.push(await nextSavedState('running'));
        return proposal.changes.map((c) => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) }));
      },
    };
    const run = deps(undefined, review);
    const onProgress = (p: NodeRunProgress): void => {
      if (p.step === 'maker') void nextSavedState('pending').then((state) => states.push(state));
    };
    const result = await runSavedNode(tree, node.id, async () => ({ ...run, onProgress }), { store, journal: (e) => journal.push(e) });
    assert.deepEqual(states, ['running', 'review'], 'what the tree on disk said while the maker worked, then while the person decided');
    assert.equal(result.outcome.kind, 'done');
    assert.equal(await savedState(), 'done');
  });
});
