// Turning a maker's edits into whole-file changes, against the exact text the proposal was made
// from. No fuzzy matching: a search block must occur exactly once, or the edit is refused with a
// sentence the maker can act on when it is re-asked (and a person can read).
//
// Line endings are matched exactly, with one documented exception: models write "\n" even when
// they were shown a CRLF file, so when a file uses CRLF and a search block with no "\r" has no exact
// match, the block and its replacement are converted to CRLF and matched again, still exactly and
// still exactly once. And a replacement with no "\r" going into a file whose lines all end in CRLF
// gets CRLF line ends, so a replace never leaves a file with mixed endings.
import type { Edit, ReplaceEdit } from './makerSchema';

export interface ResolvedChange {
  path: string;
  /** The file's text as read; undefined for a file the edits create. */
  before: string | undefined;
  after: string;
}

export type ResolveResult = { ok: true; changes: ResolvedChange[] } | { ok: false; problems: string[] };

/** Reads a workspace file's text as the proposal saw it; undefined when there is no such file. */
export type ReadText = (path: string) => string | undefined;

interface NumberedEdit<E extends Edit = Edit> {
  /** 1-based position in the maker's list of edits, which is how problems name it. */
  number: number;
  edit: E;
}

/** Where one replace block lands in the original text. */
interface Placement {
  number: number;
  start: number;
  end: number;
  replacement: string;
}

/** A problem and the first edit it is about, so problems can be listed in the answer's order. */
interface Problem {
  number: number;
  text: string;
}

export function resolveEdits(edits: readonly Edit[], readText: ReadText): ResolveResult {
  const problems: Problem[] = [];
  const changes: ResolvedChange[] = [];
  for (const [path, fileEdits] of groupByPath(edits)) {
    const before = readText(path);
    const resolved = resolveFileEdits(path, before, fileEdits);
    if (resolved.ok) changes.push({ path, before, after: resolved.after });
    else problems.push(...resolved.problems);
  }
  if (problems.length === 0) return { ok: true, changes };
  return { ok: false, problems: problems.sort((a, b) => a.number - b.number).map((problem) => problem.text) };
}

function groupByPath(edits: readonly Edit[]): Map<string, NumberedEdit[]> {
  const byPath = new Map<string, NumberedEdit[]>();
  edits.forEach((edit, index) => {
    const group = byPath.get(edit.path) ?? [];
    group.push({ number: index + 1, edit });
    byPath.set(edit.path, group);
  });
  return byPath;
}

type FileResult = { ok: true; after: string } | { ok: false; problems: Problem[] };

function resolveFileEdits(path: string, before: string | undefined, fileEdits: NumberedEdit[]): FileResult {
  const creates = fileEdits.filter((numbered) => numbered.edit.kind === 'create');
  const replaces = fileEdits.filter((numbered): numbered is NumberedEdit<ReplaceEdit> => numbered.edit.kind === 'replace');
  if (creates.length > 0) {
    if (before !== undefined) {
      return { ok: false, problems: creates.map(({ number }) => ({ number, text: `Edit ${number} creates ${path}, which already exists: use replace blocks to change it.` })) };
    }
    if (fileEdits.length > 1) {
      const numbers = fileEdits.map(({ number }) => number);
      const text = `Edits ${listNumbers(numbers)} all change the new file ${path}: give its whole content in a single create edit.`;
      return { ok: false, problems: [{ number: Math.min(...numbers), text }] };
    }
    const only = creates[0]?.edit;
    return only?.kind === 'create' ? { ok: true, after: only.content } : { ok: false, problems: [] };
  }
  if (before === undefined) {
    return {
      ok: false,
      problems: replaces.map(({ number }) => ({
        number,
        text: `Search block ${number} for ${path}: the file does not exist. Check the path, or use a create edit with the whole content for a new file.`,
      })),
    };
  }
  const problems: Problem[] = [];
  const placements: Placement[] = [];
  for (const numbered of replaces) {
    const placed = placeReplace(path, before, numbered);
    if (typeof placed === 'string') problems.push({ number: numbered.number, text: placed });
    else placements.push(placed);
  }
  problems.push(...overlapProblems(path, before, placements));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, after: applyPlacements(before, placements) };
}

/** The block's place in the file, or the sentence saying why it has none. */
function placeReplace(path: string, text: string, { number, edit }: NumberedEdit<ReplaceEdit>): Placement | string {
  let search = edit.search;
  let replacement = edit.replace;
  let starts = occurrences(text, search);
  if (starts.length === 0 && text.includes('\r\n') && !search.includes('\r') && search.includes('\n')) {
    search = toCrlf(search);
    replacement = toCrlf(replacement);
    starts = occurrences(text, search);
  } else if (usesOnlyCrlf(text) && !replacement.includes('\r')) {
    replacement = toCrlf(replacement);
  }
  const start = starts[0];
  if (start === undefined) return `Search block ${number} for ${path} matches nothing: ${excerpt(edit.search)} is not in the file. ${missHint(text, edit.search)}`;
  if (starts.length > 1) {
    const lines = [...new Set(starts.map((at) => lineOf(text, at)))];
    return (
      `Search block ${number} for ${path} matches ${starts.length} places (${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}): ` +
      'add surrounding lines to make it unique.'
    );
  }
  return { number, start, end: start + search.length, replacement };
}

/** Every index where `search` starts, overlapping ones included ("aa" is at 0 and 1 in "aaa"). */
function occurrences(text: string, search: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) starts.push(at);
  return starts;
}

function overlapProblems(path: string, text: string, placements: Placement[]): Problem[] {
  const problems: Problem[] = [];
  const sorted = [...placements].sort((a, b) => a.start - b.start || a.number - b.number);
  sorted.forEach((first, i) => {
    for (const second of sorted.slice(i + 1)) {
      if (second.start >= first.end) break;
      const [low, high] = first.number < second.number ? [first, second] : [second, first];
      problems.push({
        number: low.number,
        text:
          `Search blocks ${low.number} and ${high.number} for ${path} overlap ` +
          `(${lineRange(lineOf(text, Math.max(first.start, second.start)), lineOf(text, Math.min(first.end, second.end) - 1))}): ` +
          'merge them into one block, or make them cover separate lines.',
      });
    }
  });
  return problems;
}

/** Positions were found on the original text; applying from the end keeps the earlier ones valid. */
function applyPlacements(text: string, placements: Placement[]): string {
  let result = text;
  for (const placement of [...placements].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, placement.start) + placement.replacement + result.slice(placement.end);
  }
  return result;
}

function toCrlf(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}

function usesOnlyCrlf(text: string): boolean {
  return text.includes('\r\n') && !/(?<!\r)\n/.test(text);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The block's start, enough to recognise it in a message without repeating all of it. */
function excerpt(search: string): string {
  const start = search.split('\n').slice(0, 2).join('\n').slice(0, 80);
  return JSON.stringify(start.length < search.length ? `${start}…` : start);
}

/** Not a fuzzy match (nothing is applied from it): only a pointer to what to copy more carefully. */
function missHint(text: string, search: string): string {
  const squeeze = (value: string): string => value.replace(/\s+/g, '');
  if (squeeze(search).length > 0 && squeeze(text).includes(squeeze(search))) {
    return 'It does appear with different whitespace: copy the indentation, spacing and line breaks exactly as the file has them.';
  }
  const firstLine = search.split('\n').find((line) => line.trim().length > 0)?.trim();
  if (firstLine !== undefined) {
    const lines = text.split('\n').flatMap((line, index) => (line.includes(firstLine) ? [index + 1] : []));
    if (lines.length > 0) {
      return `Its first line appears at ${lines.length === 1 ? 'line' : 'lines'} ${lines.slice(0, 5).join(', ')}, but what follows differs: copy the block exactly as the file has it now.`;
    }
  }
  return 'Copy the lines to change exactly as they are in the file as it was shown, and check the path.';
}

function lineRange(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

function listNumbers(numbers: number[]): string {
  return numbers.length <= 1 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}
