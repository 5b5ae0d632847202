import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { makeTree } from '../support/tempTree';

// What a plan claims to show is what the file holds, byte for byte: tools (and the benchmark) check
// claimed ranges against the file as it is on disk.
describe('context shown as the file has it', () => {
  let root: string;
  before(() => {
    // Visual Studio's habit: a byte-order mark and CRLF line ends.
    const store = [
      'using System;',
      '',
      'namespace Shop.Widgets',
      '{',
      '    public class WidgetStore',
      '    {',
      '        public int Reserve(string sku, int count)',
      '        {',
      '            if (count < 0) throw new ArgumentException("count");',
      '            return count;',
      '        }',
      '    }',
      '}',
      '',
    ].join('\r\n');
    root = makeTree('baton-verbatim-', {
      'src/Shop/WidgetStore.cs': `\uFEFF${store}`,
      'tools/restock.py': '\uFEFFdef restock_widgets(store, count):\n    return store.reserve(count)\n',
      'src/Shop/Catalog.cs': 'namespace Shop.Widgets\n{\n    public class Catalog { }\n}\n',
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps a byte-order mark and CRLF line ends in what it claims to show, and still reads the code', async () => {
    const engine = await ContextEngine.open(root);
    const plan = await engine.plan({ task: 'WidgetStore.Reserve throws for a count of zero', budget: 3000 });
    const shown = plan.context.find((c) => c.path === 'src/Shop/WidgetStore.cs');
    assert.ok(shown, plan.ranking.join());
    assert.ok(
      shown.ranges.some(([s]) => s === 1),
      JSON.stringify(shown.ranges),
    );
    for (const { path, ranges } of plan.context) {
      const lines = readFileSync(join(root, path), 'utf8').split('\n');
      for (const [s, e] of ranges) assert.ok(plan.prompt.includes(lines.slice(s - 1, e).join('\n')), `${path}:${s}-${e} verbatim`);
    }
    const item = plan.ledger.items.find((i) => i.path === 'src/Shop/WidgetStore.cs')!;
    assert.ok(
      item.reasons.some((r) => r.detail.includes('defines WidgetStore')),
      JSON.stringify(item.reasons),
    );
  });

  it('finds a definition on the first line of a file that starts with a byte-order mark', async () => {
    const engine = await ContextEngine.open(root);
    const plan = await engine.plan({ task: 'restock_widgets reserves one widget too many', budget: 3000 });
    const item = plan.ledger.items.find((i) => i.path === 'tools/restock.py');
    assert.ok(
      item?.reasons.some((r) => r.detail === 'defines restock_widgets'),
      JSON.stringify(item?.reasons),
    );
  });
});
