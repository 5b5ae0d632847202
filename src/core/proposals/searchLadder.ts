// Where a search block lands, as real models write them: a ladder of matchers, each looser than the
// one before, tried in order until one finds the block. Every rung still insists on exactly one
// place; a rung that finds several stops the climb (loosening never makes a block less ambiguous),
// and nothing guesses by edit distance. Which rung matched travels with the edit, so the review can
// say "matched ignoring indentation" and the journal can count how often each rung was needed.
//
// Line endings: the exact rung matches them exactly, with one exception (models write "\n" even when
// shown a CRLF file): a CRLF file and a search block with no "\r" are matched again with the block
// in CRLF. A replacement with no "\r" going into a file whose lines all end in CRLF gets CRLF, so a
// replace never leaves mixed endings. The line rungs compare lines without their endings and write
// the replacement with the file's.
import { placeElided } from './elidedSearch';
import { blockLines, fileLines, findSpans, mergedReplacement, shiftFor, type LineMatchOptions } from './lineMatch';
import type { MatchRung } from './matchRungs';

const LINE_RUNGS: { rung: MatchRung; options: LineMatchOptions }[] = [
  { rung: 'trailing-whitespace', options: { relativeIndent: false, skipBlankLines: false } },
  { rung: 'indentation', options: { relativeIndent: true, skipBlankLines: false } },
  { rung: 'blank-lines', options: { relativeIndent: true, skipBlankLines: true } },
];

export type LadderResult =
  /** The block replaces text[start, end) with `replacement`. */
  | { kind: 'placed'; rung: MatchRung; start: number; end: number; replacement: string }
  /** The first rung that found the block found it at several places (offsets into the text). */
  | { kind: 'ambiguous'; rung: MatchRung; starts: number[] }
  | { kind: 'refused'; rung: MatchRung; reason: string }
  | { kind: 'unmatched' };

export function placeSearch(text: string, search: string, replace: string): LadderResult {
  const exact = placeExactly(text, search, replace);
  if (exact.kind !== 'unmatched') return exact;
  const file = fileLines(text);
  const searchLines = blockLines(search);
  const replaceLines = blockLines(replace);
  for (const { rung, options } of LINE_RUNGS) {
    const spans = findSpans(file, searchLines, options);
    if (spans.length > 1) return { kind: 'ambiguous', rung, starts: spans.map((span) => file.starts[span.first]!) };
    const span = spans[0];
    if (!span) continue;
    const shift = shiftFor(file, span.pairs, options)!;
    return {
      kind: 'placed',
      rung,
      start: file.starts[span.first]!,
      end: file.ends[span.last]!,
      replacement: mergedReplacement(file, span, searchLines, replaceLines, shift),
    };
  }
  const elided = placeElided(file, searchLines, replaceLines);
  switch (elided.kind) {
    case 'placed':
      return { kind: 'placed', rung: 'elision', start: file.starts[elided.first]!, end: file.ends[elided.last]!, replacement: elided.replacement };
    case 'ambiguous':
      return { kind: 'ambiguous', rung: 'elision', starts: elided.firstLines.map((line) => file.starts[line - 1]!) };
    case 'refused':
      return { kind: 'refused', rung: 'elision', reason: elided.reason };
    default:
      return { kind: 'unmatched' };
  }
}

function placeExactly(text: string, search: string, replace: string): LadderResult {
  let block = search;
  let replacement = replace;
  let starts = occurrences(text, block);
  if (starts.length === 0 && text.includes('\r\n') && !block.includes('\r') && block.includes('\n')) {
    block = toCrlf(block);
    replacement = toCrlf(replacement);
    starts = occurrences(text, block);
  } else if (usesOnlyCrlf(text) && !replacement.includes('\r')) {
    replacement = toCrlf(replacement);
  }
  const start = starts[0];
  if (start === undefined) return { kind: 'unmatched' };
  if (starts.length > 1) return { kind: 'ambiguous', rung: 'exact', starts };
  return { kind: 'placed', rung: 'exact', start, end: start + block.length, replacement };
}

/** Every index where `search` starts, overlapping ones included ("aa" is at 0 and 1 in "aaa"). */
function occurrences(text: string, search: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) starts.push(at);
  return starts;
}

function toCrlf(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}

function usesOnlyCrlf(text: string): boolean {
  return text.includes('\r\n') && !/(?<!\r)\n/.test(text);
}
