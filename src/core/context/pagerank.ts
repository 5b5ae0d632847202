/**
 * Personalised PageRank over a weighted directed graph: the random walk restarts at the seed
 * nodes in proportion to their weight, so the result ranks what the seeds lead to.
 */
export function personalizedPageRank(
  nodeCount: number,
  edges: Map<number, Map<number, number>>,
  seeds: Map<number, number>,
  damping = 0.85,
  iterations = 30,
): Float64Array {
  const rank = new Float64Array(nodeCount);
  const restart = new Float64Array(nodeCount);
  let seedTotal = 0;
  for (const w of seeds.values()) seedTotal += w;
  if (seedTotal <= 0 || nodeCount === 0) return rank;
  for (const [node, w] of seeds) restart[node] = w / seedTotal;
  rank.set(restart);

  const outWeight = new Float64Array(nodeCount);
  for (const [from, targets] of edges) for (const w of targets.values()) outWeight[from]! += w;

  const next = new Float64Array(nodeCount);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    let dangling = 0;
    for (let n = 0; n < nodeCount; n++) if (outWeight[n] === 0) dangling += rank[n]!;
    for (const [from, targets] of edges) {
      const share = (damping * rank[from]!) / outWeight[from]!;
      for (const [to, w] of targets) next[to]! += share * w;
    }
    // Mass that cannot move on (dangling nodes) and the restart both return to the seeds.
    for (let n = 0; n < nodeCount; n++) next[n]! += ((1 - damping) + damping * dangling) * restart[n]!;
    rank.set(next);
  }
  return rank;
}
