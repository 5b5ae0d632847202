import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { ContextEngine } from '../../src/core/context/engine';
import { makeTree } from '../support/tempTree';

// Forty small modules that all mention what the task is about: a larger budget shows more of them,
// those below the files weighed for depth as a glimpse or an outline, never whole.
const files: Record<string, string> = {};
for (let i = 0; i < 40; i++) {
  const defs = ['reconcile', 'settle', 'audit'].map(
    (name, k) =>
      `def ${name}_batch_${i}(entries):\n${'    total = sum(entries)  # reconcile ledger totals\n'.repeat(k === 0 ? 1 + (i % 5) : 4)}    return total\n`,
  );
  files[`ledger/module_${String(i).padStart(2, '0')}.py`] = defs.join('\n');
}

describe('a larger budget reaches further down the ranking', () => {
  it('shows the files weighed for depth at 13k, and a glimpse or an outline of more files at 27k', async () => {
    const root = makeTree('baton-breadth-', files);
    try {
      const engine = await ContextEngine.open(root);
      const task = 'Ledger reconcile totals are wrong when a batch is reconciled twice';
      const small = await engine.plan({ task, budget: 13000 });
      const large = await engine.plan({ task, budget: 27000 });
      assert.equal(small.ledger.items.length, 15, 'at 13k: the 15 files weighed for depth');
      assert.ok(large.ledger.items.length > 25, `at 27k: ${large.ledger.items.length} files`);
      for (const item of large.ledger.items.filter((i) => large.ranking.indexOf(i.path) >= 15)) {
        assert.notEqual(item.tier, 'whole', `${item.path} is not shown whole`);
        assert.match(item.shown, /ranked below the files weighed for depth, it gets a glimpse at most/, `the ledger says why ${item.path} is a glimpse`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
