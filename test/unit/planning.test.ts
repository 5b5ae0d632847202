import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { ContextEngine } from '../../src/core/context/engine';
import { RoleRouter } from '../../src/core/providers/router';
import { StructuredOutputError } from '../../src/core/providers/structured';
import type { ModelFacts } from '../../src/core/providers/types';
import { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { buildNodePrompt } from '../../src/core/tasks/nodePrompt';
import { planTask } from '../../src/core/tasks/planner';
import { summariseNode } from '../../src/core/tasks/summariser';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { TaskTreeStore } from '../../src/core/tasks/treeStore';
import { usageRollUp } from '../../src/core/tasks/usage';
import { NodeStateStore } from '../../src/node/nodeAdapters';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

const root = join(__dirname, '..', '..');
const pyshop = join(root, 'test', 'fixtures', 'pyshop');
const clock = { now: () => Date.UTC(2026, 0, 1) };

const PLAN = {
  subtasks: [
    {
      title: 'Add a discount field to Cart',
      goal: 'Cart holds an optional PriceRule',
      acceptance: ['Cart(discount=...) is accepted'],
      likelyFiles: ['shop/cart.py'],
      budgetShare: 2,
      dependsOn: [],
      mode: 'delegate',
    },
    {
      title: 'Apply the discount before tax in Cart.total',
      goal: 'total() applies the rule first',
      acceptance: ['a 10% rule on 4.0 gives 3.6 + tax'],
      likelyFiles: ['shop/cart.py', 'shop/pricing.py'],
      budgetShare: 1,
      dependsOn: [0],
      mode: 'delegate',
    },
    {
      title: 'Decide who may grant discounts',
      goal: 'a business rule for discount approval',
      acceptance: ['documented'],
      likelyFiles: [],
      budgetShare: 1,
      dependsOn: [],
      mode: 'keep',
      keepReason: 'a business rule',
    },
  ],
  notes: 'Small change.',
};

describe('planning against a scripted OpenAI-compatible server', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let engine: ContextEngine;
  const router = (): RoleRouter =>
    RoleRouter.fromSettings(
      {
        roles: Object.fromEntries(
          ['planner', 'maker', 'breaker', 'summariser'].map((r) => [r, { provider: 'vllm', model: 'gpt-4o', baseURL: server.baseURL }]),
        ),
        prices: { 'gpt-4o': { inputPricePerMTok: 1000, outputPricePerMTok: 2000, contextWindow: 32000, maxOutputTokens: 2000 } },
      },
      { secrets: new MemorySecretStore() },
    );
  const rootTree = (budget = 12000) => TaskTree.empty(clock).addChild(null, { title: 'Cart.total should apply PriceRule discounts before tax', budget });

  before(async () => {
    engine = await ContextEngine.open(pyshop);
  });
  beforeEach(async () => {
    server = await ScriptedServer.start();
    server.models = [{ id: 'gpt-4o', max_model_len: 32000 }];
  });
  afterEach(() => server.close());

  it('turns a valid plan into children with split budgets, keep classification and recorded cost', async () => {
    server.enqueue({ json: PLAN, usage: { promptTokens: 1500, completionTokens: 300 } });
    const { tree, node } = rootTree();
    const planned = await planTask({ router: router(), engine, tree, nodeId: node.id });
    const children = planned.tree.children(node.id);
    assert.deepEqual(
      children.map((c) => c.mode),
      ['delegate', 'delegate', 'keep'],
    );
    assert.ok(children.reduce((n, c) => n + c.budget.allocated, 0) <= 12000, 'children fit in the parent');
    assert.deepEqual(children[1]!.dependsOn, [children[0]!.id]);
    const body = server.chatRequests[0]!.body as {
      response_format: { type: string; json_schema: { name: string; schema: object } };
      messages: { content: string }[];
    };
    assert.equal(body.response_format.type, 'json_schema');
    assert.equal(body.response_format.json_schema.name, 'task_plan');
    assert.match(body.messages[1]!.content, /shop\/cart\.py/, 'the planner saw the repository context');
    assert.ok(planned.prompt.promptTokens <= planned.prompt.budget);
    const total = usageRollUp(planned.tree).get(node.id)!.total;
    assert.equal(total.calls, 1);
    assert.equal(total.cost, (1500 * 1000 + 300 * 2000) / 1e6, 'cost from the overridden price table');
  });

  it('re-asks once with the validation error, then succeeds', async () => {
    server.enqueue({ json: { subtasks: [{ title: 'no goal' }] } }, { json: PLAN });
    const { tree, node } = rootTree();
    const planned = await planTask({ router: router(), engine, tree, nodeId: node.id });
    assert.equal(planned.calls, 2);
    assert.equal(planned.tree.children(node.id).length, 3);
    const second = server.chatRequests[1]!.body as { messages: { role: string; content: string }[] };
    assert.match(second.messages.at(-1)!.content, /not a valid "task_plan".*goal/s);
    assert.equal(usageRollUp(planned.tree).get(node.id)!.total.calls, 2, 'both calls are recorded');
  });

  it('fails with a clear message after two invalid answers, leaving the tree as it was', async () => {
    server.enqueue({ text: 'Sure! Here is a plan: step 1...' }, { text: '{"subtasks": []}' });
    const { tree, node } = rootTree();
    await assert.rejects(planTask({ router: router(), engine, tree, nodeId: node.id }), (e: unknown) => {
      assert.ok(e instanceof StructuredOutputError);
      assert.match(e.message, /asked for a "task_plan" as JSON, got no valid one in 2 tries/);
      return true;
    });
    assert.equal(tree.children(node.id).length, 0);
  });

  it('never builds a prompt over its node budget or over the window less the output (property)', async () => {
    const counter = new TokenCounter('cl100k_base');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 600, max: 20_000 }),
        fc.integer({ min: 2_000, max: 40_000 }),
        fc.integer({ min: 100, max: 4_000 }),
        fc.constantFrom('Cart.total should apply discounts', 'Traceback: File "shop/inventory.py", line 18, in reserve\nOutOfStockError'),
        async (nodeBudget, contextWindow, maxOutputTokens, title) => {
          const { tree, node } = TaskTree.empty(clock).addChild(null, { title, budget: nodeBudget, likelyFiles: ['shop/cart.py'] });
          const facts: ModelFacts = { contextWindow, maxOutputTokens, inputPricePerMTok: 0, outputPricePerMTok: 0, encoding: 'cl100k_base', source: 'test' };
          try {
            const prompt = await buildNodePrompt({ engine, tree, nodeId: node.id, instructions: 'Do the task.', model: 'x', facts, maxOutputTokens, counter });
            const exact = prompt.messages.reduce((n, m) => n + counter.count(m.content), 0);
            assert.ok(exact <= prompt.budget, `${exact} > ${prompt.budget}`);
            assert.ok(prompt.budget <= Math.min(nodeBudget, contextWindow - Math.min(maxOutputTokens, facts.maxOutputTokens)));
          } catch (e) {
            // Too small a budget for the task itself is refused, never packed over.
            assert.match((e as Error).message, /raise the budget or shorten the task/);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('hands a finished node on as its save state, not its conversation', async () => {
    let { tree } = rootTree();
    const first = tree.addChild(tree.roots()[0]!.id, { title: 'Add a discount field' });
    tree = first.tree;
    const second = tree.addChild(tree.roots()[0]!.id, { title: 'Apply it in total()', dependsOn: [first.node.id] });
    tree = second.tree;
    server.enqueue({
      json: {
        filesChanged: [{ path: 'shop/cart.py', summary: 'Cart takes discount: PriceRule | None' }],
        decisions: ['discount is optional, default None'],
        openQuestions: [],
        pinnedFacts: [],
        summary: 'Cart now carries an optional PriceRule.',
      },
    });
    const done = await summariseNode(router(), tree, first.node.id, {
      changes: [{ path: 'shop/cart.py', detail: '+ self.discount = discount' }],
      log: 'TRANSCRIPT-MARKER: long back-and-forth with the model',
      pinnedFacts: ['Prices are in euros'],
    });
    assert.equal(done.tree.get(first.node.id).state, 'done');
    assert.deepEqual(done.state.pinnedFacts, ['Prices are in euros'], "the person's pinned fact survives");
    const prompt = await buildNodePrompt({
      engine,
      tree: done.tree,
      nodeId: second.node.id,
      instructions: 'Do it.',
      model: 'gpt-4o',
      maxOutputTokens: 1000,
      facts: { contextWindow: 32000, maxOutputTokens: 2000, inputPricePerMTok: 0, outputPricePerMTok: 0, encoding: 'cl100k_base', source: 'test' },
      counter: new TokenCounter('cl100k_base'),
    });
    const text = prompt.messages.map((m) => m.content).join('\n');
    assert.match(text, /Cart now carries an optional PriceRule/);
    assert.match(text, /Prices are in euros/);
    assert.doesNotMatch(text, /TRANSCRIPT-MARKER/);
  });

  it('saves the planned tree in .baton/ and restores it with every link and state after a reload', async () => {
    server.enqueue({ json: PLAN });
    const { tree, node } = rootTree();
    const planned = await planTask({ router: router(), engine, tree, nodeId: node.id });
    const dir = mkdtempSync(join(tmpdir(), 'baton-tree-'));
    await new TaskTreeStore(new NodeStateStore(join(dir, '.baton')), clock).save(planned.tree);
    const reloaded = await new TaskTreeStore(new NodeStateStore(join(dir, '.baton')), clock).load();
    assert.deepEqual(reloaded.tree.toSnapshot(), planned.tree.toSnapshot());
    rmSync(dir, { recursive: true, force: true });
  });

  it('baton plan: prints the tree with budgets, keep/delegate and pre-flight estimates, surviving a 429', async () => {
    const cli = join(root, 'dist', 'cli.js');
    if (!existsSync(cli)) await promisify(execFile)(process.execPath, ['esbuild.mjs'], { cwd: root });
    server.enqueue({ status: 429, retryAfter: '1' }, { json: PLAN });
    const json = join(mkdtempSync(join(tmpdir(), 'baton-plan-')), 'plan.json');
    const t0 = Date.now();
    const run = await promisify(execFile)(
      process.execPath,
      [cli, 'plan', '--repo', pyshop, '--task', 'Cart.total should apply PriceRule discounts before tax', '--budget', '9000', '--json', json],
      {
        env: { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-4o' },
      },
    );
    assert.ok(Date.now() - t0 >= 1000, 'waited for Retry-After');
    assert.match(run.stderr, /rate limited, retrying in 1 s \(attempt 2 of 4\)/);
    assert.match(run.stdout, /Pre-flight: \d+ prompt \+ up to \d+ answer tokens, at most \$[\d.]+, attention [\d.]+x an 8k prompt/);
    assert.match(run.stdout, /- \[\w+\] Add a discount field to Cart: budget \d+, delegate/);
    assert.match(run.stdout, /Apply the discount before tax in Cart.total: budget \d+, delegate, after Add a discount field to Cart/);
    assert.match(run.stdout, /Decide who may grant discounts: budget \d+, KEEP \(a business rule/);
    assert.match(run.stdout, /pre-flight: \d+ prompt/);
    assert.equal(server.chatRequests[1]!.headers.authorization, 'Bearer sk-test');
    const written = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(written.tree.nodes.length, 4);
  });
});
