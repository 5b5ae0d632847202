// Which rung of the search ladder placed the edits behind a hunk, so the review can say, on the hunk
// itself, that its search block was matched loosely ("matched ignoring indentation") and the person
// knows to look twice. Exact matches say nothing.
import { RUNG_LABELS } from './matchRungs';
import type { FileChange, Hunk } from './types';

/** "matched ignoring indentation" (several rungs joined), or undefined when every block behind the hunk matched exactly. */
export function looseMatchLabel(change: FileChange, hunk: Hunk): string | undefined {
  const hunkFirst = hunk.beforeStart;
  // A pure insertion sits between line beforeStart - 1 and beforeStart: it touches both.
  const hunkLast = hunk.beforeLines === 0 ? hunk.beforeStart - 1 : hunk.beforeStart + hunk.beforeLines - 1;
  const rungs = new Set(
    (change.matches ?? [])
      .filter(
        (match) =>
          match.rung !== 'exact' &&
          match.beforeStart <= Math.max(hunkFirst, hunkLast) &&
          Math.min(hunkFirst, hunkLast) <= match.beforeStart + Math.max(match.beforeLines, 1) - 1,
      )
      .map((match) => RUNG_LABELS[match.rung]),
  );
  return rungs.size ? [...rungs].join('; ') : undefined;
}
