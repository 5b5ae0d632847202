// The editor's engine in a worker thread (WorkerPlanner + the built dist/planWorker.js; npm test
// builds first): the same plans as the engine in this thread, errors as the editor expects them,
// cancel while indexing, a planner retired under a run that still asks it, and a worker that dies.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errorKind } from '../../src/core/batonError';
import { BudgetError } from '../../src/core/context/budgetError';
import { ContextEngine, type ContextPlan } from '../../src/core/context/engine';
import { IndexingCancelledError } from '../../src/core/context/timeSlicer';
import { WorkerPlanner } from '../../src/node/workerPlanner';

const PLAN_WORKER = resolve('dist/planWorker.js');
const TASK = 'The invoice total ignores the discount: `applyDiscount` must run before `invoiceTotal` rounds.';
const withoutTimings = ({ timings: _, ...plan }: ContextPlan): Omit<ContextPlan, 'timings'> => plan;

describe('the context engine in a worker thread', () => {
  let root: string;
  before(() => {
    assert.ok(existsSync(PLAN_WORKER), `${PLAN_WORKER} is missing: run npm run build first`);
    root = mkdtempSync(join(tmpdir(), 'baton-worker-planner-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(
      join(root, 'src', 'invoice.ts'),
      'export function invoiceTotal(lines: number[]): number {\n  return Math.round(lines.reduce((a, b) => a + b, 0));\n}\n',
    );
    writeFileSync(join(root, 'src', 'discount.ts'), 'export function applyDiscount(total: number, rate: number): number {\n  return total * (1 - rate);\n}\n');
    for (let i = 0; i < 30; i++) writeFileSync(join(root, 'src', `m${i}.ts`), `export function f${i}(x: number): number {\n  return x + ${i};\n}\n`);
    writeFileSync(join(root, '.env'), 'API_TOKEN=not-for-models\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('plans exactly what the engine in this thread plans, several requests at once, and says which paths it cannot pin', async () => {
    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    try {
      const here = await ContextEngine.open(root);
      const requests = [3000, 1200, 800].map((budget) => ({ task: TASK, budget }));
      const there = await Promise.all(requests.map((r) => planner.plan(r)));
      assert.equal(planner.fileCount, here.fileCount);
      for (const [i, r] of requests.entries()) assert.deepEqual(withoutTimings(there[i]!), withoutTimings(await here.plan(r)), `budget ${r.budget}`);
      const [outside, secret, indexed] = await planner.pathRefusals(['../outside.ts', '.env', 'src/invoice.ts']);
      assert.match(outside!, /not a workspace path/);
      assert.match(secret!, /left out of the index/);
      assert.equal(indexed, undefined);
      assert.deepEqual(await planner.saveCache(), [], 'no cache: nothing to save, no problem');
    } finally {
      planner.dispose();
    }
  });

  it('gives a budget refusal as the BudgetError the editor shows, and keeps working after it', async () => {
    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    try {
      await assert.rejects(
        planner.plan({ task: TASK, budget: 10 }),
        (err: unknown) => err instanceof BudgetError && errorKind(err) === 'input' && /raise the budget/.test(err.message),
      );
      assert.ok((await planner.plan({ task: TASK, budget: 3000 })).ledger.items.length > 0);
    } finally {
      planner.dispose();
    }
  });

  it('stops indexing with a Cancelled error when the caller cancels', async () => {
    const controller = new AbortController();
    const opening = WorkerPlanner.open(PLAN_WORKER, { root }, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(opening, (err: unknown) => err instanceof IndexingCancelledError && errorKind(err) === 'cancelled');
  });

  it('a retired planner finishes what it was asked, stops, and hands later requests to its successor', async () => {
    const old = await WorkerPlanner.open(PLAN_WORKER, { root });
    const successor = await WorkerPlanner.open(PLAN_WORKER, { root });
    let handedOver = 0;
    try {
      const inFlight = old.plan({ task: TASK, budget: 3000 });
      old.retire(async () => (handedOver++, successor));
      assert.equal(old.stopped, false, 'a request is still in flight');
      const first = await inFlight;
      assert.equal(old.stopped, true, 'idle once it answered: its worker stops');
      const later = await old.plan({ task: TASK, budget: 3000 });
      assert.equal(handedOver, 1, 'the later request went to the successor');
      assert.equal(later.prompt, first.prompt);
    } finally {
      successor.dispose();
    }
  });

  it('says so when its worker dies, and a disposed planner cancels what waits on it', async () => {
    // A worker that indexes nothing and dies at its first request, as a crash would.
    const folder = mkdtempSync(join(tmpdir(), 'baton-dying-worker-'));
    const dying = join(folder, 'dying-worker.cjs');
    writeFileSync(
      dying,
      "const { parentPort } = require('node:worker_threads');\n" +
        "parentPort.postMessage({ type: 'opened', fileCount: 0 });\n" +
        "parentPort.on('message', () => process.exit(3));\n",
    );
    const crashed = await WorkerPlanner.open(dying, { root });
    try {
      await assert.rejects(
        crashed.plan({ task: TASK, budget: 3000 }),
        (err: unknown) => errorKind(err) === 'bug' && /exit code 3/.test((err as Error).message),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    assert.equal(crashed.stopped, true, 'the editor starts another worker on the next plan');

    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    const waiting = planner.plan({ task: TASK, budget: 3000 });
    planner.dispose();
    await assert.rejects(waiting, (err: unknown) => errorKind(err) === 'cancelled');
    await assert.rejects(planner.plan({ task: TASK, budget: 3000 }), (err: unknown) => errorKind(err) === 'cancelled');
  });

  it('says what went wrong when the worker cannot index the folder', async () => {
    await assert.rejects(
      WorkerPlanner.open(PLAN_WORKER, { root: join(root, 'no-such-folder') }),
      (err: unknown) => err instanceof Error && /no-such-folder/.test(err.message),
    );
  });
});
