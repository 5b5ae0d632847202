import { sha256Hex } from '../../core/checkpoints/blobStore';
import type { WorkspaceFiles } from '../../core/ports';
import type { AcceptedChange } from '../../core/verify/types';

/**
 * The files whose bytes no longer match the proposal's base (a file that should not exist and
 * does counts too), or that hold unsaved edits in the editor: applying over either would lose
 * work the proposal never saw.
 */
export async function changedSinceProposal(changes: readonly AcceptedChange[], files: WorkspaceFiles): Promise<string[]> {
  const changed: string[] = [];
  for (const change of changes) {
    const bytes = await files.read(change.path);
    const hash = bytes === undefined ? '' : sha256Hex(bytes);
    if (hash !== change.baseHash || files.hasUnsavedChanges(change.path)) changed.push(change.path);
  }
  return changed;
}
