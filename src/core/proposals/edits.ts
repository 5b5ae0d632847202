// Turning a maker's edits into whole-file changes, against the exact text the proposal was made
// from. Each search block is placed by the ladder of matchers (searchLadder.ts): exact first, then
// looser rungs, each of which must still find exactly one place; otherwise the edit is refused with
// a sentence the maker can act on when it is re-asked (and a person can read). The same edit given
// twice (same file, same search, same replacement) counts once: models repeat themselves.
import type { Edit, ReplaceEdit } from './makerSchema';
import { RUNG_LABELS, type MatchRung } from './matchRungs';
import { placeSearch } from './searchLadder';
import type { EditMatch } from './types';

export interface ResolvedChange {
  path: string;
  /** The file's text as read; undefined for a file the edits create. */
  before: string | undefined;
  after: string;
  /** Where each replace block landed and which rung of the ladder placed it, in the file's order. */
  matches: EditMatch[];
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
  rung: MatchRung;
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
    if (resolved.ok) changes.push({ path, before, after: resolved.after, matches: resolved.matches });
    else problems.push(...resolved.problems);
  }
  if (problems.length === 0) return { ok: true, changes };
  return { ok: false, problems: problems.sort((a, b) => a.number - b.number).map((problem) => problem.text) };
}

function groupByPath(edits: readonly Edit[]): Map<string, NumberedEdit[]> {
  const byPath = new Map<string, NumberedEdit[]>();
  edits.forEach((edit, index) => {
    const group = byPath.get(edit.path) ?? [];
    if (group.some((earlier) => sameEdit(earlier.edit, edit))) return;
    group.push({ number: index + 1, edit });
    byPath.set(edit.path, group);
  });
  return byPath;
}

function sameEdit(a: Edit, b: Edit): boolean {
  if (a.kind === 'replace' && b.kind === 'replace') return a.search === b.search && a.replace === b.replace;
  return a.kind === 'create' && b.kind === 'create' && a.content === b.content;
}

type FileResult = { ok: true; after: string; matches: EditMatch[] } | { ok: false; problems: Problem[] };

function resolveFileEdits(path: string, before: string | undefined, fileEdits: NumberedEdit[]): FileResult {
  const creates = fileEdits.filter((numbered) => numbered.edit.kind === 'create');
  const replaces = fileEdits.filter((numbered): numbered is NumberedEdit<ReplaceEdit> => numbered.edit.kind === 'replace');
  if (creates.length > 0) {
    if (before !== undefined) {
      return {
        ok: false,
        problems: creates.map(({ number }) => ({ number, text: `Edit ${number} creates ${path}, which already exists: use replace blocks to change it.` })),
      };
    }
    if (fileEdits.length > 1) {
      const numbers = fileEdits.map(({ number }) => number);
      const text = `Edits ${listNumbers(numbers)} all change the new file ${path}: give its whole content in a single create edit.`;
      return { ok: false, problems: [{ number: Math.min(...numbers), text }] };
    }
    const only = creates[0]?.edit;
    return only?.kind === 'create' ? { ok: true, after: only.content, matches: [] } : { ok: false, problems: [] };
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
  const matches = [...placements]
    .sort((a, b) => a.start - b.start)
    .map((placement) => ({ edit: placement.number, rung: placement.rung, ...lineSpan(before, placement) }));
  return { ok: true, after: applyPlacements(before, placements), matches };
}

/** The lines a placement replaces (count 0 for an insertion at a line's start). */
function lineSpan(text: string, placement: Placement): { beforeStart: number; beforeLines: number } {
  const beforeStart = lineOf(text, placement.start);
  if (placement.end === placement.start) return { beforeStart, beforeLines: 0 };
  return { beforeStart, beforeLines: lineOf(text, placement.end - 1) - beforeStart + 1 };
}

/** The block's place in the file, or the sentence saying why it has none. */
function placeReplace(path: string, text: string, { number, edit }: NumberedEdit<ReplaceEdit>): Placement | string {
  const placed = placeSearch(text, edit.search, edit.replace);
  switch (placed.kind) {
    case 'placed':
      return { number, rung: placed.rung, start: placed.start, end: placed.end, replacement: placed.replacement };
    case 'ambiguous': {
      const lines = [...new Set(placed.starts.map((at) => lineOf(text, at)))];
      const loosely = placed.rung === 'exact' ? '' : ` when ${RUNG_LABELS[placed.rung].replace('matched ', '')}`;
      return (
        `Search block ${number} for ${path} matches ${placed.starts.length} places${loosely} (${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}): ` +
        'add surrounding lines to make it unique.'
      );
    }
    case 'refused':
      return `Search block ${number} for ${path} cannot be placed: ${placed.reason}`;
    case 'unmatched':
      return `Search block ${number} for ${path} matches nothing: ${excerpt(edit.search)} is not in the file. ${missHint(text, edit.search)}`;
  }
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
  const firstLine = search
    .split('\n')
    .find((line) => line.trim().length > 0)
    ?.trim();
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
