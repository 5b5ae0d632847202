import type { CheckpointKind, CheckpointManifest, FileRecord } from './manifest';

// What the sidebar and the restore picker show for each checkpoint: when, which node, which files
// and how each changed, what the step cost, and whether Baton wrote it.

/** Said of a checkpoint Baton did not sign (in the restore picker and the sidebar's timeline). */
export const FOREIGN_CHECKPOINT = 'not written by Baton on this machine: never restored';

export type FileChangeKind = 'created' | 'modified' | 'deleted' | 'unchanged' | 'pending';

export interface HistoryFile {
  path: string;
  change: FileChangeKind;
  /** A rename is stored as a delete plus a create; these pair them up again for display. */
  renamedFrom?: string;
  renamedTo?: string;
}

export interface HistoryEntry {
  id: string;
  time: number;
  nodeId: string;
  label: string;
  kind: CheckpointKind;
  files: HistoryFile[];
  tokens: number;
  cost: number;
  /** False while the step runs, or when it stopped before recording its result. */
  complete: boolean;
  /** True when a later restore or undo (still in effect) took this checkpoint's changes back. */
  undone: boolean;
  /**
   * Why this is not one of Baton's own checkpoints (no or a wrong signature): it came from
   * elsewhere, e.g. with the repository, and is never restored. Absent for Baton's own.
   */
  foreign?: string;
}

export function changeOf(file: FileRecord): FileChangeKind {
  const { before, after } = file;
  if (after === undefined) return 'pending';
  if (before.kind === 'absent') return after.kind === 'absent' ? 'unchanged' : 'created';
  if (after.kind === 'absent') return 'deleted';
  return before.sha256 === after.sha256 ? 'unchanged' : 'modified';
}

export function historyEntry(manifest: CheckpointManifest, undone: boolean, foreign?: string): HistoryEntry {
  const files: HistoryFile[] = manifest.files.map((file) => ({ path: file.path, change: changeOf(file) }));
  pairRenames(manifest.files, files);
  return {
    id: manifest.id,
    time: manifest.createdAt,
    nodeId: manifest.nodeId,
    label: manifest.label,
    kind: manifest.kind,
    files,
    tokens: manifest.tokens,
    cost: manifest.cost,
    complete: manifest.completedAt !== undefined,
    undone,
    ...(foreign === undefined ? {} : { foreign }),
  };
}

/** A deleted file whose exact bytes reappear as a created file was renamed. */
function pairRenames(records: readonly FileRecord[], files: HistoryFile[]): void {
  const deletedByHash = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (files[index]?.change === 'deleted' && record.before.kind === 'file') {
      const list = deletedByHash.get(record.before.sha256) ?? [];
      list.push(index);
      deletedByHash.set(record.before.sha256, list);
    }
  });
  records.forEach((record, index) => {
    const created = files[index];
    if (created?.change !== 'created' || record.after?.kind !== 'file') return;
    const deletedIndex = deletedByHash.get(record.after.sha256)?.shift();
    const deleted = deletedIndex === undefined ? undefined : files[deletedIndex];
    if (!deleted) return;
    created.renamedFrom = deleted.path;
    deleted.renamedTo = created.path;
  });
}
