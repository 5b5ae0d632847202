import type { WorkspaceFiles } from '../ports';
import { changedSinceProposal } from './changedSinceProposal';
import { textBytes } from '../fileText';
import { ChangedSinceProposalError, type AcceptedChange, type ChangeApplier } from './types';

/**
 * Applies accepted changes through the WorkspaceFiles port (the CLI, tests). Every path is put to
 * the path policy and every file's bytes are checked against the proposal's base first; if any is
 * refused or moved on, nothing is written.
 */
export class FilesApplier implements ChangeApplier {
  constructor(private readonly files: WorkspaceFiles) {}

  async apply(changes: AcceptedChange[]): Promise<void> {
    await this.files.prepare(
      changes.map((c) => c.path),
      'write',
    );
    const stale = await changedSinceProposal(changes, this.files);
    if (stale.length) throw new ChangedSinceProposalError(stale);
    for (const change of changes) await this.files.write(change.path, textBytes(change.text));
  }
}
