import { createHash } from 'node:crypto';
import type { WorkspaceFiles } from '../ports';
import { ChangedSinceProposalError, type AcceptedChange, type ChangeApplier } from './types';

/**
 * Applies accepted changes through the WorkspaceFiles port (the CLI, tests). Every file's bytes are
 * checked against the proposal's base first; if any moved on, nothing is written.
 */
export class FilesApplier implements ChangeApplier {
  constructor(private readonly files: WorkspaceFiles) {}

  async apply(changes: AcceptedChange[]): Promise<void> {
    const stale: string[] = [];
    for (const change of changes) {
      const bytes = await this.files.read(change.path);
      const hash = bytes ? createHash('sha256').update(bytes).digest('hex') : '';
      if (hash !== change.baseHash || this.files.hasUnsavedChanges(change.path)) stale.push(change.path);
    }
    if (stale.length) throw new ChangedSinceProposalError(stale);
    for (const change of changes) await this.files.write(change.path, new TextEncoder().encode(change.text));
  }
}
