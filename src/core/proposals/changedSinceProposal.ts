import { sha256Hex } from '../checkpoints/blobStore';
import type { WorkspaceFiles } from '../ports';
import { notExactTextReason, sameBytes, textBytes } from '../fileText';
import type { AcceptedChange } from './types';

/**
 * The files whose bytes no longer match the proposal's base (a file that should not exist and
 * does counts too), or that hold unsaved edits in the editor: applying over either would lose
 * work the proposal never saw. Throws when a base is not text Baton can write back exactly: its
 * other bytes would change.
 */
export async function changedSinceProposal(changes: readonly AcceptedChange[], files: WorkspaceFiles): Promise<string[]> {
  const changed: string[] = [];
  for (const change of changes) {
    const bytes = await files.read(change.path);
    const hash = bytes === undefined ? '' : sha256Hex(bytes);
    if (hash !== change.baseHash || files.hasUnsavedChanges(change.path)) changed.push(change.path);
    else if (bytes !== undefined && change.before !== undefined && !sameBytes(textBytes(change.before), bytes)) {
      throw new Error(`${notExactTextReason(change.path)}: nothing was applied. Convert it to UTF-8, or make this change yourself.`);
    }
  }
  return changed;
}
