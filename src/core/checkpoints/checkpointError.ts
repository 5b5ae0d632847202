// One error type for every refusal, so callers (sidebar, CLI) can show the message as is and
// still branch on `code` (e.g. offer "Restore anyway" only for 'changed-since').
import { BatonError, type ErrorKind } from '../batonError';

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

export class CheckpointError extends BatonError {
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    /** The workspace files (or store entries) the refusal is about. */
    readonly paths: readonly string[] = [],
  ) {
    super(KIND_OF_CODE[code], message);
  }
}

/** How each refusal is shown: the person's own no is no failure, an edit made since is a conflict. */
const KIND_OF_CODE: Record<CheckpointErrorCode, ErrorKind> = {
  'invalid-path': 'input',
  'unknown-checkpoint': 'input',
  'nothing-to-undo': 'input',
  'unsaved-changes': 'conflict',
  'changed-since': 'conflict',
  'missing-blob': 'input',
  'corrupt-blob': 'input',
  'unreadable-manifest': 'input',
  'verify-failed': 'input',
  'refused-path': 'refused',
  'foreign-checkpoint': 'refused',
  declined: 'cancelled',
  'not-confirmed': 'refused',
};

/** "a.ts", "a.ts and b.ts", "a.ts, b.ts and 3 more" — messages stay readable with many files. */
export function listForMessage(items: readonly string[], shown = 5): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length <= shown) return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  return `${quoted.slice(0, shown).join(', ')} and ${quoted.length - shown} more`;
}
