// A proposal as a patch a person reviews outside the editor (a terminal, a CI log, `git apply`),
// with its hunks numbered in the order they appear, so "accept 1 and 3" means the first and third
// `@@` of the patch. A patch hunk holds one or more of the proposal's own hunks (diffHunks, which
// keep no context): changes closer than two contexts' worth of lines share a patch hunk, as in
// any unified diff, and are accepted or rejected together.
import { formatPatch, FILE_HEADERS_ONLY, structuredPatch, type StructuredPatch } from 'diff';
import { diffHunks } from './hunks';
import type { FileDecision, Hunk, Proposal } from './types';
import { BatonError } from '../batonError';

const CONTEXT_LINES = 3;

export interface PatchHunk {
  /** 1-based, across the whole patch. */
  number: number;
  path: string;
  /** The `@@ -a,b +c,d @@` line. */
  header: string;
  added: number;
  removed: number;
  /** The indices of the proposal's own hunks (diffHunks) in this one. */
  hunks: number[];
}

export interface ReviewPatch {
  /** The unified diff of every file, `--- a/path` / `+++ b/path` (`/dev/null` for a new file). */
  text: string;
  hunks: PatchHunk[];
}

export function renderReviewPatch(proposal: Proposal): ReviewPatch {
  const patches: StructuredPatch[] = [];
  const hunks: PatchHunk[] = [];
  for (const change of proposal.changes) {
    const own = diffHunks(change.before, change.after);
    if (own.length === 0) continue;
    const names = [change.before === undefined ? '/dev/null' : `a/${change.path}`, `b/${change.path}`] as const;
    let patch = structuredPatch(names[0], names[1], change.before ?? '', change.after, undefined, undefined, { context: CONTEXT_LINES });
    let grouped = groupHunks(patch, own);
    if (!grouped) {
      // The line diff cut this file differently (a change too large to diff line by line): one hunk, the whole file.
      patch = structuredPatch(names[0], names[1], change.before ?? '', change.after, undefined, undefined, { context: Number.MAX_SAFE_INTEGER });
      grouped = [own.map((h) => h.index)];
    }
    patches.push(patch);
    patch.hunks.forEach((h, i) => {
      hunks.push({
        number: hunks.length + 1,
        path: change.path,
        header: `@@ -${h.oldLines === 0 ? h.oldStart - 1 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? h.newStart - 1 : h.newStart},${h.newLines} @@`,
        added: h.lines.filter((l) => l.startsWith('+')).length,
        removed: h.lines.filter((l) => l.startsWith('-')).length,
        hunks: grouped[i]!,
      });
    });
  }
  return { text: patches.length ? `${formatPatch(patches, FILE_HEADERS_ONLY)}` : '', hunks };
}

/**
 * Which of the file's own hunks each patch hunk holds, by the lines of the original they cover;
 * undefined unless every own hunk falls in exactly one patch hunk and no patch hunk is empty.
 */
function groupHunks(patch: StructuredPatch, own: Hunk[]): number[][] | undefined {
  const groups = patch.hunks.map((p) =>
    own
      // Both count from 1 here (formatPatch writes an empty range as the line before it).
      .filter((h) => h.beforeStart >= p.oldStart && h.beforeStart + h.beforeLines <= p.oldStart + p.oldLines)
      .map((h) => h.index),
  );
  const counted = groups.flat();
  if (groups.some((g) => g.length === 0) || counted.length !== own.length || new Set(counted).size !== own.length) return undefined;
  return groups;
}

/** Thrown for a hunk selection that names no hunk of the patch. */
export class HunkSelectionError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}

/**
 * The decisions for "all" or a comma-separated list of patch hunk numbers ("1,3", "2-4"): every
 * file of the proposal gets its accepted hunks (possibly none).
 */
export function decisionsForSelection(proposal: Proposal, patch: ReviewPatch, selection: string): FileDecision[] {
  const chosen = parseSelection(selection, patch.hunks.length);
  return proposal.changes.map((change) => ({
    path: change.path,
    acceptedHunks: patch.hunks.filter((h) => h.path === change.path && chosen.has(h.number)).flatMap((h) => h.hunks),
  }));
}

function parseSelection(selection: string, count: number): Set<number> {
  const text = selection.trim().toLowerCase();
  if (text === 'all') return new Set(Array.from({ length: count }, (_, i) => i + 1));
  const chosen = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) throw new HunkSelectionError(`"${selection}" is not a hunk selection: give "all" or hunk numbers such as 1,3 or 2-4.`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to > count || from > to) {
      throw new HunkSelectionError(
        `There is no hunk ${from === to ? from : `${from}-${to}`}: the proposal has ${count} hunk${count === 1 ? '' : 's'}, numbered 1 to ${count} in the patch.`,
      );
    }
    for (let n = from; n <= to; n++) chosen.add(n);
  }
  return chosen;
}
