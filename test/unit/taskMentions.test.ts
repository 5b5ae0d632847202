import { strict as assert } from 'node:assert';
import { extractMentions } from '../../src/core/context/taskMentions';

describe('extractMentions', () => {
  it('finds paths, modules, Class.method and code identifiers', () => {
    const m = extractMentions(
      'Calling `Cart.add_item` with 0 in shop/cart.py should fail.\n\n```python\nfrom shop.pricing import compute_tax\ncompute_tax(10, "EU")\n```',
    );
    assert.ok(m.paths.includes('shop/cart.py'));
    assert.ok(m.modules.includes('shop.pricing'));
    assert.deepEqual(m.qualified, [['Cart', 'add_item']]);
    assert.ok(m.symbols.has('compute_tax'));
    assert.ok(m.symbols.has('add_item'));
    assert.ok(!m.symbols.has('import'), 'keywords are not symbols');
  });

  it('reads Python, IPython and JavaScript stack frames with their lines', () => {
    const py = extractMentions(
      'Traceback (most recent call last):\n  File "/home/u/proj/shop/inventory.py", line 18, in reserve\n    raise OutOfStockError(msg)\nshop.errors.OutOfStockError: not enough stock for apple: 0 left',
    );
    assert.deepEqual(py.frames, [{ path: '/home/u/proj/shop/inventory.py', line: 18, symbol: 'reserve' }]);
    assert.deepEqual(py.messages, ['not enough stock for apple: 0 left']);

    const ipy = extractMentions('~/code/astropy/wcs/wcs.py in wcs_pix2world(self, *args, **kwargs)\n   1353 x\n-> 1354   y\n');
    assert.deepEqual(ipy.frames, [{ path: '/code/astropy/wcs/wcs.py', line: 1354, symbol: 'wcs_pix2world' }]);

    const js = extractMentions('TypeError: x is undefined\n    at Router.resolve (/srv/app/src/router.ts:17:12)\n    at main (src/index.ts:5:3)');
    assert.deepEqual(
      js.frames.map((f) => `${f.path}:${f.line}:${f.symbol}`),
      ['src/index.ts:5:main', '/srv/app/src/router.ts:17:resolve'],
      'outermost first',
    );
  });

  it('takes quoted sentences as messages the code may hold', () => {
    const m = extractMentions('Saving fails with "Relationship field was not found" and nothing else; `a b c d e f g h i j k` too.');
    assert.ok(m.messages.includes('Relationship field was not found'), m.messages.join('|'));
  });

  it('ignores version numbers and URLs as paths and modules', () => {
    const m = extractMentions('Since 3.10.2 (see https://example.com/docs/page) numpy 1.17.3 breaks.');
    assert.deepEqual(m.modules, []);
    assert.ok(!m.paths.some((p) => p.includes('example.com')), m.paths.join());
  });
});
