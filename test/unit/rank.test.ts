import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { makeTree } from '../support/tempTree';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name);

describe('ranking on fixture repositories', () => {
  let pyshop: ContextEngine;
  let tsapp: ContextEngine;
  before(async () => {
    pyshop = await ContextEngine.open(fixture('pyshop'));
    tsapp = await ContextEngine.open(fixture('tsapp'));
  });

  it('puts the file of the last stack frame first, and shows the frame line', async () => {
    const plan = await pyshop.plan({
      task: 'Reserving stock crashes:\n\nTraceback (most recent call last):\n  File "/home/me/pyshop/shop/cart.py", line 17, in add_item\n    self.inventory.reserve(sku, quantity)\n  File "/home/me/pyshop/shop/inventory.py", line 18, in reserve\n    raise OutOfStockError(msg)\nshop.errors.OutOfStockError: not enough stock for pear',
      budget: 4000,
    });
    assert.equal(plan.ranking[0], 'shop/inventory.py');
    assert.ok(plan.ranking.indexOf('shop/cart.py') < 3, plan.ranking.join());
    const item = plan.ledger.items.find((i) => i.path === 'shop/inventory.py')!;
    assert.ok(item.ranges.some(([s, e]) => s <= 18 && 18 <= e));
    assert.ok(item.reasons.some((r) => r.signal === 'stack-frame'));
  });

  it('finds where a Class.method named in the task is defined', async () => {
    const plan = await tsapp.plan({ task: '`Router.resolve` returns the wrong handler when two patterns share a prefix.', budget: 3000 });
    assert.equal(plan.ranking[0], 'src/router.ts');
    assert.ok(plan.ledger.items[0]!.reasons.some((r) => r.detail === 'defines Router.resolve'));
  });

  it('ranks source above tests and docs for a prose task', async () => {
    const plan = await pyshop.plan({ task: 'The tax computed for a region should be rounded half up, not with banker rounding.', budget: 4000 });
    assert.equal(plan.ranking[0], 'shop/pricing.py');
    assert.ok(plan.ranking.indexOf('shop/pricing.py') < plan.ranking.indexOf('docs/usage.md') || !plan.ranking.includes('docs/usage.md'));
  });

  it('follows the reference graph to files the best candidates use', async () => {
    const plan = await tsapp.plan({ task: 'showUser should greet users whose name has several words correctly', budget: 3000 });
    assert.equal(plan.ranking[0], 'src/handlers/user.ts');
    const strings = plan.ledger.items.find((i) => i.path === 'src/util/strings.ts');
    assert.ok(strings, 'the helper showUser calls is in the plan');
    assert.ok(
      strings.reasons.some((r) => r.signal === 'graph'),
      JSON.stringify(strings.reasons),
    );
  });

  it('honours pins and drops, and says so in the ledger', async () => {
    const plan = await pyshop.plan({
      task: 'compute_tax ignores the region',
      budget: 4000,
      signals: { pinned: ['README.md'] },
      dropped: ['shop/pricing.py'],
    });
    assert.equal(plan.ledger.items[0]!.path, 'README.md');
    assert.equal(plan.ledger.items[0]!.reasons[0]!.signal, 'pinned');
    assert.ok(!plan.context.some((c) => c.path === 'shop/pricing.py'));
    assert.ok(plan.ledger.omitted.some((o) => o.path === 'shop/pricing.py' && o.reason === 'dropped'));
  });

  it('counts the files a plan expects to change as evidence, without forcing them first', async () => {
    const task =
      'Reserving stock crashes:\n\nTraceback (most recent call last):\n  File "/home/me/pyshop/shop/inventory.py", line 18, in reserve\n    raise OutOfStockError(msg)\nshop.errors.OutOfStockError: not enough stock for pear';
    const without = await pyshop.plan({ task, budget: 4000 });
    const withLikely = await pyshop.plan({ task, budget: 4000, signals: { likely: ['shop/pricing.py'] } });
    assert.equal(withLikely.ranking[0], 'shop/inventory.py', 'the file of the stack trace stays first');
    assert.ok(withLikely.ranking.indexOf('shop/pricing.py') < without.ranking.indexOf('shop/pricing.py'), 'the planned file ranks higher');
    const item = withLikely.ledger.items.find((i) => i.path === 'shop/pricing.py');
    assert.ok(item?.reasons.some((r) => r.signal === 'planned' && r.detail === 'the plan expects this file to change'));
    assert.ok(!item?.reasons.some((r) => r.signal === 'pinned'));
  });

  it('gives the same plan for the same input, and stays within every budget', async () => {
    const task = 'Cart.total should apply PriceRule discounts before tax';
    for (const budget of [300, 600, 1200, 5000]) {
      const a = await pyshop.plan({ task, budget });
      const b = await pyshop.plan({ task, budget });
      assert.deepEqual(a.context, b.context);
      assert.equal(a.prompt, b.prompt);
      assert.ok(a.ledger.used + a.ledger.reserved.answer <= budget, `${a.ledger.used} + ${a.ledger.reserved.answer} > ${budget}`);
    }
  });

  it('refuses a budget the task alone exceeds, naming what to do', async () => {
    await assert.rejects(pyshop.plan({ task: 'word '.repeat(500), budget: 200 }), /raise the budget or shorten the task/);
  });
});

describe('ranking on words that start with a digit', () => {
  let root: string;
  before(() => {
    root = makeTree('baton-digits-', {
      'src/Archive/SevenZipExtractor.php': "<?php\nclass SevenZipExtractor\n{\n    private $command = '7z x -y';\n}\n",
      'src/Archive/ZipExtractor.php': "<?php\nclass ZipExtractor\n{\n    private $command = 'unzip -qq';\n}\n",
      'src/Archive/RarExtractor.php': "<?php\nclass RarExtractor\n{\n    private $command = 'unrar x';\n}\n",
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the digit of a word like 7z, so the file that runs it comes first', async () => {
    const engine = await ContextEngine.open(root);
    const plan = await engine.plan({ task: 'Extraction fails when only 7z is installed', budget: 2000 });
    assert.equal(plan.ranking[0], 'src/Archive/SevenZipExtractor.php', plan.ranking.join());
  });
});
