import * as vscode from 'vscode';
import { CheckpointError } from '../../core/checkpoints/checkpointError';
import type { RevertResult } from '../../core/checkpoints/checkpointStore';
import { FOREIGN_CHECKPOINT, type HistoryEntry } from '../../core/checkpoints/history';
import { labelText } from '../../core/security/untrustedText';
import { revertFollowingTree } from '../../core/tasks/treeAfterRevert';
import { COMMANDS } from '../commandIds';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { relativeTo } from '../editorSignals';
import { notifyError, notifyInfo } from '../notifications';
import { restoreGates } from '../restoreConfirmation';
import { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';
import { firstFolder } from '../workspaceTree';

// A checkpoint the person takes by hand belongs to no task node.
export const MANUAL_CHECKPOINT_NODE = 'manual';

export interface CreateCheckpointArguments {
  /** Workspace-relative paths or file Uris; default: the files the person picks (the active editor's first). */
  paths?: readonly (string | vscode.Uri)[];
  label?: string;
}

/**
 * "Baton: Create Checkpoint": saves the files as they are now (unsaved editor text included), so
 * Restore Checkpoint can bring them back. The step is left open (no "after" is recorded): whatever
 * happens to the files next is what a restore takes back. Resolves with the checkpoint id.
 */
export async function createCheckpoint(workspaces: BatonWorkspaces, log: vscode.LogOutputChannel, argument?: unknown): Promise<string | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const args =
    argument instanceof vscode.Uri ? { paths: [argument] } : typeof argument === 'object' && argument !== null ? (argument as CreateCheckpointArguments) : {};
  let paths = (args.paths ?? []).map((p) => (typeof p === 'string' ? p : relativeTo(folder, p))).filter((p): p is string => !!p);
  if (!args.paths) {
    const open = openWorkspaceFiles(folder);
    if (open.length === 0) {
      void notifyInfo('Baton: open the files to checkpoint in editors first (or pass their paths).');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      open.map((path, i) => ({ label: labelText(path), path, picked: i === 0 })),
      { title: 'Baton: Create Checkpoint', placeHolder: "Which files? (the active editor's file is selected)", canPickMany: true },
    );
    if (!picked?.length) return undefined;
    paths = picked.map((p) => p.path);
  }
  if (paths.length === 0) {
    void notifyError('Baton: no file of the first workspace folder to checkpoint.');
    return undefined;
  }
  let label = args.label?.trim();
  if (!label) {
    label = (
      await vscode.window.showInputBox({
        title: 'Baton: Create Checkpoint',
        prompt: 'A label to find it by in the history',
        value: `Before editing ${paths.length === 1 ? paths[0] : `${paths.length} files`}`,
        ignoreFocusOut: true,
      })
    )?.trim();
    if (!label) return undefined;
  }
  try {
    const id = await workspaces.for(folder).checkpoints.create({ nodeId: MANUAL_CHECKPOINT_NODE, label, paths });
    log.info(`Checkpoint ${id} "${label}": ${paths.join(', ')}`);
    void notifyInfo(`Baton: checkpoint "${label}" saved (${paths.length} file${paths.length === 1 ? '' : 's'}).`);
    void vscode.commands.executeCommand(COMMANDS.refreshSidebar).then(undefined, () => undefined);
    return id;
  } catch (err) {
    void notifyError(`Baton: the checkpoint was not saved: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * "Baton: Restore Checkpoint": puts the files back as they were before one of Baton's own
 * checkpoints (picked from the history, or its id as the argument), always after the person's yes
 * in a notification naming every file it will write or delete (and where a link on the way leads),
 * then the second confirmation for sensitive files: no argument skips either, since a `command:`
 * link can pass any argument. A foreign checkpoint (not signed by this machine, e.g. shipped in the
 * repository) is refused. Refusals (unsaved edits, edits made after the step, a damaged copy, a
 * path through a link) are shown as the store words them; edits made after the step can then be
 * overwritten with "Restore Anyway".
 */
export async function restoreCheckpoint(workspaces: BatonWorkspaces, log: vscode.LogOutputChannel, idArgument?: unknown): Promise<RevertResult | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const history = await workspaces.for(folder).checkpoints.history();
  let id = typeof idArgument === 'string' ? idArgument : undefined;
  if (!id) {
    if (history.length === 0) {
      void notifyInfo('Baton: there are no checkpoints yet (.baton/checkpoints/).');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      history.map((h) => ({
        label: labelText(h.label),
        description: `${new Date(h.time).toLocaleString()} · ${h.foreign ? FOREIGN_CHECKPOINT : h.kind === 'step' ? labelText(h.nodeId) : h.kind}${h.undone ? ' · taken back' : ''}`,
        detail: labelText(h.files.map((f) => `${f.path} (${f.change})`).join(', ') || 'no files'),
        id: h.id,
      })),
      { title: 'Baton: Restore Checkpoint', placeHolder: 'Put the files back as they were before which step?', matchOnDetail: true },
    );
    if (!picked) return undefined;
    id = picked.id;
  }
  const entry = history.find((h) => h.id === id);
  if (!entry) {
    void notifyError(`Baton: there is no checkpoint "${id}" in .baton/checkpoints/.`);
    return undefined;
  }
  return restoreWithGates(workspaces, log, folder, entry, false);
}

async function restoreWithGates(
  workspaces: BatonWorkspaces,
  log: vscode.LogOutputChannel,
  folder: vscode.Uri,
  entry: HistoryEntry,
  force: boolean,
): Promise<RevertResult | undefined> {
  try {
    const workspace = workspaces.for(folder);
    // Files of its own: a link approved for this restore is asked about again next time.
    const checkpoints = workspace.checkpoints.withFiles(new VsCodeWorkspaceFiles(folder));
    const result = await revertFollowingTree(workspace.tree, (treeState) => checkpoints.restore(entry.id, { force, treeState, ...restoreGates(entry.label) }));
    const count = result.written.length + result.deleted.length;
    log.info(
      `Restored checkpoint ${entry.id} "${entry.label}": wrote ${result.written.join(', ') || 'nothing'}, deleted ${result.deleted.join(', ') || 'nothing'}`,
    );
    void notifyInfo(`Baton: restored ${count} file${count === 1 ? '' : 's'} to before "${entry.label}".`);
    void vscode.commands.executeCommand(COMMANDS.refreshSidebar).then(undefined, () => undefined);
    return result;
  } catch (err) {
    if (!(err instanceof CheckpointError)) {
      void notifyError(`Baton: the restore failed: ${(err as Error).message}`);
      return undefined;
    }
    log.warn(`Restore of ${entry.id} refused: ${err.message}`);
    if (err.code === 'declined') return undefined; // the person said no
    if (err.code === 'changed-since' && !force) {
      // The person's click on this button is the yes to losing those later edits.
      void notifyError(`Baton: restore refused: ${err.message}`, 'Restore Anyway').then((choice) => {
        if (choice) void restoreWithGates(workspaces, log, folder, entry, true);
      });
    } else {
      void notifyError(`Baton: restore refused: ${err.message}`);
    }
    return undefined;
  }
}

/** Files of the folder open in editors, the active one first. */
function openWorkspaceFiles(folder: vscode.Uri): string[] {
  const active = vscode.window.activeTextEditor?.document.uri;
  const uris = [active, ...vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined)))];
  return [...new Set(uris.map((u) => (u && u.scheme === 'file' ? relativeTo(folder, u) : undefined)).filter((p): p is string => !!p))];
}
