// One error type for every refusal, so callers (sidebar, CLI) can show the message as is and
// still branch on `code` (e.g. offer "Restore anyway" only for 'changed-since').

export type CheckpointErrorCode =
  | 'invalid-path'
  | 'unknown-checkpoint'
  | 'nothing-to-undo'
  | 'unsaved-changes'
  | 'changed-since'
  | 'missing-blob'
  | 'corrupt-blob'
  | 'unreadable-manifest'
  | 'verify-failed'
  | 'refused-path'
  | 'foreign-checkpoint'
  | 'declined' // the person said no to the restore
  | 'not-confirmed'; // sensitive files without their second confirmation

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    /** The workspace files (or store entries) the refusal is about. */
    readonly paths: readonly string[] = [],
  ) {
    super(message);
  }
}

/** "a.ts", "a.ts and b.ts", "a.ts, b.ts and 3 more" — messages stay readable with many files. */
export function listForMessage(items: readonly string[], shown = 5): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length <= shown) return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  return `${quoted.slice(0, shown).join(', ')} and ${quoted.length - shown} more`;
}
