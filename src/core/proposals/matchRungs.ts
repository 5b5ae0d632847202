// The rungs of the search ladder (searchLadder.ts), loosest last, and what the review says of each.
export const MATCH_RUNGS = ['exact', 'trailing-whitespace', 'indentation', 'blank-lines', 'elision'] as const;
export type MatchRung = (typeof MATCH_RUNGS)[number];

/** What the review says of a hunk whose search block needed the rung. */
export const RUNG_LABELS: Record<MatchRung, string> = {
  exact: 'matched exactly',
  'trailing-whitespace': 'matched ignoring trailing whitespace and line endings',
  indentation: 'matched ignoring indentation',
  'blank-lines': 'matched ignoring blank lines',
  elision: 'matched by its ends around "..."',
};
