// How likely each line of a file is to be where the task's work lands, given that the work lands
// in this file: a probability per line, summing to 1. Evidence on a line (evidence.ts) spreads to
// its neighbours, since the change is usually next to the line that names the thing, and to the
// rest of the definition holding it, since the change is usually in the same function. A small
// share stays uniform, so a file without evidence is still worth showing whole when it is small.
import type { Chunk } from './chunks';

// One set of constants for every language and repository (measured on the shared dev splits).
const NEIGHBOUR_REACH = 8; // lines
const NEIGHBOUR_DECAY = 1; // lines per e-fold
const DEFINITION_SPREAD = 1.5;
const EVIDENCE_SHARE = 0.95;

const KERNEL = Array.from({ length: 2 * NEIGHBOUR_REACH + 1 }, (_, i) => Math.exp(-Math.abs(i - NEIGHBOUR_REACH) / NEIGHBOUR_DECAY));

/** Probability per line (index 0 is line 1) that the work is there; `chunks` are the file's definitions-aligned pieces. */
export function lineRelevance(evidence: Float64Array, chunks: readonly Chunk[]): Float64Array {
  const n = evidence.length;
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = evidence[i]!;
    if (e === 0) continue;
    const from = Math.max(0, i - NEIGHBOUR_REACH);
    const to = Math.min(n - 1, i + NEIGHBOUR_REACH);
    for (let j = from; j <= to; j++) spread[j]! += e * KERNEL[j - i + NEIGHBOUR_REACH]!;
  }
  for (const c of chunks) {
    let sum = 0;
    for (let l = c.start; l <= c.end; l++) sum += evidence[l - 1]!;
    if (sum === 0) continue;
    const share = (DEFINITION_SPREAD * sum) / (c.end - c.start + 1);
    for (let l = c.start; l <= c.end; l++) spread[l - 1]! += share;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += spread[i]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (1 - EVIDENCE_SHARE) / n + (total > 0 ? (EVIDENCE_SHARE * spread[i]!) / total : EVIDENCE_SHARE / n);
  return out;
}
