// Matching a search block line by line, for the rungs of the ladder past the exact one: whole lines
// only, trailing whitespace never counts, and as the rung allows, indentation relative to the file
// (one shift for every line) and blank lines skipped. Finds every place, so the ladder can insist
// on exactly one.
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
  const wanted = options.skipBlankLines ? search.filter((line) => !isBlank(line)) : [...search];
  if (!wanted.some((line) => !isBlank(line))) return [];
  const spans: LineSpan[] = [];
  for (let first = from; first < file.lines.length; first++) {
    const span = spanAt(file, wanted, first, options);
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
 * The replacement for file lines first..last: the block's lines moved by the shift, each ending as
 * the file's lines do; the last keeps the ending (or none) of the last line it replaces.
 */
export function replacementText(file: FileLines, first: number, last: number, lines: readonly string[], shift: IndentShift): string {
  const lineEnd = file.text.slice(file.starts[first]! + file.lines[first]!.length, file.ends[first]) || (file.text.includes('\r\n') ? '\r\n' : '\n');
  const finalEnd = file.text.slice(file.starts[last]! + file.lines[last]!.length, file.ends[last]);
  return lines.map((line, index) => reindent(line, shift) + (index === lines.length - 1 ? finalEnd : lineEnd)).join('');
}

function spanAt(file: FileLines, wanted: readonly string[], first: number, options: LineMatchOptions): LineSpan | undefined {
  const pairs: IndentPair[] = [];
  let at = first;
  for (const [index, line] of wanted.entries()) {
    if (options.skipBlankLines && index > 0) while (at < file.lines.length && isBlank(file.lines[at]!)) at++;
    const fileLine = file.lines[at];
    if (fileLine === undefined || !sameLine(line, fileLine, options, pairs)) return undefined;
    at++;
  }
  if (options.skipBlankLines && isBlank(file.lines[first]!)) return undefined;
  const span = { first, last: at - 1, pairs };
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
