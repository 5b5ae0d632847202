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
}

// A window of a long definition: long enough to hold a hit's surroundings, short enough that the
// budget is not spent on the far end of a long function.
export const WINDOW_LINES = 30;
const MIN_CHUNK_LINES = 3;

/**
 * Cuts a file into pieces along its definitions: every definition's start and end is a cut, so a
 * method is one piece and its class's header another. Tiny pieces join the piece before them.
 */
export function definitionPieces(lines: readonly string[], extents: readonly Extent[]): Chunk[] {
  const lineCount = lines.length;
  const cuts = new Set<number>([1, lineCount + 1]);
  for (const d of extents) {
    if (d.startLine >= 1 && d.startLine <= lineCount) cuts.add(d.startLine);
    if (d.endLine + 1 <= lineCount) cuts.add(d.endLine + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const merged: { start: number; end: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const p = { start: sorted[i]!, end: sorted[i + 1]! - 1 };
    if (p.end < p.start) continue;
    // Tiny pieces (a decorator, a lone closing brace) join the piece before them.
    const prev = merged[merged.length - 1];
    if (prev && (p.end - p.start + 1 < MIN_CHUNK_LINES || isBlank(lines, p.start, p.end)) && prev.end + 1 === p.start) prev.end = p.end;
    else merged.push(p);
  }
  // The blank lines a piece took after its code do not make it part of the definition around it.
  return merged.filter((p) => !isBlank(lines, p.start, p.end)).map((p) => ({ ...p, owner: innermost(extents, p.start, lastCodeLine(lines, p)) }));
}

/**
 * The pieces, with those longer than `maxLines` cut into windows of about equal length (each cut at
 * a blank line where one is near), so no window is a scrap of a few lines left over at the end.
 */
export function windows(pieces: readonly Chunk[], lines: readonly string[], maxLines = WINDOW_LINES): Chunk[] {
  const out: Chunk[] = [];
  for (const p of pieces) {
    let s = p.start;
    while (p.end - s + 1 > maxLines) {
      const remaining = p.end - s + 1;
      const size = Math.ceil(remaining / Math.ceil(remaining / maxLines));
      let cut = s + size - 1;
      for (let l = cut; l > s + size / 2; l--) {
        if (!lines[l - 1]!.trim()) {
          cut = l;
          break;
        }
      }
      out.push({ start: s, end: cut, owner: p.owner });
      s = cut + 1;
    }
    out.push({ start: s, end: p.end, owner: p.owner });
  }
  return out;
}

function innermost(extents: readonly Extent[], start: number, end: number): Extent | undefined {
  let best: Extent | undefined;
  for (const d of extents) {
    if (d.startLine <= start && d.endLine >= end && (!best || d.startLine >= best.startLine)) best = d;
  }
  return best;
}

function lastCodeLine(lines: readonly string[], p: { start: number; end: number }): number {
  let l = p.end;
  while (l > p.start && !lines[l - 1]!.trim()) l--;
  return l;
}

function isBlank(lines: readonly string[], start: number, end: number): boolean {
  for (let l = start; l <= end; l++) if (lines[l - 1]!.trim()) return false;
  return true;
}
