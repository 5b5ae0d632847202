import { randomBytes } from 'node:crypto';
import type { Clock, Logger, SigningKey, StateStore, WorkspaceFiles } from '../ports';
import { BlobStore, sha256Hex } from './blobStore';
import { CheckpointError, listForMessage } from './checkpointError';
import { historyEntry, type HistoryEntry } from './history';
import { byJournalOrder, planRevert, revertedIds, type PathRevert } from './journal';
import {
  checkpointId,
  decodeManifest,
  encodeManifest,
  manifestIdFromPath,
  manifestPath,
  manifestPrefix,
  MANIFEST_VERSION,
  sameImage,
  sequenceOfId,
  type CheckpointKind,
  type CheckpointManifest,
  type FileImage,
  type FileRecord,
  type JsonValue,
} from './manifest';
import { checkWorkspacePath } from './workspacePath';
import { PathRefusedError } from '../security/pathPolicy';
import type { SensitiveChangeGuard } from '../security/sensitiveChangeGuard';
import { sensitiveChanges } from '../security/sensitivePaths';

// Pre-images of the files a step touches, kept in Baton's state so any step, or any node's
// steps, can be taken back. It reaches files only through WorkspaceFiles and its own storage
// only through StateStore; it never runs git, so it works the same in any folder. It trusts only
// manifests it signed itself: anything else in its storage (a `.baton/` shipped in a repository)
// is listed as foreign, never restored, and never changes what it does with its own.

export interface CheckpointStorePorts {
  files: WorkspaceFiles;
  state: StateStore;
  clock: Clock;
  /** Signs the manifests this store writes; only manifests it verifies count as Baton's own. */
  key: SigningKey;
  log?: Logger;
}

export interface NewCheckpoint {
  nodeId: string;
  label: string;
  /** Every file the step may write, create or delete; a rename lists both of its paths. */
  paths: readonly string[];
  /** The task tree as it was before the step, opaque to the store. */
  treeState?: JsonValue;
  tokens?: number;
  cost?: number;
}

export interface RevertOptions {
  /** Overwrite files that changed after the step wrote them (their later edits are lost). */
  force?: boolean;
  /** The task tree's current state, stored with the checkpoint that makes this revert undoable. */
  treeState?: JsonValue;
  /**
   * Asked with every file the revert will write or delete, and where each really leads, after the
   * path policy allowed them and before the first write; false refuses, writing nothing.
   */
  confirm?(steps: readonly RevertStep[]): Promise<boolean>;
  /** The second confirmation for sensitive files among them (as for an apply); without its yes, nothing is written. */
  sensitiveChanges?: SensitiveChangeGuard;
}

export interface RevertedCheckpoint {
  kind: CheckpointKind;
  nodeId: string;
  treeState: JsonValue;
}

/** One file a revert will change. */
export interface RevertStep {
  path: string;
  /** Where the path really leads (a link on the way, approved by the person); equal to `path` without links. */
  realPath: string;
  action: 'create' | 'write' | 'delete';
}

export interface RevertResult {
  /** Restoring this checkpoint undoes the revert. */
  undoCheckpointId: string;
  /** Checkpoints whose changes were taken back, oldest first. */
  reverted: string[];
  /** The same checkpoints' kinds, nodes and saved tree states: which nodes' work the files no longer hold. */
  revertedSteps: RevertedCheckpoint[];
  written: string[];
  deleted: string[];
  /** Files that changed after their step and were overwritten because of `force`. */
  overwritten: string[];
  /** For a restore: the task tree as it was saved with the restored checkpoint. */
  treeState?: JsonValue;
}

interface LoadedJournal {
  /** Baton's own checkpoints (their signatures verify), journal order, oldest first. */
  manifests: CheckpointManifest[];
  /** Every other manifest file: the manifest, when it reads, and why it is not one of Baton's own. */
  others: OtherManifest[];
  /** Highest sequence of Baton's own manifests, readable or not; -1 when there are none. */
  lastSequence: number;
}

interface OtherManifest {
  id: string;
  reason: string;
  manifest?: CheckpointManifest;
  /** Signed by this machine but unreadable here (e.g. written by a newer Baton). */
  signed: boolean;
}

/** How long a new checkpoint waits for another Baton to finish numbering its own. */
const SEQUENCE_LOCK_WAIT_MS = 10_000;
/** The lock that numbers checkpoints: `.baton/checkpoints.lock`. */
const SEQUENCE_LOCK = 'checkpoints';

export class CheckpointStore {
  private readonly blobs: BlobStore;

  constructor(
    private readonly ports: CheckpointStorePorts,
    // Shared with the stores withFiles makes, so they too take their turn.
    private readonly turns: { queue: Promise<unknown> } = { queue: Promise.resolve() },
  ) {
    this.blobs = new BlobStore(ports.state);
  }

  /**
   * The same store reaching the workspace through `files` (say, a run's own, whose link approvals
   * last as long as the run): it shares this one's queue, so the two never interleave.
   */
  withFiles(files: WorkspaceFiles): CheckpointStore {
    return new CheckpointStore({ ...this.ports, files }, this.turns);
  }

  /** Saves the pre-image of every path (or that it is absent). Call before the step writes. */
  create(input: NewCheckpoint): Promise<string> {
    return this.exclusive(async () => {
      const paths = [...new Set(input.paths.map(checkWorkspacePath))].sort();
      const before = new Map<string, Uint8Array | undefined>();
      for (const path of paths) before.set(path, await this.ports.files.read(path));
      return this.writeCheckpoint('step', input, before, []);
    });
  }

  /** Records what the step left in each file, so later reverts can tell the person's own edits apart. */
  recordAfter(id: string): Promise<HistoryEntry> {
    return this.exclusive(async () => {
      const journal = await this.load();
      const manifest = this.find(journal, id);
      const completed = await this.recordAfterOf(manifest);
      return historyEntry(completed, revertedIds(journal.manifests).has(id));
    });
  }

  /** Puts every file back as it was before this checkpoint's step, taking back later steps too. */
  restore(id: string, options: RevertOptions = {}): Promise<RevertResult> {
    return this.exclusive(async () => {
      const journal = await this.load();
      const target = this.find(journal, id);
      const toRevert = journal.manifests.filter((manifest) => byJournalOrder(manifest, target) >= 0);
      this.refuseOnUnreadable(journal, target.sequence, `Restoring checkpoint "${target.label}"`);
      const result = await this.revert(toRevert, journal, options, {
        kind: 'restore',
        nodeId: target.nodeId,
        label: `Restore to before "${target.label}"`,
        action: `Restoring checkpoint "${target.label}"`,
      });
      return { ...result, treeState: target.treeState };
    });
  }

  /** Takes back only this node's steps (newest first), leaving every other node's changes alone. */
  undoNode(nodeId: string, options: RevertOptions = {}): Promise<RevertResult> {
    return this.exclusive(async () => {
      const journal = await this.load();
      const reverted = revertedIds(journal.manifests);
      const toRevert = journal.manifests.filter((m) => m.kind === 'step' && m.nodeId === nodeId && !reverted.has(m.id));
      const oldest = toRevert[0];
      if (!oldest) throw new CheckpointError('nothing-to-undo', `Node "${nodeId}" has no changes to undo.`);
      this.refuseOnUnreadable(journal, oldest.sequence, `Undoing node "${nodeId}"`);
      return this.revert(toRevert, journal, options, {
        kind: 'undoNode',
        nodeId,
        label: `Undo node "${nodeId}"`,
        action: `Undoing node "${nodeId}"`,
      });
    });
  }

  /**
   * Baton's own checkpoints, newest first, then the foreign ones (marked, with the reason).
   * Manifests that cannot be read at all are logged and left out.
   */
  history(): Promise<HistoryEntry[]> {
    return this.exclusive(async () => {
      const journal = await this.load();
      const reverted = revertedIds(journal.manifests);
      const own = journal.manifests.map((manifest) => historyEntry(manifest, reverted.has(manifest.id))).reverse();
      const foreign: HistoryEntry[] = [];
      for (const other of journal.others) {
        // Listed under its file's name: what the file says of itself is not to be believed.
        if (other.manifest) foreign.push(historyEntry({ ...other.manifest, id: other.id }, false, other.reason));
        else this.ports.log?.warn(`Checkpoint ${other.id} is unreadable: ${other.reason}`);
      }
      return [...own, ...foreign.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))];
    });
  }

  /** The full manifest of one checkpoint, e.g. to read its saved tree state. */
  checkpoint(id: string): Promise<CheckpointManifest> {
    return this.exclusive(async () => this.find(await this.load(), id));
  }

  /** A file as one of Baton's own checkpoints kept it before its step; undefined when it did not exist then. */
  preImage(id: string, path: string): Promise<Uint8Array | undefined> {
    return this.exclusive(async () => {
      const record = this.find(await this.load(), id).files.find((file) => file.path === path);
      if (!record) throw new CheckpointError('unknown-checkpoint', `Checkpoint ${id} kept no copy of ${path}.`);
      return record.before.kind === 'absent' ? undefined : this.blobs.get(record.before.sha256, path);
    });
  }

  /**
   * Removes blobs no manifest names (left by a crash between blob and manifest writes). Not safe
   * while another process is creating a checkpoint in the same store.
   */
  gc(): Promise<{ removed: number }> {
    return this.exclusive(async () => {
      const journal = await this.load();
      this.refuseOnUnreadable(journal, 0, 'Cleaning up checkpoints');
      const referenced = new Set<string>();
      // Blobs a foreign manifest names are not Baton's to delete either.
      for (const manifest of [...journal.manifests, ...journal.others.flatMap((other) => other.manifest ?? [])]) {
        for (const file of manifest.files) if (file.before.kind === 'file') referenced.add(file.before.sha256);
      }
      let removed = 0;
      for (const sha256 of await this.blobs.all()) {
        if (referenced.has(sha256)) continue;
        await this.blobs.remove(sha256);
        removed += 1;
      }
      return { removed };
    });
  }

  private async revert(
    toRevert: CheckpointManifest[],
    journal: LoadedJournal,
    options: RevertOptions,
    meta: { kind: CheckpointKind; nodeId: string; label: string; action: string },
  ): Promise<RevertResult> {
    const { files } = this.ports;
    const plan = planRevert(toRevert);

    const unsaved = plan.filter((entry) => files.hasUnsavedChanges(entry.path)).map((entry) => entry.path);
    if (unsaved.length > 0) {
      throw new CheckpointError(
        'unsaved-changes',
        `${meta.action} refused: ${listForMessage(unsaved)} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes in the editor. Save or discard them, then try again.`,
        unsaved,
      );
    }

    // Every saved copy is read and verified before the first write, so a damaged store refuses
    // instead of leaving the folder half restored.
    const targetBytes = new Map<string, Uint8Array>();
    const damaged: CheckpointError[] = [];
    for (const entry of plan) {
      if (entry.target.kind !== 'file') continue;
      try {
        targetBytes.set(entry.path, await this.blobs.get(entry.target.sha256, entry.path));
      } catch (err) {
        if (!(err instanceof CheckpointError)) throw err;
        damaged.push(err);
      }
    }
    const firstDamage = damaged[0];
    if (firstDamage) {
      throw new CheckpointError(
        firstDamage.code,
        `${meta.action} refused, nothing was written: ${damaged.map((err) => err.message).join(' ')}`,
        damaged.flatMap((err) => err.paths),
      );
    }

    const current = new Map<string, Uint8Array | undefined>();
    const changedSince: PathRevert[] = [];
    const unrecorded: PathRevert[] = [];
    await refusingPaths(meta.action, async () => {
      for (const entry of plan) {
        const bytes = await files.read(entry.path);
        current.set(entry.path, bytes);
        if (entry.expected && !sameImage(imageOf(bytes), entry.expected)) changedSince.push(entry);
        // The checkpoint says the file did not exist, yet has no record of its step creating what is there now.
        else if (!entry.expected && entry.target.kind === 'absent' && bytes !== undefined) unrecorded.push(entry);
      }
    });
    if ((changedSince.length > 0 || unrecorded.length > 0) && !options.force) {
      const problems: string[] = [];
      if (changedSince.length > 0) {
        const described = changedSince.map((entry) => describeLaterChange(entry, journal));
        problems.push(
          `${described.join(', ')} changed after the step wrote ${changedSince.length === 1 ? 'it' : 'them'}, and restoring would lose those changes`,
        );
      }
      if (unrecorded.length > 0) {
        const one = unrecorded.length === 1;
        problems.push(
          `it would delete ${listForMessage(unrecorded.map((entry) => entry.path))}, which the checkpoint says ${one ? 'its step created' : 'its steps created'} but never recorded writing, so ${one ? 'it' : 'they'} may not be the step's to delete`,
        );
      }
      throw new CheckpointError(
        'changed-since',
        `${meta.action} refused: ${problems.join('; and ')}. Restore with force to overwrite them.`,
        [...changedSince, ...unrecorded].map((entry) => entry.path),
      );
    }

    const changes = plan.filter((entry) => !sameImage(imageOf(current.get(entry.path)), entry.target));
    await this.checkRevertSteps(changes, current, targetBytes, options, meta.action);
    const before = new Map(changes.map((entry) => [entry.path, current.get(entry.path)] as const));
    const undoInput = { nodeId: meta.nodeId, label: meta.label, paths: [], treeState: options.treeState ?? null };
    const undoId = await this.writeCheckpoint(
      meta.kind,
      undoInput,
      before,
      toRevert.map((m) => m.id),
    );

    const written: string[] = [];
    const deleted: string[] = [];
    try {
      for (const entry of changes) {
        const bytes = targetBytes.get(entry.path);
        if (bytes === undefined) {
          await files.delete(entry.path);
          deleted.push(entry.path);
        } else {
          await files.write(entry.path, bytes);
          written.push(entry.path);
        }
      }
    } catch (err) {
      const done = written.length + deleted.length;
      throw new CheckpointError(
        'verify-failed',
        `${meta.action} stopped after ${done} of ${changes.length} files: ${(err as Error).message}. The files' previous content is saved in checkpoint ${undoId}; restore it to go back.`,
        changes.slice(done).map((entry) => entry.path),
      );
    }

    const undo = await this.recordAfterOf(this.find(await this.load(), undoId));
    const mismatched = undo.files.filter((file) => {
      const wanted = changes.find((entry) => entry.path === file.path)?.target;
      return wanted === undefined || file.after === undefined || !sameImage(file.after, wanted);
    });
    if (mismatched.length > 0) {
      const paths = mismatched.map((file) => file.path);
      throw new CheckpointError(
        'verify-failed',
        `${meta.action}: ${listForMessage(paths)} did not read back as restored (changed while restoring?). Their previous content is saved in checkpoint ${undoId}.`,
        paths,
      );
    }

    return {
      undoCheckpointId: undoId,
      reverted: toRevert.map((manifest) => manifest.id),
      revertedSteps: toRevert.map((manifest) => ({ kind: manifest.kind, nodeId: manifest.nodeId, treeState: manifest.treeState })),
      written,
      deleted,
      overwritten: [...changedSince, ...unrecorded].filter((entry) => changes.includes(entry)).map((entry) => entry.path),
    };
  }

  /**
   * A revert writes through the same gates as an apply: the path policy (nothing outside the
   * workspace, links only with the person's yes), the person's confirmation of every file it will
   * change, and the second confirmation for sensitive ones. Any no refuses before the first write.
   */
  private async checkRevertSteps(
    changes: readonly PathRevert[],
    current: ReadonlyMap<string, Uint8Array | undefined>,
    targetBytes: ReadonlyMap<string, Uint8Array>,
    options: RevertOptions,
    action: string,
  ): Promise<RevertStep[]> {
    const { files } = this.ports;
    const writes = changes.filter((entry) => entry.target.kind === 'file').map((entry) => entry.path);
    const deletes = changes.filter((entry) => entry.target.kind === 'absent').map((entry) => entry.path);
    const resolved = await refusingPaths(action, async () => [
      ...(writes.length ? await files.prepare(writes, 'write') : []),
      ...(deletes.length ? await files.prepare(deletes, 'delete') : []),
    ]);
    const realPaths = new Map(resolved.map((r) => [r.path, r.realPath]));
    const steps: RevertStep[] = changes.map((entry) => ({
      path: entry.path,
      realPath: realPaths.get(entry.path) ?? entry.path,
      action: entry.target.kind === 'absent' ? 'delete' : current.get(entry.path) === undefined ? 'create' : 'write',
    }));
    if (options.confirm && !(await options.confirm(steps))) {
      throw new CheckpointError(
        'declined',
        `${action} was not confirmed: nothing was written.`,
        steps.map((step) => step.path),
      );
    }
    const sensitive = sensitiveChanges(
      steps.map((step) => ({ path: step.path, realPath: step.realPath, before: textOf(current.get(step.path)), text: textOf(targetBytes.get(step.path)) })),
    );
    if (sensitive.length > 0 && !(options.sensitiveChanges && (await options.sensitiveChanges.confirm(sensitive)))) {
      const listed = sensitive.map((change) => `"${change.path}"${change.realPath ? ` (really "${change.realPath}")` : ''}: ${change.reason}`).join('; ');
      throw new CheckpointError(
        'not-confirmed',
        `${action} refused, nothing was written: it would change sensitive files, and that needs your second confirmation: ${listed}.`,
        sensitive.map((change) => change.path),
      );
    }
    return steps;
  }

  /** Blobs first, manifest last: a crash in between leaves only unreferenced blobs. */
  private async writeCheckpoint(
    kind: CheckpointKind,
    input: NewCheckpoint,
    before: ReadonlyMap<string, Uint8Array | undefined>,
    reverts: string[],
  ): Promise<string> {
    const records: FileRecord[] = [];
    for (const [path, bytes] of before) {
      const image: FileImage = bytes === undefined ? { kind: 'absent' } : { kind: 'file', sha256: await this.blobs.put(bytes), size: bytes.length };
      records.push({ path, before: image });
    }
    // The number is taken and its manifest written under the lock, so a second window or the
    // command line never takes the same one.
    const release = await this.ports.state.lock(SEQUENCE_LOCK, { waitMs: SEQUENCE_LOCK_WAIT_MS });
    try {
      // Only Baton's own manifests number the journal: a foreign one (say, sequence 10^20) changes nothing.
      const sequence = (await this.load()).lastSequence + 1;
      const id = checkpointId(sequence, randomBytes(3).toString('hex'));
      await this.ports.state.write(manifestPath(id), encodeManifest(this.manifestOf(kind, input, id, sequence, records, reverts), await this.ports.key.get()));
      return id;
    } finally {
      await release();
    }
  }

  private manifestOf(kind: CheckpointKind, input: NewCheckpoint, id: string, sequence: number, files: FileRecord[], reverts: string[]): CheckpointManifest {
    return {
      version: MANIFEST_VERSION,
      id,
      sequence,
      kind,
      nodeId: input.nodeId,
      label: input.label,
      createdAt: this.ports.clock.now(),
      treeState: input.treeState ?? null,
      tokens: input.tokens ?? 0,
      cost: input.cost ?? 0,
      reverts,
      files,
    };
  }

  private async recordAfterOf(manifest: CheckpointManifest): Promise<CheckpointManifest> {
    const files: FileRecord[] = [];
    for (const file of manifest.files) files.push({ ...file, after: imageOf(await this.ports.files.read(file.path)) });
    const completed: CheckpointManifest = { ...manifest, files, completedAt: this.ports.clock.now() };
    await this.ports.state.write(manifestPath(manifest.id), encodeManifest(completed, await this.ports.key.get()));
    return completed;
  }

  private async load(): Promise<LoadedJournal> {
    const key = await this.ports.key.get();
    const manifests: CheckpointManifest[] = [];
    const others: OtherManifest[] = [];
    for (const path of await this.ports.state.list(manifestPrefix())) {
      const id = manifestIdFromPath(path);
      if (id === undefined) continue;
      let bytes: Uint8Array | undefined;
      try {
        bytes = await this.ports.state.read(path);
      } catch (err) {
        others.push({ id, reason: `it cannot be read (${(err as Error).message})`, signed: false });
        continue;
      }
      if (bytes === undefined) continue; // deleted since listing
      const decoded = decodeManifest(bytes, key);
      if (decoded.signed && decoded.manifest?.id === id) manifests.push(decoded.manifest);
      else if (decoded.manifest && decoded.manifest.id !== id)
        others.push({ id, manifest: decoded.manifest, reason: `it names itself ${decoded.manifest.id}`, signed: false });
      else
        others.push({
          id,
          reason: decoded.problem ?? 'it cannot be read',
          signed: decoded.signed,
          ...(decoded.manifest ? { manifest: decoded.manifest } : {}),
        });
    }
    const ownUnreadable = others.filter((other) => other.signed).map(({ id }) => sequenceOfId(id) ?? -1);
    const lastSequence = Math.max(-1, ...manifests.map((manifest) => manifest.sequence), ...ownUnreadable);
    return { manifests: manifests.sort(byJournalOrder), others, lastSequence };
  }

  private find(journal: LoadedJournal, id: string): CheckpointManifest {
    const manifest = journal.manifests.find((candidate) => candidate.id === id);
    if (manifest) return manifest;
    const other = journal.others.find((candidate) => candidate.id === id);
    if (other?.manifest && !other.signed) {
      throw new CheckpointError(
        'foreign-checkpoint',
        `Checkpoint "${other.manifest.label}" (${id}) was not written by Baton on this machine for this folder (${other.reason}), so Baton does not restore it: it may have come with the repository. Delete .baton/${manifestPath(id)} to stop listing it.`,
        [`.baton/${manifestPath(id)}`],
      );
    }
    if (other) {
      throw new CheckpointError('unreadable-manifest', `Checkpoint ${id} is unreadable (.baton/${manifestPath(id)}): ${other.reason}`);
    }
    throw new CheckpointError('unknown-checkpoint', `There is no checkpoint ${id}.`);
  }

  /**
   * A manifest of Baton's own that no longer reads or verifies, in the range being reverted, could
   * hide changes: refuse rather than guess. Its own unreadable ones are signed; a damaged one shows
   * as a file whose number is missing from Baton's own (a foreign file cannot fake that: its
   * numbers are either taken or beyond Baton's last one).
   */
  private refuseOnUnreadable(journal: LoadedJournal, fromSequence: number, action: string): void {
    const own = new Set(journal.manifests.map((manifest) => manifest.sequence));
    const inRange = journal.others.filter(({ id, signed }) => {
      const sequence = sequenceOfId(id);
      if (sequence === undefined || sequence < fromSequence) return false;
      return signed || (sequence <= journal.lastSequence && !own.has(sequence));
    });
    if (inRange.length === 0) return;
    const paths = inRange.map(({ id }) => `.baton/${manifestPath(id)}`);
    throw new CheckpointError(
      'unreadable-manifest',
      `${action} refused: ${listForMessage(paths)} cannot be read or no longer verifies (${inRange.map(({ reason }) => reason).join('; ')}). It sits among Baton's own checkpoints, so restoring across it could miss changes. Repair or delete ${inRange.length === 1 ? 'it' : 'them'}, then try again.`,
      paths,
    );
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.turns.queue.then(operation);
    this.turns.queue = result.catch(() => undefined);
    return result;
  }
}

/** A path policy refusal, as the checkpoint refusal it is: nothing was written. */
async function refusingPaths<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PathRefusedError) throw new CheckpointError('refused-path', `${action} refused, nothing was written: ${err.message}`, err.paths);
    throw err;
  }
}

/** Text for telling sensitive changes apart (package.json scripts); undefined for an absent file. */
function textOf(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

function imageOf(bytes: Uint8Array | undefined): FileImage {
  return bytes === undefined ? { kind: 'absent' } : { kind: 'file', sha256: sha256Hex(bytes), size: bytes.length };
}

function describeLaterChange(entry: PathRevert, journal: LoadedJournal): string {
  const stepper = journal.manifests.find((manifest) => manifest.id === entry.lastTouchedBy);
  const later = journal.manifests
    .filter((manifest) => stepper && byJournalOrder(manifest, stepper) > 0)
    .filter((manifest) => manifest.files.some((file) => file.path === entry.path))
    .at(-1);
  return later ? `"${entry.path}" (by "${later.label}" of node ${later.nodeId})` : `"${entry.path}" (edited since)`;
}
