// Matching a search block line by line, for the rungs of the ladder past the exact one: whole lines
// only, trailing whitespace never counts, and as the rung allows, indentation relative to the file
// (one shift for every line) and blank lines skipped. Finds every place, so the ladder can insist
// on exactly one. The replacement is merged onto the file: lines the search block and its
// replacement share keep the file's own bytes (its indentation, trailing spaces, blank lines), and
// only the lines the model changed come from the replacement, moved by the block's shift.
import { diffArrays } from 'diff';
import { splitLines } from './hunks';
import { detectShift, fileIndentLevel, leadingWhitespace, reindent, type IndentPair, type IndentShift } from './indentShift';

export interface LineMatchOptions {
  /** Lines match with one indentation shift for the whole block (else indentation must be equal). */
  relativeIndent: boolean;
  /** Blank lines on either side are skipped (else they must line up). */
  skipBlankLines: boolean;
}

/** A file cut into lines, with where each starts and ends (its line ending included). */
export interface FileLines {
  text: string;
  /** Each line's text without its ending. */
  lines: string[];
  starts: number[];
  ends: number[];
  /** How the file writes one indentation level. */
  indentLevel: string;
}

/** Where a run of search lines lines up: file lines first..last (0-based), and their indentation. */
export interface LineSpan {
  first: number;
  last: number;
  pairs: IndentPair[];
  /** The file line each search line matched; undefined for a blank search line that was skipped. */
  lineOf: (number | undefined)[];
}

export function fileLines(text: string): FileLines {
  const lines: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const line of splitLines(text)) {
    starts.push(at);
    at += line.length;
    ends.push(at);
    lines.push(line.replace(/\r?\n$/, ''));
  }
  return { text, lines, starts, ends, indentLevel: fileIndentLevel(lines) };
}

/** A block's lines: "\r\n" or "\n" ends a line, and a final line ending adds no empty line. */
export function blockLines(block: string): string[] {
  const lines = block.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export const isBlank = (line: string): boolean => line.trim() === '';

/** Every span where the search lines match, starting at or after file line `from`. */
export function findSpans(file: FileLines, search: readonly string[], options: LineMatchOptions, from = 0): LineSpan[] {
  if (!search.some((line) => !isBlank(line))) return [];
  const spans: LineSpan[] = [];
  for (let first = from; first < file.lines.length; first++) {
    const span = spanAt(file, search, first, options);
    if (span) spans.push(span);
  }
  return spans;
}

/** The shift that lines up every pair, or undefined; with indentation fixed, only "no shift". */
export function shiftFor(file: FileLines, pairs: readonly IndentPair[], options: LineMatchOptions): IndentShift | undefined {
  if (!options.relativeIndent) return pairs.every((pair) => pair.search === pair.file) ? { kind: 'add', prefix: '' } : undefined;
  return detectShift(pairs, file.indentLevel);
}

/**
 * The text that takes the place of the span: the search block's change carried onto the file. Lines
 * the search and the replacement share are copied from the file (with the file's blank lines between
 * them); lines the replacement adds are moved by the shift and end as the file's lines do. A span
 * ending without a final newline still ends without one.
 */
export function mergedReplacement(file: FileLines, span: LineSpan, search: readonly string[], replace: readonly string[], shift: IndentShift): string {
  const lineEnd = endOf(file, span.first) || (file.text.includes('\r\n') ? '\r\n' : '\n');
  const fileLine = (index: number): string => file.text.slice(file.starts[index], file.ends[index]);
  let out = '';
  let next = span.first; // the first file line of the span not yet copied or dropped
  const copyThrough = (index: number | undefined, keepLast: boolean): void => {
    if (index === undefined) return;
    // The file's lines up to a matched line stay (blank ones the block skipped); the matched line only when kept.
    for (; next < index; next++) out += fileLine(next);
    if (keepLast) out += fileLine(index);
    next = index + 1;
  };
  let at = 0; // index into the search lines
  for (const part of diffArrays([...search], [...replace])) {
    if (part.added) {
      if (out !== '' && !out.endsWith('\n')) out += lineEnd;
      for (const line of part.value) out += reindent(line, shift) + lineEnd;
      continue;
    }
    for (let n = 0; n < part.value.length; n++, at++) copyThrough(span.lineOf[at], !part.removed);
  }
  if (endOf(file, span.last) === '' && out.endsWith(lineEnd)) out = out.slice(0, -lineEnd.length);
  return out;
}

function endOf(file: FileLines, index: number): string {
  return file.text.slice(file.starts[index]! + file.lines[index]!.length, file.ends[index]);
}

function spanAt(file: FileLines, search: readonly string[], first: number, options: LineMatchOptions): LineSpan | undefined {
  if (options.skipBlankLines && isBlank(file.lines[first]!)) return undefined;
  const pairs: IndentPair[] = [];
  const lineOf: (number | undefined)[] = [];
  let at = first;
  let started = false;
  for (const line of search) {
    if (options.skipBlankLines && isBlank(line)) {
      lineOf.push(undefined);
      continue;
    }
    if (options.skipBlankLines && started) while (at < file.lines.length && isBlank(file.lines[at]!)) at++;
    const fileLine = file.lines[at];
    if (fileLine === undefined || !sameLine(line, fileLine, options, pairs)) return undefined;
    lineOf.push(at);
    started = true;
    at++;
  }
  const span = { first, last: at - 1, pairs, lineOf };
  return shiftFor(file, pairs, options) ? span : undefined;
}

function sameLine(search: string, fileLine: string, options: LineMatchOptions, pairs: IndentPair[]): boolean {
  if (isBlank(search) || isBlank(fileLine)) return isBlank(search) && isBlank(fileLine);
  const searchLead = leadingWhitespace(search);
  const fileLead = leadingWhitespace(fileLine);
  if (search.slice(searchLead.length).trimEnd() !== fileLine.slice(fileLead.length).trimEnd()) return false;
  pairs.push({ search: searchLead, file: fileLead });
  return true;
}
