import { strict as assert } from 'node:assert';
import { personalizedPageRank, toSparseGraph } from '../../src/core/context/pagerank';

describe('personalizedPageRank', () => {
  // 0 -> 1 -> 2, 3 -> 2, 4 isolated
  const edges = new Map([
    [0, new Map([[1, 1]])],
    [1, new Map([[2, 1]])],
    [3, new Map([[2, 1]])],
  ]);
  const graph = toSparseGraph(5, edges);

  it('ranks what the seeds lead to above what they do not', async () => {
    const rank = await personalizedPageRank(graph, new Map([[0, 1]]));
    assert.ok(rank[1]! > 0 && rank[2]! > 0, 'reachable nodes get rank');
    assert.equal(rank[3], 0, 'a node only pointing in gets nothing from seed 0');
    assert.equal(rank[4], 0, 'an isolated node gets nothing');
    const total = rank.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `rank is a distribution (sum ${total})`);
  });

  it('returns zeros without seeds', async () => {
    assert.deepEqual([...(await personalizedPageRank(graph, new Map()))], [0, 0, 0, 0, 0]);
  });
});
