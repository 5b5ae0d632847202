// A search block that quotes the file with elisions ("...", "# ... existing code ...", "// ..."):
// its quoted runs must match in order, with anything between them, and the block is placed by its
// anchored ends. The replacement must elide the same way: each of its elisions stands for the lines
// the search block elided at the same place, kept as they are. A replacement without them would
// delete lines the model never showed, so it is refused.
import { detectShift } from './indentShift';
import { findSpans, isBlank, mergedReplacement, type FileLines, type LineMatchOptions, type LineSpan } from './lineMatch';

const ELISION = /^\s*(?:(?:\/\/|#|--|;|\/\*|<!--|\*)\s*)?(?:\.{3}|…)(?:[\w\s,'()-]*?(?:\.{3}|…))?\s*(?:\*\/|-->)?\s*$/;
// Quoted runs line up as the blank-lines rung does: relative indentation, blank lines skipped.
const SEGMENT_MATCH: LineMatchOptions = { relativeIndent: true, skipBlankLines: true };
// Counting stops here: two complete placements already make a block ambiguous.
const ENOUGH = 2;

export type ElisionResult =
  | { kind: 'not-elided' }
  | { kind: 'unmatched' }
  | { kind: 'ambiguous'; firstLines: number[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'placed'; first: number; last: number; replacement: string };

export function isElisionLine(line: string): boolean {
  return ELISION.test(line) && line.trim() !== '';
}

export function placeElided(file: FileLines, search: readonly string[], replace: readonly string[]): ElisionResult {
  const searchRuns = runsBetweenElisions(search);
  if (searchRuns.length < 2) return { kind: 'not-elided' };
  const placements = placeRuns(file, searchRuns);
  if (placements.length === 0) return { kind: 'unmatched' };
  if (placements.length > 1) return { kind: 'ambiguous', firstLines: placements.map((spans) => spans[0]!.first + 1) };
  const replaceRuns = runsBetweenElisions(replace);
  if (replaceRuns.length !== searchRuns.length) {
    return {
      kind: 'refused',
      reason:
        `it elides lines in ${searchRuns.length - 1} place(s) with "...", but its replacement ${replaceRuns.length > 1 ? `elides ${replaceRuns.length - 1}` : 'elides none'}: ` +
        'put one "..." line in the replacement where each elided run stays as it is, or quote the lines in full.',
    };
  }
  const spans = placements[0]!;
  const shift = detectShift(
    spans.flatMap((span) => span.pairs),
    file.indentLevel,
  )!;
  const first = spans[0]!.first;
  const last = spans.at(-1)!.last;
  let replacement = '';
  for (const [index, run] of replaceRuns.entries()) {
    const span = spans[index]!;
    replacement += mergedReplacement(file, span, searchRuns[index]!, run, shift);
    const next = spans[index + 1];
    // The elided lines between two quoted runs are kept byte for byte.
    if (next) replacement += file.text.slice(file.ends[span.last], file.starts[next.first]);
  }
  return { kind: 'placed', first, last, replacement };
}

/**
 * The block's quoted runs, split at elision lines. Elisions in a row count as one, and an elision
 * before the first quoted line or after the last anchors nothing.
 */
function runsBetweenElisions(lines: readonly string[]): string[][] {
  const runs: string[][] = [[]];
  for (const line of lines) {
    if (!isElisionLine(line)) runs.at(-1)!.push(line);
    else if (runs.at(-1)!.some((quoted) => !isBlank(quoted))) runs.push([]);
  }
  if (runs.length > 1 && !runs.at(-1)!.some((quoted) => !isBlank(quoted))) runs.pop();
  return runs;
}

/** Every way to place all runs in order with one indentation shift, up to ENOUGH of them. */
function placeRuns(file: FileLines, runs: readonly string[][], from = 0, placed: LineSpan[] = []): LineSpan[][] {
  const [run, ...rest] = runs;
  if (!run)
    return detectShift(
      placed.flatMap((span) => span.pairs),
      file.indentLevel,
    )
      ? [placed]
      : [];
  const found: LineSpan[][] = [];
  for (const span of findSpans(file, run, SEGMENT_MATCH, from)) {
    found.push(...placeRuns(file, rest, span.last + 1, [...placed, span]));
    if (found.length >= ENOUGH) break;
  }
  return found;
}
