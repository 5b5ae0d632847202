// The editor's engine in a worker thread (WorkerPlanner + the built dist/planWorker.js; npm test
// builds first): the same plans as the engine in this thread, errors as the editor expects them,
// cancel while indexing, and a planner retired under a run that still asks it.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BudgetError } from '../../src/core/context/budgetError';
import { ContextEngine, type ContextPlan } from '../../src/core/context/engine';
import { IndexingCancelledError } from '../../src/core/context/timeSlicer';
import { WorkerPlanner } from '../../src/node/workerPlanner';

const PLAN_WORKER = resolve('dist/planWorker.js');
const TASK = 'The invoice total ignores the discount: `applyDiscount` must run before `invoiceTotal` rounds.';

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

  it('plans exactly what the engine in this thread plans, and says which paths it cannot pin', async () => {
    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    try {
      const here = await ContextEngine.open(root);
      const request = { task: TASK, budget: 3000 };
      assert.equal(planner.fileCount, here.fileCount);
      const withoutTimings = ({ timings: _, ...plan }: ContextPlan): Omit<ContextPlan, 'timings'> => plan;
      assert.deepEqual(withoutTimings(await planner.plan(request)), withoutTimings(await here.plan(request)));
      const [outside, secret, indexed] = await planner.pathRefusals(['../outside.ts', '.env', 'src/invoice.ts']);
      assert.match(outside!, /not a workspace path/);
      assert.match(secret!, /left out of the index/);
      assert.equal(indexed, undefined);
    } finally {
      planner.retire();
    }
  });

  it('gives a budget refusal as the BudgetError the editor shows, and keeps working after it', async () => {
    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    try {
      await assert.rejects(planner.plan({ task: TASK, budget: 10 }), (err: unknown) => err instanceof BudgetError && /raise the budget/.test(err.message));
      assert.ok((await planner.plan({ task: TASK, budget: 3000 })).ledger.items.length > 0);
    } finally {
      planner.retire();
    }
  });

  it('stops indexing with a Cancelled error when the caller cancels', async () => {
    const controller = new AbortController();
    const opening = WorkerPlanner.open(PLAN_WORKER, { root }, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(opening, (err: unknown) => err instanceof IndexingCancelledError && err.message.startsWith('Cancelled:'));
  });

  it('still answers a run that holds a retired planner, from a worker started again', async () => {
    const planner = await WorkerPlanner.open(PLAN_WORKER, { root });
    const before = await planner.plan({ task: TASK, budget: 3000 });
    planner.retire();
    const after = await planner.plan({ task: TASK, budget: 3000 });
    planner.retire();
    assert.equal(after.prompt, before.prompt);
  });

  it('says what went wrong when the worker cannot index the folder', async () => {
    await assert.rejects(
      WorkerPlanner.open(PLAN_WORKER, { root: join(root, 'no-such-folder') }),
      (err: unknown) => err instanceof Error && /no-such-folder/.test(err.message),
    );
  });
});
