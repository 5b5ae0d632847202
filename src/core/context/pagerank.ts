/** A weighted directed graph in compressed sparse rows: the out-edges of node n are at offsets[n]..offsets[n+1]. */
export interface SparseGraph {
  nodeCount: number;
  offsets: Uint32Array;
  targets: Uint32Array;
  weights: Float64Array;
  outWeight: Float64Array;
}

export function toSparseGraph(nodeCount: number, edges: Map<number, Map<number, number>>): SparseGraph {
  let edgeCount = 0;
  for (const t of edges.values()) edgeCount += t.size;
  const offsets = new Uint32Array(nodeCount + 1);
  const targets = new Uint32Array(edgeCount);
  const weights = new Float64Array(edgeCount);
  const outWeight = new Float64Array(nodeCount);
  let at = 0;
  for (let n = 0; n < nodeCount; n++) {
    offsets[n] = at;
    for (const [to, w] of edges.get(n) ?? []) {
      targets[at] = to;
      weights[at++] = w;
      outWeight[n]! += w;
    }
  }
  offsets[nodeCount] = at;
  return { nodeCount, offsets, targets, weights, outWeight };
}

/**
 * Personalised PageRank: the random walk restarts at the seed nodes in proportion to their
 * weight, so the result ranks what the seeds lead to. Stops once an iteration moves less than
 * `tolerance` of the total mass. `pause` runs between iterations (a slicer's, to share the thread).
 */
export async function personalizedPageRank(
  graph: SparseGraph,
  seeds: Map<number, number>,
  pause: () => Promise<void> = async () => {},
  damping = 0.85,
  maxIterations = 30,
  tolerance = 1e-6,
): Promise<Float64Array> {
  const { nodeCount, offsets, targets, weights, outWeight } = graph;
  const rank = new Float64Array(nodeCount);
  const restart = new Float64Array(nodeCount);
  let seedTotal = 0;
  for (const w of seeds.values()) seedTotal += w;
  if (seedTotal <= 0 || nodeCount === 0) return rank;
  for (const [node, w] of seeds) restart[node] = w / seedTotal;
  rank.set(restart);

  const next = new Float64Array(nodeCount);
  for (let it = 0; it < maxIterations; it++) {
    await pause();
    next.fill(0);
    let dangling = 0;
    for (let n = 0; n < nodeCount; n++) {
      const r = rank[n]!;
      if (r === 0) continue;
      if (outWeight[n] === 0) {
        dangling += r;
        continue;
      }
      const share = (damping * r) / outWeight[n]!;
      for (let e = offsets[n]!; e < offsets[n + 1]!; e++) next[targets[e]!]! += share * weights[e]!;
    }
    // Mass that cannot move on (dangling nodes) and the restart both return to the seeds.
    const back = 1 - damping + damping * dangling;
    let delta = 0;
    for (let n = 0; n < nodeCount; n++) {
      const v = next[n]! + back * restart[n]!;
      delta += Math.abs(v - rank[n]!);
      rank[n] = v;
    }
    if (delta < tolerance) break;
  }
  return rank;
}
