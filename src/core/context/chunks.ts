import type { Bm25Index } from './bm25';

/** A definition's extent, from tree-sitter or, where no grammar applies, the lexical scanner. */
export interface Extent {
  name: string;
  startLine: number;
  endLine: number;
  signatureEnd: number;
}

/** A piece of a file that can be shown on its own: one function, a class's header, a stretch of module code. */
export interface Chunk {
  start: number; // 1-based inclusive
  end: number;
  owner: Extent | undefined; // the innermost definition holding it
  score: number;
}

const MAX_CHUNK_LINES = 120;
const MIN_CHUNK_LINES = 3;

/**
 * Cuts a file into chunks along its definitions: every definition's start and end is a cut, so a
 * method is one chunk and its class's header another; long stretches are cut again at blank lines.
 */
export function chunkFile(lines: readonly string[], extents: readonly Extent[]): Chunk[] {
  const lineCount = lines.length;
  const cuts = new Set<number>([1, lineCount + 1]);
  for (const d of extents) {
    if (d.startLine >= 1 && d.startLine <= lineCount) cuts.add(d.startLine);
    if (d.endLine + 1 <= lineCount) cuts.add(d.endLine + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: { start: number; end: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]! - 1;
    if (end >= start) pieces.push(...splitLong(lines, start, end));
  }
  // Tiny pieces (a decorator, a lone closing brace) join the piece before them.
  const merged: { start: number; end: number }[] = [];
  for (const p of pieces) {
    const prev = merged[merged.length - 1];
    if (prev && (p.end - p.start + 1 < MIN_CHUNK_LINES || isBlank(lines, p.start, p.end)) && prev.end + 1 === p.start) prev.end = p.end;
    else merged.push({ ...p });
  }
  return merged
    .filter((p) => !isBlank(lines, p.start, p.end))
    .map((p) => ({ ...p, owner: innermost(extents, p.start, p.end), score: 0 }));
}

function splitLong(lines: readonly string[], start: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = start;
  while (end - s + 1 > MAX_CHUNK_LINES) {
    // Cut at the last blank line in the window's second half, else at the window's end.
    let cut = s + MAX_CHUNK_LINES - 1;
    for (let l = cut; l > s + MAX_CHUNK_LINES / 2; l--) {
      if (!lines[l - 1]!.trim()) {
        cut = l;
        break;
      }
    }
    out.push({ start: s, end: cut });
    s = cut + 1;
  }
  out.push({ start: s, end });
  return out;
}

function innermost(extents: readonly Extent[], start: number, end: number): Extent | undefined {
  let best: Extent | undefined;
  for (const d of extents) {
    if (d.startLine <= start && d.endLine >= end && (!best || d.startLine >= best.startLine)) best = d;
  }
  return best;
}

function isBlank(lines: readonly string[], start: number, end: number): boolean {
  for (let l = start; l <= end; l++) if (lines[l - 1]!.trim()) return false;
  return true;
}

export interface ChunkEvidence {
  query: Map<string, number>;
  symbols: ReadonlyMap<string, number>;
  frameLines: readonly number[]; // lines of this file in the task's stack traces
  literals: readonly string[]; // message text the task quotes
}

// How much a chunk's own name, a stack-frame line or a quoted message add to its lexical score.
const OWNER_NAMED = 3;
const FRAME_LINE = 4;
const MESSAGE = 3;
// Typical length of a chunk in terms (a function of 20-30 lines), for BM25's length normalisation.
const AVERAGE_CHUNK_TERMS = 400;

/** Scores each chunk of a file for the task: lexical relevance plus what the task names inside it. */
export function scoreChunks(chunks: Chunk[], lines: readonly string[], bm25: Bm25Index, evidence: ChunkEvidence): void {
  for (const c of chunks) {
    const text = lines.slice(c.start - 1, c.end).join('\n');
    let s = bm25.scoreText(text, evidence.query, AVERAGE_CHUNK_TERMS);
    const owner = c.owner?.name;
    if (owner && evidence.symbols.has(owner)) s += OWNER_NAMED * Math.min(2, evidence.symbols.get(owner)!);
    if (evidence.frameLines.some((l) => l >= c.start && l <= c.end)) s += FRAME_LINE;
    if (evidence.literals.some((lit) => text.includes(lit))) s += MESSAGE;
    c.score = s;
  }
}
