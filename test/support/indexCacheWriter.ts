// A second `baton context` for the concurrency test in indexCache.test.ts: opens the workspace with
// the cache, plans a task, saves, N times, each round with a task of its own so that every save
// writes the extents and token counts again.
//   node --require tsx/cjs test/support/indexCacheWriter.ts WORKSPACE CACHE_FOLDER WRITER_ID ROUNDS
import { ContextEngine } from '../../src/core/context/engine';
import { NodeIndexCacheStore } from '../../src/node/nodeIndexCacheStore';

const [workspace, folder, id, rounds] = process.argv.slice(2) as [string, string, string, string];
const tasks = ['Inventory.reserve is wrong', 'compute_tax rounding in Cart.total', 'OutOfStockError message', 'Cart.remove_item of an unknown sku'];

async function main(): Promise<void> {
  const store = new NodeIndexCacheStore(folder);
  for (let round = 0; round < Number(rounds); round++) {
    const engine = await ContextEngine.open(workspace, { cache: store });
    await engine.plan({ task: `${tasks[round % tasks.length]} (writer ${id}, round ${round})`, budget: 300 + 40 * round });
    const problems = await engine.saveCache();
    if (problems.length) throw new Error(problems.join('; '));
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
