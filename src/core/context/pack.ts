import type { TokenCounter } from '../tokens/tokenCounter';
import type { LedgerItem, RangeNote, Reason, Tier } from './ledger';
import { renderFileBlock } from './prompt';

/**
 * A piece of a file the packer may show: a definition, or a window of a long one. `relevance` is
 * the probability that the task's work is in it if it is in this file (relevance.ts); `headers`
 * are the signature lines of the definitions around it, shown with it so the model knows where
 * the excerpt sits.
 */
export interface PackUnit {
  start: number;
  end: number;
  relevance: number;
  why: string;
  headers: [number, number][];
}

/** A ranked file ready to pack. */
export interface PackFile {
  path: string;
  lines: readonly string[];
  fenceLang: string;
  score: number;
  reasons: Reason[];
  /** The estimated probability that the task's work is in this file (0 to 1). */
  confidence: number;
  units: PackUnit[];
  /** Signature lines of its most relevant definitions, shown when nothing else of it fits. */
  outline: [number, number][];
  pinned: boolean;
  /**
   * Ranked below the files weighed for depth: it gets at most a glimpse or its outline, from the
   * share kept for files that got nothing.
   */
  glimpseOnly: boolean;
}

export interface PackedBlock {
  item: LedgerItem;
  text: string;
}

// The budget is spent where it buys the most expected lines of the work per token: a unit is worth
// its file's confidence times its own relevance, and costs its tokens (with the small holes it would
// leave next to shown lines of its file, when they fit). A small share is kept for the
// files that got nothing, so the model knows what else is there: each gets its densest unit when that
// is no larger than its outline (its likeliest code says more than its signatures), else its outline.
const OUTLINE_SHARE = 0.05;
const PINNED = 1e6;
// Per-range cost of the "⋮" line between excerpts, and slack for tokens merging across joins.
const RANGE_OVERHEAD = 3;
// Code packs about this many characters into a token: an estimate to order units before counting.
const CHARS_PER_TOKEN = 3.6;
// Code rarely packs more than this many characters into a token: a unit longer than this many
// characters per remaining token is not worth counting.
const CHARS_PER_TOKEN_MAX = 6;
const MIN_USEFUL = 8;
// A hole this small between shown lines of a file is shown too.
const BRIDGE_LINES = 20;

interface Candidate {
  file: number;
  unit: number; // -1: the file's outline
  density: number;
}

/**
 * Packs files into `available` tokens: units best value per token first, then a glimpse of each file
 * that got nothing (its densest unit or its outline), then what is left; a glimpse-only file gets
 * the glimpse at most. A file whose every line is shown is a whole file, others are snippets (their
 * units and headers) or outlines (signature lines). Never exceeds `available`; the same input always
 * gives the same blocks.
 */
export function packContext(files: readonly PackFile[], available: number, counter: TokenCounter): PackedBlock[] {
  const shown = files.map(() => new Set<number>()); // lines shown, per file
  const picked = files.map(() => [] as number[]); // units taken, per file (-1: outline)
  const order: { file: number; lines: number[]; cost: number }[] = []; // acceptance order, to undo from the end
  const headerCost = files.map((f) => counter.count(renderFileBlock(f.path, [''], [[1, 1]], false, f.fenceLang)) + 2);
  let used = 0;

  const linesOf = (f: PackFile, unit: number): [number, number][] => {
    if (unit < 0) return f.outline;
    const u = f.units[unit]!;
    return [...u.headers, [u.start, u.end]];
  };
  const tryAdd = (c: Candidate, limit: number): boolean => {
    const f = files[c.file]!;
    if (limit - used < MIN_USEFUL) return false;
    const unitLines = linesOf(f, c.unit)
      .flatMap(([s, e]) => range(s, e))
      .filter((l) => !shown[c.file]!.has(l));
    if (unitLines.length === 0) return false;
    const holes = holesClosed(unitLines, shown[c.file]!, f.lines.length);
    const bridged = [...unitLines, ...holes].sort((x, y) => x - y);
    // With the small holes it would leave closed when the budget allows, else on its own.
    return (holes.length > 0 && accept(c, bridged, limit)) || accept(c, unitLines, limit);
  };
  const accept = (c: Candidate, fresh: number[], limit: number): boolean => {
    const f = files[c.file]!;
    const chars = fresh.reduce((n, l) => n + f.lines[l - 1]!.length + 1, 0);
    // Counting exactly is the expensive part: skip what clearly cannot fit.
    if (chars / CHARS_PER_TOKEN_MAX > limit - used) return false;
    const freshRuns = runs(fresh);
    const cost =
      counter.count(freshRuns.map(([s, e]) => f.lines.slice(s - 1, e).join('\n')).join('\n')) +
      RANGE_OVERHEAD * freshRuns.length +
      (shown[c.file]!.size === 0 ? headerCost[c.file]! : 0);
    if (used + cost > limit) return false;
    for (const l of fresh) shown[c.file]!.add(l);
    picked[c.file]!.push(c.unit);
    order.push({ file: c.file, lines: fresh, cost });
    used += cost;
    return true;
  };

  const charsOf = (f: PackFile, unit: number): number =>
    linesOf(f, unit).reduce((n, [s, e]) => n + f.lines.slice(s - 1, e).reduce((m, l) => m + l.length + 1, 0), 0);
  const candidates: Candidate[] = [];
  files.forEach((f, fi) => {
    f.units.forEach((u, ui) => {
      const chars = charsOf(f, ui);
      const value = (f.pinned ? PINNED : f.confidence) * u.relevance;
      candidates.push({ file: fi, unit: ui, density: value / (chars / CHARS_PER_TOKEN + RANGE_OVERHEAD) });
    });
  });
  candidates.sort((a, b) => b.density - a.density || a.file - b.file || a.unit - b.unit);

  const hasOutlines = files.some((f) => f.outline.length > 0);
  const fill = (limit: number): void => {
    for (const c of candidates) if (!files[c.file]!.glimpseOnly && !picked[c.file]!.includes(c.unit)) tryAdd(c, limit);
  };
  fill(hasOutlines ? Math.floor(available * (1 - OUTLINE_SHARE)) : available);
  // Files that got nothing yet, in rank order: a glimpse of each, a map of what else is there.
  const glimpsed = new Set<number>();
  files.forEach((f, fi) => {
    if (shown[fi]!.size > 0 || f.outline.length === 0) return;
    const densest = candidates.find((c) => c.file === fi);
    if (densest && charsOf(f, densest.unit) <= charsOf(f, -1) && tryAdd(densest, available)) glimpsed.add(fi);
    else tryAdd({ file: fi, unit: -1, density: 0 }, available);
  });
  fill(available);

  // Exact counts of the rendered blocks; if joins merged tokens unexpectedly, undo the last additions.
  for (;;) {
    const blocks = render(files, shown, picked, glimpsed, counter);
    const total = blocks.reduce((n, b) => n + b.item.tokens, 0);
    if (total <= available || order.length === 0) return blocks;
    const last = order.pop()!;
    for (const l of last.lines) shown[last.file]!.delete(l);
    picked[last.file]!.pop();
  }
}

function render(files: readonly PackFile[], shown: Set<number>[], picked: number[][], glimpsed: Set<number>, counter: TokenCounter): PackedBlock[] {
  const blocks: PackedBlock[] = [];
  files.forEach((f, fi) => {
    if (shown[fi]!.size === 0) return;
    const ranges = runs([...shown[fi]!].sort((a, b) => a - b));
    const whole = ranges.length === 1 && ranges[0]![0] === 1 && ranges[0]![1] >= f.lines.length;
    const outlineOnly = picked[fi]!.every((u) => u < 0);
    const tier: Tier = whole ? 'whole' : outlineOnly ? 'outline' : 'snippet';
    const text = renderFileBlock(f.path, f.lines, ranges, whole, f.fenceLang);
    const notes = rangeNotes(f, ranges, picked[fi]!);
    blocks.push({
      text,
      item: {
        path: f.path,
        tier,
        ranges,
        tokens: counter.count(text),
        score: f.score,
        reasons: f.reasons,
        shown: tierReason(f, tier, shown[fi]!.size, glimpsed.has(fi) && picked[fi]!.length === 1),
        ...(notes.length ? { notes } : {}),
      },
    });
  });
  return blocks;
}

/** Why each shown range is there: the evidence of the units inside it. */
function rangeNotes(f: PackFile, ranges: [number, number][], picked: number[]): RangeNote[] {
  return ranges.flatMap(([s, e]): RangeNote[] => {
    const whys = picked
      .filter((u) => u >= 0 && f.units[u]!.start <= e && f.units[u]!.end >= s)
      .map((u) => f.units[u]!)
      .sort((a, b) => b.relevance - a.relevance)
      .map((u) => u.why);
    const distinct = [...new Set(whys)].slice(0, 2);
    if (distinct.length) return [{ range: [s, e], why: distinct.join('; ') }];
    return picked.includes(-1) ? [{ range: [s, e], why: 'signature' }] : [{ range: [s, e], why: 'header of the definition around an excerpt' }];
  });
}

function tierReason(f: PackFile, tier: Tier, lines: number, glimpse: boolean): string {
  const confidence = `an estimated ${Math.round(f.confidence * 100)}% chance the work is in this file`;
  if (f.pinned) return tier === 'whole' ? 'pinned by you; the whole file fits' : `pinned by you; ${lines} of ${f.lines.length} lines fit`;
  if (f.glimpseOnly) {
    const below = 'ranked below the files weighed for depth, it gets a glimpse at most';
    if (tier === 'whole') return `whole: its glimpse is the whole file (${confidence}); ${below}`;
    if (tier === 'outline') return `outline only: ${confidence}; ${below}; its signatures show what it holds`;
    return `${lines} of ${f.lines.length} lines: a glimpse, its densest excerpt (${confidence}); ${below}`;
  }
  if (tier === 'whole') return `whole: every line was worth its tokens (${confidence})`;
  if (glimpse && tier === 'snippet') {
    return `${lines} of ${f.lines.length} lines: a glimpse, its densest excerpt (${confidence}), from the share kept for files the rest of the budget did not reach`;
  }
  if (tier === 'outline') return `outline only: ${confidence}, and the budget went to likelier code; its signatures show what it holds`;
  return `${lines} of ${f.lines.length} lines, where the evidence points (${confidence}); the rest was worth less per token than what was packed instead`;
}

/**
 * The lines of the holes of at most BRIDGE_LINES lines that showing `fresh` would leave between it
 * and lines already shown (or within it): the model reads such code whole, not as slivers.
 */
function holesClosed(fresh: readonly number[], shown: ReadonlySet<number>, lineCount: number): number[] {
  const added = new Set(fresh);
  const has = (l: number): boolean => shown.has(l) || added.has(l);
  const holes: number[] = [];
  for (const l of fresh) {
    for (const dir of [-1, 1]) {
      let k = l + dir;
      while (k >= 1 && k <= lineCount && !has(k) && Math.abs(k - l) <= BRIDGE_LINES) k += dir;
      if (k < 1 || k > lineCount || !has(k)) continue;
      for (let j = l + dir; j !== k; j += dir) {
        added.add(j);
        holes.push(j);
      }
    }
  }
  return holes;
}

function range(s: number, e: number): number[] {
  return Array.from({ length: e - s + 1 }, (_, i) => s + i);
}

/** Sorted line numbers as runs of consecutive lines. */
function runs(sorted: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last && l === last[1] + 1) last[1] = l;
    else out.push([l, l]);
  }
  return out;
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
