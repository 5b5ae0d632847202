import type { CheckpointManifest, FileImage } from './manifest';

// The checkpoints form a journal ordered by sequence. These pure functions answer what a revert
// must write, and which checkpoints' changes are still in the tree.

export function byJournalOrder(a: CheckpointManifest, b: CheckpointManifest): number {
  return a.sequence - b.sequence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Ids of checkpoints whose changes were taken back by a restore or undo that is itself still in
 * effect. Walking newest first works because only a newer checkpoint can revert an older one.
 */
export function revertedIds(manifests: readonly CheckpointManifest[]): Set<string> {
  const reverted = new Set<string>();
  for (const manifest of [...manifests].sort(byJournalOrder).reverse()) {
    if (reverted.has(manifest.id)) continue;
    for (const id of manifest.reverts) reverted.add(id);
  }
  return reverted;
}

export interface PathRevert {
  path: string;
  /** What the file must become: its image before the oldest reverted checkpoint touching it. */
  target: FileImage;
  /**
   * What the file should be now: its image after the newest reverted checkpoint touching it.
   * Anything else means someone changed it since, and reverting would lose that change.
   * Undefined when that checkpoint never recorded its result (the step crashed or is running).
   */
  expected: FileImage | undefined;
  /** Id of the newest reverted checkpoint touching the path (named in conflict messages). */
  lastTouchedBy: string;
}

/** For each path the given checkpoints touched, what reverting all of them together writes. */
export function planRevert(toRevert: readonly CheckpointManifest[]): PathRevert[] {
  const byPath = new Map<string, PathRevert>();
  for (const manifest of [...toRevert].sort(byJournalOrder)) {
    const complete = manifest.completedAt !== undefined;
    for (const file of manifest.files) {
      const expected = complete ? file.after : undefined;
      const known = byPath.get(file.path);
      if (known) {
        known.expected = expected;
        known.lastTouchedBy = manifest.id;
      } else {
        byPath.set(file.path, { path: file.path, target: file.before, expected, lastTouchedBy: manifest.id });
      }
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
