// A file change cut into hunks the person accepts or rejects one by one, and the text that results
// from accepting some of them. Lines keep their own endings ("\n", "\r\n", or none on a last line
// without a final newline), so joining lines gives back the text byte for byte, and any choice of
// hunks yields exact text. No context lines: two changes with an unchanged line between them are
// two hunks, each decided on its own.
import { diffArrays } from 'diff';
import type { Hunk } from './types';

/** A hunk with the lines it takes out of `before` and puts into the result. */
interface HunkWithLines extends Hunk {
  removed: string[];
  added: string[];
}

export function diffHunks(before: string | undefined, after: string): Hunk[] {
  return hunksWithLines(before ?? '', after).map(({ removed: _removed, added: _added, ...hunk }) => hunk);
}

/**
 * `before` (or '' for a new file) with only the accepted hunks applied: all of them gives exactly
 * `after`, none gives exactly `before`.
 */
export function applyHunks(before: string | undefined, after: string, accepted: readonly number[]): string {
  const beforeLines = splitLines(before ?? '');
  const hunks = hunksWithLines(before ?? '', after);
  const unknown = accepted.filter((index) => !Number.isInteger(index) || index < 0 || index >= hunks.length);
  if (unknown.length > 0) {
    throw new RangeError(`No hunk ${unknown.join(', ')} in this change: it has ${hunks.length} (numbered from 0).`);
  }
  const acceptedSet = new Set(accepted);
  const result: string[] = [];
  let nextBeforeLine = 0; // 0-based index of the first line of `before` not yet copied
  for (const hunk of hunks) {
    const hunkStart = hunk.beforeStart - 1;
    result.push(...beforeLines.slice(nextBeforeLine, hunkStart));
    result.push(...(acceptedSet.has(hunk.index) ? hunk.added : hunk.removed));
    nextBeforeLine = hunkStart + hunk.beforeLines;
  }
  result.push(...beforeLines.slice(nextBeforeLine));
  return result.join('');
}

/**
 * Past this many changed lines the diff costs seconds (Myers is O(lines x changes)) and a
 * hunk-by-hunk review would not help anyway: the change becomes one hunk, the whole file. A bound
 * on edits, not a timeout, so diffHunks and applyHunks always cut the same hunks.
 */
const MAX_CHANGED_LINES = 2000;

function hunksWithLines(before: string, after: string): HunkWithLines[] {
  const beforeLines = splitLines(before);
  const afterLines = splitLines(after);
  const parts = diffArrays(beforeLines, afterLines, { maxEditLength: MAX_CHANGED_LINES }) ?? [
    { value: beforeLines, removed: true, added: false, count: beforeLines.length },
    { value: afterLines, removed: false, added: true, count: afterLines.length },
  ];
  const hunks: HunkWithLines[] = [];
  let beforeLine = 1;
  let afterLine = 1;
  let open: HunkWithLines | undefined;
  for (const part of parts) {
    if (part.value.length === 0) continue;
    if (!part.added && !part.removed) {
      open = undefined;
      beforeLine += part.value.length;
      afterLine += part.value.length;
      continue;
    }
    // Removals and additions with no unchanged line between them are one hunk.
    if (!open) {
      open = { index: hunks.length, beforeStart: beforeLine, beforeLines: 0, afterStart: afterLine, afterLines: 0, removed: [], added: [] };
      hunks.push(open);
    }
    if (part.removed) {
      open.removed.push(...part.value);
      open.beforeLines += part.value.length;
      beforeLine += part.value.length;
    } else {
      open.added.push(...part.value);
      open.afterLines += part.value.length;
      afterLine += part.value.length;
    }
  }
  return hunks;
}

/** Lines with their endings kept; only "\n" ends a line ("\r\n" ends in it too, a lone "\r" does not). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
