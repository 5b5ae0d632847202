import type { TokenCounter } from '../tokens/tokenCounter';
import type { Chunk } from './chunks';
import type { LedgerItem, Reason, Tier } from './ledger';
import { renderFileBlock } from './prompt';

/** A ranked file ready to pack: its lines, its scored chunks and its outline (signature lines). */
export interface PackFile {
  path: string;
  lines: readonly string[];
  fenceLang: string;
  score: number;
  reasons: Reason[];
  chunks: Chunk[];
  outline: [number, number][];
  pinned: boolean;
}

export interface PackedBlock {
  item: LedgerItem;
  text: string;
}

// Share of the budget the best chunks may take before outlines of the next files get a turn.
const CHUNK_SHARE = 0.85;
// A chunk's worth is mostly its file's rank, partly its own relevance within the file.
const FILE_FLOOR = 0.15;
// A file's next chunk is worth half as much for each tenth of the budget the file already holds.
const SAME_FILE_DECAY = 0.5;
const DECAY_SHARE = 0.1;
const PINNED = 1e6;
// Per-range cost of the "⋮" line between excerpts, and slack for tokens merging across joins.
const RANGE_OVERHEAD = 3;
// Code rarely packs more than this many characters into a token: a chunk longer than this many
// characters per remaining token is not worth counting.
const CHARS_PER_TOKEN_MAX = 6;
const MIN_USEFUL = 8;

interface Unit {
  file: number;
  chunk: number; // -1: the file's outline
  value: number;
  tokens: number;
}

/**
 * Packs files into `available` tokens in three tiers: whole files (every chunk fits), snippets
 * (the best chunks), outlines (signatures of the next files). Never exceeds `available`; the same
 * input always gives the same blocks.
 */
export function packContext(files: readonly PackFile[], available: number, counter: TokenCounter): PackedBlock[] {
  const chosen = files.map(() => new Set<number>()); // chunk indices per file; -1 = outline
  const order: Unit[] = []; // accepted units, in acceptance order (dropped from the end if over)
  const headerCost = files.map((f) => counter.count(renderFileBlock(f.path, [''], [[1, 1]], false, f.fenceLang)) + 2);
  let used = 0;

  const chunkText = (f: PackFile, c: Chunk): string => f.lines.slice(c.start - 1, c.end).join('\n');
  const tryAdd = (u: Unit, limit: number): boolean => {
    const f = files[u.file]!;
    if (limit - used < MIN_USEFUL) return false;
    // Counting exactly is the expensive part: skip what clearly cannot fit.
    if (u.tokens < 0 && u.chunk >= 0) {
      const c = f.chunks[u.chunk]!;
      let chars = 0;
      for (let l = c.start; l <= c.end; l++) chars += f.lines[l - 1]!.length + 1;
      if (chars / CHARS_PER_TOKEN_MAX > limit - used) return false;
    }
    if (u.tokens < 0) {
      u.tokens =
        u.chunk >= 0
          ? counter.count(chunkText(f, f.chunks[u.chunk]!)) + RANGE_OVERHEAD
          : f.outline.reduce((n, [s, e]) => n + counter.count(f.lines.slice(s - 1, e).join('\n')) + RANGE_OVERHEAD, 0);
    }
    const cost = u.tokens + (chosen[u.file]!.size === 0 ? headerCost[u.file]! : 0);
    if (used + cost > limit) return false;
    chosen[u.file]!.add(u.chunk);
    order.push(u);
    used += cost;
    return true;
  };

  // Each file offers its chunks best first; every chunk already taken from a file makes its next
  // one worth less, so the budget spreads over the files that need it instead of draining into one.
  const topScore = Math.max(1e-9, ...files.map((f) => f.score));
  const queues = files.map((f, fi) => {
    const best = Math.max(0, ...f.chunks.map((c) => c.score));
    const units = f.chunks.map((c, ci): Unit => {
      const rel = best > 0 ? c.score / best : 0;
      return { file: fi, chunk: ci, value: (f.pinned ? PINNED : 0) + (f.score / topScore) * (FILE_FLOOR + (1 - FILE_FLOOR) * rel), tokens: -1 };
    });
    return units.sort((a, b) => b.value - a.value || a.chunk - b.chunk);
  });
  const taken = files.map(() => 0);
  const next = files.map(() => 0);
  const fill = (limit: number): void => {
    for (;;) {
      let pick = -1;
      let pickValue = -Infinity;
      queues.forEach((q, fi) => {
        const u = q[next[fi]!];
        if (!u) return;
        const v = u.value * Math.pow(SAME_FILE_DECAY, taken[fi]! / (available * DECAY_SHARE));
        if (v > pickValue) {
          pick = fi;
          pickValue = v;
        }
      });
      if (pick < 0) return;
      const u = queues[pick]![next[pick]!++]!;
      const before = used;
      if (tryAdd(u, limit)) taken[pick]! += used - before;
    }
  };

  const hasOutlines = files.some((f) => f.outline.length > 0);
  fill(hasOutlines ? Math.floor(available * CHUNK_SHARE) : available);
  // Outlines of files that got nothing yet, in rank order: a map of what else is there.
  files.forEach((f, fi) => {
    if (chosen[fi]!.size === 0 && f.outline.length) tryAdd({ file: fi, chunk: -1, value: 0, tokens: -1 }, available);
  });
  // Then the chunks passed over, with what is left.
  queues.forEach((q, fi) => {
    next[fi] = 0;
    q.splice(0, q.length, ...q.filter((u) => !chosen[fi]!.has(u.chunk)));
  });
  fill(available);

  // Exact counts of the rendered blocks; if joins merged tokens unexpectedly, drop the least valuable units.
  for (;;) {
    const blocks = render(files, chosen, counter);
    const total = blocks.reduce((n, b) => n + b.item.tokens, 0);
    if (total <= available || order.length === 0) return blocks;
    const last = order.pop()!;
    chosen[last.file]!.delete(last.chunk);
  }
}

function render(files: readonly PackFile[], chosen: Set<number>[], counter: TokenCounter): PackedBlock[] {
  const blocks: PackedBlock[] = [];
  files.forEach((f, fi) => {
    const picked = chosen[fi]!;
    if (picked.size === 0) return;
    const ranges: [number, number][] = [];
    for (const ci of picked) {
      if (ci >= 0) ranges.push([f.chunks[ci]!.start, f.chunks[ci]!.end]);
      else ranges.push(...f.outline);
    }
    const merged = mergeRanges(ranges);
    const whole = merged.length === 1 && merged[0]![0] === 1 && merged[0]![1] >= f.lines.length;
    const tier: Tier = whole ? 'whole' : picked.size === 1 && picked.has(-1) ? 'outline' : 'snippet';
    const text = renderFileBlock(f.path, f.lines, merged, whole, f.fenceLang);
    blocks.push({ text, item: { path: f.path, tier, ranges: merged, tokens: counter.count(text), score: f.score, reasons: f.reasons } });
  });
  return blocks;
}

/** Sorts ranges and joins those that overlap or touch. */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
